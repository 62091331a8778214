"""Document checks: template placeholders left in, dates in another year, required tables missing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import Finding
from crossfoot.knowledge import fund_scope, load_catalogue, pattern
from crossfoot.knowledge import words as words_of
from crossfoot.knowledge.recognise import form_id, recognise_title
from crossfoot.model import BUDGET, FINAL, Report, Table
from crossfoot.tables.structure import compact, sentence_around, table_kind

# ---- placeholders ------------------------------------------------------------------------------------

_PLACEHOLDER = pattern("document.placeholder")


@check("placeholder", family="document", severity="medium",
       doc="template placeholders left in the text or tables (XX局, XXX万元, 某某, （不涉及的不列）)")
def placeholder(ctx: Context) -> Iterable[Finding]:
    seen: set[str] = set()
    for b in ctx.report.blocks:
        hits = list(_PLACEHOLDER.finditer(b.text))
        if not hits:
            continue
        quote = sentence_around(b.text, hits[0].start(), hits[0].end())
        if quote in seen:
            continue
        seen.add(quote)
        marks = sorted({h.group(0) for h in hits})
        yield Finding(
            check="placeholder", severity="medium", verdict="inconsistent", page=b.page, quote=quote,
            stated=hits[0].group(0), expected="actual text",
            message=f"template placeholder{'s' if len(marks) > 1 else ''} left in: {'、'.join(marks)}")
    for t in ctx.report.tables:
        for i, row in enumerate(t.rows):
            for c in row:
                m = _PLACEHOLDER.search(c.text)
                if m:
                    yield Finding(
                        check="placeholder", severity="medium", verdict="inconsistent", page=c.page,
                        quote=" ".join(x.text.strip() for x in row if x.text.strip())[:120], stated=m.group(0),
                        expected="actual figure or name",
                        message=f"template placeholder left in table {t.title or t.id}, row {i + 1}: {c.text.strip()}")
                    break


# ---- year --------------------------------------------------------------------------------------------

_AS_OF = pattern("document.as_of_date")
_HOLDINGS = pattern("document.holdings")
_YEAR_TITLE = pattern("document.year_title")
_COMPARISON = pattern("document.comparison")
_FINAL_TITLES = words_of("document.final_titles")
_BUDGET_TITLES = words_of("document.budget_titles")


_BUDGET_BASE_YEAR = pattern("document.budget_base_year")


def _dated(match: re.Match[str], **values: str) -> str:
    """The matched text with its named groups replaced (截至2022年… with y="2023"): what it should have
    said, in the report's own words."""
    text, o = match.group(0), match.start()
    out: list[str] = []
    pos = 0
    for name, value in sorted(values.items(), key=lambda kv: match.start(kv[0])):
        out += [text[pos:match.start(name) - o], value]
        pos = match.end(name) - o
    return "".join(out) + text[pos:]


def _own_year_base(report: Report, y: int) -> Iterator[Finding]:
    """A budget compared with its own year's budget (比2026年预算 in the 2026 预算): the base is last year's.
    One template slip repeated through the text is told once, at its first place, with the count."""
    hits = [(b, m) for b in report.blocks for m in _BUDGET_BASE_YEAR.finditer(b.text) if int(m.group("y")) == y]
    if not hits:
        return
    b, m = hits[0]
    base = _dated(m, y=str(y - 1))[m.start("y") - m.start():]  # 2025年预算, as the text words it
    yield Finding(
        check="year", severity="low", verdict="inconsistent", page=b.page,
        quote=sentence_around(b.text, m.start(), m.end()), stated=m.group(0).strip(), expected=base,
        message=f"the {y} {BUDGET} is compared with the {y} budget itself"
                + (f" ({len(hits)} times, p{', p'.join(str(p) for p in sorted({x.page for x, _ in hits}))})"
                   if len(hits) > 1 else "") + f"; the base of the change is {base}")


