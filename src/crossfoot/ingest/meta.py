"""Report metadata from its words: kind, department, year and the usual table unit."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import cast, get_args

from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Block, Page, ReportKind, Table

_YEAR = pattern("ingest.year")
_YEAR_DU = pattern("ingest.year_du")
_DEPT_LINE = pattern("ingest.department_line")
# The title words before the year name the department: "中共X社会工作部2024年度部门决算".
_TITLE_YEAR_FIRST = pattern("ingest.cover_title_year_first")
_TITLE = pattern("ingest.cover_title")
_CONTENTS = words("ingest.contents_titles")


_NUMBERED = pattern("ingest.contents_numbering")
def _count(text: str, words: tuple[str, ...]) -> int:
    """Occurrences of any of the words, a longer word's hits not counted again for a word inside it."""
    return len(re.findall(alternation(words), text))


def _kind(cover: str, whole: str) -> ReportKind:
    """The cover decides when it names the kind (lexicon.toml [kind.*] cover words, in order); otherwise
    the kind whose words the report uses most; a text using none of them is unknown."""
    kinds = load_catalogue().kinds
    c = cover.replace(" ", "")
    for k in kinds:
        if any(w in c for w in k.cover):
            return _as_kind(k.kind)
    w = whole.replace(" ", "")
    counts = {k.kind: _count(w, k.words) for k in kinds}
    best = max(counts, key=lambda k: counts[k])
    return "unknown" if counts[best] == 0 else _as_kind(best)


def _as_kind(k: str) -> ReportKind:
    for kind in get_args(ReportKind):
        if k == kind:
            return cast(ReportKind, kind)
    return "unknown"


def _looks_like_contents(lines: Sequence[str]) -> bool:
    numbered = sum(1 for ln in lines if _NUMBERED.match(ln.strip()))
    return any(w in ln.replace(" ", "") for ln in lines[:3] for w in _CONTENTS) or numbered >= 3


_OWN_KIND = pattern("ingest.own_kind")
_FOREIGN = "ingest.foreign_"


@lru_cache(maxsize=1)
def _genres() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(what the document is, its pattern): the vocabulary's ingest.foreign_* patterns, their doc the name."""
    return tuple((p.doc, p.regex) for p in load_catalogue().vocabulary.patterns if p.key.startswith(_FOREIGN))


def foreign_genre(pages: Sequence[Page]) -> str | None:
    """What the document is when its first pages say it is another kind of document (a company's
    quarterly report): crossfoot's checks would read its statements as a department's tables."""
    first = [p.text.replace(" ", "") for p in pages if p.readable and p.text.strip()][:2]
    if not first or _OWN_KIND.search(first[0]):
        return None
    text = "\n".join(first)
    return next((name for name, pat in _genres() if pat.search(text)), None)


def report_meta(pages: Sequence[Page], blocks: Sequence[Block],
                tables: Sequence[Table]) -> tuple[ReportKind, str | None, int | None, str | None]:
    readable = [p for p in pages if p.readable and p.text.strip()]
    cover_lines = [ln for ln in (readable[0].text.splitlines() if readable else []) if ln.strip()][:8]
    # A title page followed by the contents on the same page (text exports): the title is above 目录.
    toc_at = next((k for k, ln in enumerate(cover_lines) if ln.replace(" ", "") in _CONTENTS), None)
    if toc_at:
        cover_lines = cover_lines[:toc_at]
    cover = "" if _looks_like_contents(cover_lines) else "\n".join(cover_lines)
    kind = _kind(cover, "\n".join(p.text for p in readable))

    flat = cover.replace("\n", "")
    department: str | None = None
    m = _TITLE.search(flat.replace(" ", ""))
    if m:
        department = m.group(1)
    else:
        m2 = _TITLE_YEAR_FIRST.search(flat.replace(" ", ""))
        if m2:
            department = m2.group(2)
    if department is None:
        depts = Counter(d for p in pages for d in _DEPT_LINE.findall(p.text))
        if depts:
            department = depts.most_common(1)[0][0]

    years = Counter(int(y) for y in _YEAR.findall(flat.replace(" ", "")))
    if not years:
        years = Counter(int(y) for b in blocks[:30] for y in _YEAR.findall(b.text.replace(" ", "")))
    if not years:
        years = Counter(int(y) for p in readable for y in _YEAR_DU.findall(p.text))
    year = years.most_common(1)[0][0] if years else None
    if (m and year is None) or m:
        year = int(m.group(2))

    units = Counter(t.unit for t in tables if t.unit)
    unit = units.most_common(1)[0][0] if units else None
    return kind, department, year, unit