def report_kind(report: Report) -> str:
    """决算 or 预算, from the table titles when ingest could not tell."""
    titles = " ".join(t.title or "" for t in report.tables)
    js, ys = sum(titles.count(w) for w in _FINAL_TITLES), sum(titles.count(w) for w in _BUDGET_TITLES)
    if js or ys:
        return FINAL if js >= ys else BUDGET
    return report.kind


def report_year(report: Report) -> int | None:
    if report.year is not None:
        return report.year
    years = [int(m.group("y")) for t in report.tables for m in _YEAR_TITLE.finditer(t.title or "")]
    return max(set(years), key=years.count) if years else None


@check("year", family="document", severity="medium",
       doc="a heading, table title or 截至 date in another year than the report's")
def year(ctx: Context) -> Iterable[Finding]:
    y = report_year(ctx.report)
    if y is None:
        return
    kind = report_kind(ctx.report)
    if kind == BUDGET:
        yield from _own_year_base(ctx.report, y)
    for b in ctx.report.blocks:
        if kind == FINAL:
            for m in _AS_OF.finditer(b.text):
                # Holdings (车辆, 资产, 人员) are stated as of 31 December of the report year; a progress
                # date inside the year is something else, and a later one a follow-up.
                after = b.text[m.end():m.end() + 40]
                if not _HOLDINGS.search(after):
                    continue
                if int(m.group("y")) < y or (int(m.group("y")) == y and int(m.group("m")) != 12):
                    yield Finding(
                        check="year", severity="medium", verdict="inconsistent", page=b.page,
                        quote=sentence_around(b.text, m.start(), m.end()), stated=m.group(0),
                        expected=_dated(m, y=str(y), m="12", d="31"),
                        message=f"the {y} {kind} states its position as of {m.group(0)[2:]}, not the year end")
        for m in _YEAR_TITLE.finditer(b.text):
            if m.group("k") != kind or len(b.text) > 60 or _COMPARISON.search(b.text):
                continue  # only headings: a sentence may well name another year's accounts
            if int(m.group("y")) != y:
                yield Finding(
                    check="year", severity="medium", verdict="inconsistent", page=b.page, quote=b.text[:120],
                    stated=m.group(0), expected=_dated(m, y=str(y)),
                    message=f"heading names {m.group('y')} in the {y} {kind}")
    for t in ctx.report.tables:
        for m in _YEAR_TITLE.finditer(" ".join(x for x in (t.title, *t.notes) if x)):
            if int(m.group("y")) != y and m.group("k") == kind:
                yield Finding(
                    check="year", severity="medium", verdict="inconsistent", page=t.pages[0],
                    quote=(t.title or "")[:120], stated=m.group(0), expected=_dated(m, y=str(y)),
                    message=f"table {t.title or t.id} is dated {m.group('y')} in the {y} {kind}")


# ---- completeness ------------------------------------------------------------------------------------

def _required(kind: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The forms a disclosure of this kind must publish (forms.toml: a form whose `kinds` name it), as
    (form id, title as the template prints it, title words that name it)."""
    return tuple((f.id, f.name, f.titles) for f in load_catalogue().forms if kind in f.kinds)


def _optional(kind: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """Forms of a fund a department often has none of (国有资本经营 in a 预算): not required, but when the
    report prints one, an empty one still owes its 空表说明."""
    required = {f[0] for f in _required(kind)}
    return tuple((f.id, f.name, f.titles) for f in load_catalogue().forms
                 if not f.kinds and f.scope in _NARROW_SCOPES and f.id not in required)


# Funds a department often has none of: a narrative saying so explains the empty table.
_NARROW_SCOPES = ("gov_fund", "soe_capital")
_ZERO_STATED = pattern("document.zero_stated")
# A table's own note that it is empty (本表为空表, 本表无数据).
_EMPTY_SAID = pattern("document.empty_table_said")
_EMPTY_NOTE = pattern("document.empty_table_note")


def _all_blank(t: Table) -> bool:
    from crossfoot.tables.structure import segments

    if not t.rows:
        return False  # a header alone (at a page foot): its body was read as another table, not judged
    cols = {j for s in segments(t) for j in s.value_cols}
    return all((n := r[j].num) is None or n.value == 0 for r in t.rows for j in cols if j < len(r))


def _has_values(t: Table) -> bool:
    from crossfoot.tables.structure import segments

    cols = {j for s in segments(t) for j in s.value_cols}
    return any((n := r[j].num) is not None and n.value != 0 for r in t.rows for j in cols if j < len(r))


def _line_around(text: str, start: int, end: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return " ".join(text[a:b if b >= 0 else len(text)].split())


def _empty_note(report: Report, t: Table | None, words: tuple[str, ...]) -> str | None:
    """The 空表说明 that explains an empty table, as printed: its own note (under it, or read as one of its
    rows), a note on its page, or a narrative sentence naming it or stating its fund is nil."""
    if t is not None:
        for note in [*t.notes, *(c.text for r in t.rows for c in r)]:
            if _EMPTY_NOTE.search(note):
                return " ".join(note.split())
    pages = set(t.pages) if t is not None else set()
    for p in report.pages:
        if p.number in pages and (m := _EMPTY_NOTE.search(p.text)):
            return _line_around(p.text, m.start(), m.end())
        if p.number in pages and _EMPTY_NOTE.search(compact(p.text)):
            return p.text.strip()[:120]  # the note is broken over lines: the page says it
    key = [w for w in words if len(w) >= 2]
    scope = fund_scope(t.title or "") if t is not None else None
    scope_words = words_of(f"scope.{scope}") if scope in _NARROW_SCOPES else ()
    for b in report.blocks:
        text = compact(b.text)
        if (m := _EMPTY_NOTE.search(b.text)) and any(w[:6] in text for w in key):
            return sentence_around(b.text, m.start(), m.end())
        # "政府性基金支出预算支出0万元": the narrative states the table's fund is nil.
        for z in _ZERO_STATED.finditer(text):
            if any(w in text[max(0, z.start() - 24):z.start()] for w in scope_words):
                return text[max(0, z.start() - 24):z.end()]
    return None


@check("completeness", family="document", severity="medium",
       doc="the tables a 部门决算/预算 disclosure must publish are present, and empty ones carry their 空表说明")
def completeness(ctx: Context) -> Iterable[Finding]:
    yield from _completeness(ctx.report)


def _completeness(report: Report) -> Iterator[Finding]:
    kind = report_kind(report)
    required = _required(kind)
    if not required or len(report.tables) < 3:
        return
    text = compact(" ".join(p.text for p in report.pages))
    present: list[str] = []
    listed = f"the catalogue's {kind} form list"
    for tkind, title, words in (*required, *_optional(kind)):
        must = any(tkind == r[0] for r in required)
        tables = [t for t in report.tables if table_kind(t) == tkind]
        if not tables:
            if not must:
                continue
            if any(w in text for w in words):
                present.append(title)  # printed, but not read as a table (an image, or one line)
                continue
            yield Finding(
                check="completeness", severity="medium", verdict="inconsistent", page=None, quote=title,
                stated="missing", expected="present",
                message=f"the {kind} disclosure has no {title} (required by {listed})")
            continue
        t = tables[0]
        own_note = _EMPTY_SAID.search(" ".join([*t.notes, *(c.text for r in t.rows for c in r)]))
        if own_note and _has_values(t):
            yield Finding(
                check="completeness", severity="medium", verdict="inconsistent", page=t.pages[0],
                quote=(t.title or title)[:120], stated=own_note.group(0), expected="an empty table, or no such note",
                message=f"{t.title or title} prints figures above a note saying it is empty ({own_note.group(0)})")
            if must:
                present.append(title)
            continue
        if _all_blank(t):
            note = _empty_note(report, t, words)
            if note is None:
                yield Finding(
                    check="completeness", severity="low", verdict="inconsistent", page=t.pages[0],
                    quote=(t.title or title)[:120], stated="empty", expected="figures, or a note saying why it is empty",
                    message=f"{t.title or title} is printed empty without a note saying why")
                continue
            yield Finding(
                check="completeness", severity="none", verdict="consistent", page=t.pages[0], quote=note[:120],
                stated="empty, with its note", expected="empty, with its note",
                message=f"{t.title or title} is printed empty, with a note saying why"
                        + ("" if must else f" (not on {listed}; printed anyway)"))
        if must:
            present.append(title)
    if len(present) == len(required):
        yield Finding(
            check="completeness", severity="none", verdict="consistent", page=None,
            quote=f"{kind} tables", stated=f"{len(present)}/{len(required)}", expected=f"{len(required)}",
            message=f"all {len(required)} tables of {listed} are present: {', '.join(present)}")
    yield from _contents_listed(report)


# ---- the report's own 目录 ---------------------------------------------------------------------------

_LEADER_TAIL = re.compile(r"[.．。·•…⋯_\-－—\s]*\d*\s*$")
_ENTRY_NUMBER = pattern("document.contents_entry_number")
_YEAR_WORDS = pattern("document.contents_year")
_PART = pattern("document.contents_part")
_CONTENTS = words_of("ingest.contents_titles")
_TABLE = words_of("ingest.table_noun")


def _style(numbering: str) -> str:
    if numbering[0] in "（(":
        return "paren"
    return "digit" if numbering[0].isdigit() else "cn"


def contents_tables(report: Report) -> tuple[int, list[str]] | None:
    """The page of the report's 目录 and the table titles it lists (entries ending in 表; an entry wrapped
    over two lines is joined)."""
    for p in report.pages[:4]:
        lines = [ln.strip() for ln in p.text.splitlines() if ln.strip()]
        if not any(compact(ln) in _CONTENTS for ln in lines[:3]):
            continue
        entries: list[tuple[str, str]] = []  # (numbering style, title)
        pending = ""
        for ln in lines:
            t = _LEADER_TAIL.sub("", compact(ln))
            if _PART.match(t):
                pending = ""
                continue
            if pending and not _ENTRY_NUMBER.match(t):
                t, pending = pending + t, ""
            elif pending:
                pending = ""
            m = _ENTRY_NUMBER.match(t)
            if m is None:
                continue
            if t.endswith(_TABLE):
                entries.append((_style(m.group(0)), t[m.end():]))
            elif not t.endswith(("。", "；")) and len(t) > 12:
                pending = t  # a long title wrapped before its 表
        # An entry whose next entry is numbered in another style heads a section ("五、部门预算表" over
        # "1. …总表"): a heading, not a table.
        titles = [e[1] for k, e in enumerate(entries)
                  if not (k + 1 < len(entries) and entries[k + 1][0] != e[0])]
        return p.number, titles
    return None


def _contents_listed(report: Report) -> Iterator[Finding]:
    """Every table the 目录 lists is printed somewhere after the 目录 (as a table or as its title)."""
    got = contents_tables(report)
    if got is None or not got[1]:
        return
    page, titles = got
    # The contents heading as printed (目录, 目次): the findings name the list by it.
    head = next((ln.strip() for p in report.pages if p.number == page for ln in p.text.splitlines()
                 if compact(ln) in _CONTENTS), _CONTENTS[0])
    later = compact(" ".join(p.text for p in report.pages if p.number > page))
    missing = []
    for title in titles:
        core = _YEAR_WORDS.sub("", title)
        if core in later or any(core in compact(t.title or "") for t in report.tables):
            continue
        m = recognise_title(core)
        if m is not None and any(form_id(t) == m for t in report.tables if t.pages[0] > page):
            continue
        missing.append(title)
    for title in missing:
        yield Finding(
            check="completeness", severity="medium", verdict="inconsistent", page=page, quote=title,
            stated="missing", expected="present",
            message=f"the report's {head} (p{page}) lists {title}, but no such table is printed")
    if not missing:
        yield Finding(
            check="completeness", severity="none", verdict="consistent", page=page, quote=head,
            stated=f"{len(titles)}/{len(titles)}", expected=f"{len(titles)}",
            message=f"all {len(titles)} tables the report's {head} lists are printed")
