"""Report knowledge as data: standard forms, column roles, identities, vocabulary and sentence forms.

The data lives in forms.toml, lexicon.toml and sentences.toml next to this file; this package holds the
mechanisms that read it. Entry points for the rest of the core:

- ``load_catalogue()``: the whole catalogue (cached once per process)
- ``column_role(header)``: the role of a value column from its header label or header path
- ``fund_scope(text)``: the fund scope a table title or label names (most specific first)
- ``budget_base(text)``: which budget a phrase names (年初预算, 全年预算, 上年预算执行数 …)
- ``words(key)`` / ``sign(word)``: the lexicon's words (``words("relation.increase")``, ``words("document.x")``)
- ``pattern(key)``: a compiled pattern of knowledge/vocab (``pattern("document.empty_table_said")``)
- ``find_sentences(form_id, text)``: sentence forms found in a block's text, with printed offsets
- ``recognise(table)`` (crossfoot.knowledge.recognise): the standard form a parsed table is
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from crossfoot.knowledge.catalogue import (
    Catalogue,
    CatalogueError,
    Form,
    Identity,
    SentenceForm,
    load_catalogue,
    strip_space,
)

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Form",
    "Identity",
    "SentenceForm",
    "SentenceMatch",
    "budget_base",
    "budget_period",
    "column_role",
    "find_sentences",
    "fund_scope",
    "load_catalogue",
    "pattern",
    "sign",
    "words",
]

_PUNCT = re.compile(r"[\s\u3000“”\"'‘’「」《》（）()、:：]")


def _compact(s: str) -> str:
    return _PUNCT.sub("", s)


@lru_cache(maxsize=1024)
def words(key: str) -> tuple[str, ...]:
    """The lexicon's words under a dotted key: "relation.increase", "base.original", "rows.total"…"""
    # Memoised: the linker asks for the same few sets once per figure and cell (thousands of calls).
    return load_catalogue().words(key)


def pattern(key: str) -> re.Pattern[str]:
    """A compiled pattern of knowledge/vocab/AREA.toml by "AREA.NAME" (its word sets already expanded)."""
    return load_catalogue().pattern(key)


@lru_cache(maxsize=256)
def sign(word: str) -> int:
    """+1 for a rise word (增加, 增长…), -1 for a fall word (减少, 下降…), 0 otherwise."""
    for r in load_catalogue().relations:
        if r.sign and word in r.words:
            return r.sign
    return 0


@lru_cache(maxsize=4096)
def _role_of_level(level: str) -> str | None:
    t = _compact(level)
    if not t:
        return None
    cat = load_catalogue()
    for role in cat.roles:
        if t in role.aliases:
            return role.id
    # "本年支出合计" holds "本年支出": the longest alias inside the label names its role.
    best: tuple[int, str] | None = None
    for role in cat.roles:
        for a in role.aliases:
            if len(a) >= 2 and a in t and (best is None or len(a) > best[0]):
                best = (len(a), role.id)
    return best[1] if best else None


def column_role(header: str | Sequence[str]) -> str | None:
    """The role of a column (see forms.toml [[role]]) from its header label ("本年支出/预算数/基本支出")
    or header path; the deepest level that names a role decides, so 基本支出 under 预算数 is basic."""
    levels = header.split("/") if isinstance(header, str) else list(header)
    for level in reversed(levels):
        role = _role_of_level(level)
        if role is not None:
            return role
    return None


@lru_cache(maxsize=4096)
def fund_scope(text: str) -> str | None:
    """The most specific fund scope the text names (general inside fiscal inside all), or None."""
    t = _compact(text)
    cat = load_catalogue()
    depth = {s.id: 0 for s in cat.scopes}
    by_id = {s.id: s for s in cat.scopes}
    for s in cat.scopes:
        d, cur = 0, s
        while cur.within:
            d += 1
            cur = by_id[cur.within]
        depth[s.id] = d
    hits = [s.id for s in cat.scopes if any(w in t for w in s.words)]
    return max(hits, key=lambda h: depth[h]) if hits else None


@lru_cache(maxsize=4096)
def budget_base(text: str) -> str | None:
    """Which budget a phrase names: the base whose longest word it contains (上年预算执行数 before 预算)."""
    t = _compact(text)
    best: tuple[int, str] | None = None
    for b in load_catalogue().bases:
        for w in b.words:
            if w in t and (best is None or len(w) > best[0]):
                best = (len(w), b.id)
    return best[1] if best else None


def budget_period(text: str) -> str:
    """'original' when the text names the 年初 budget, 'whole' for 全年/调整, '' when it does not say."""
    t = _compact(text)
    if any(w in t for w in words("period.original")):
        return "original"
    if any(w in t for w in words("period.whole_year")):
        return "whole"
    return ""


@dataclass(frozen=True)
class SentenceMatch:
    form: str
    start: int  # offsets in the printed text
    end: int
    groups: dict[str, str]
    spans: dict[str, tuple[int, int]]


@lru_cache(maxsize=32)
def _flat(text: str) -> tuple[str, tuple[int, ...]]:
    # Several sentence forms are looked for in the same text (a report's whole narrative): strip it once.
    flat, where = strip_space(text)
    return flat, tuple(where)


def find_sentences(form_id: str, text: str) -> Iterator[SentenceMatch]:
    """Matches of a sentence form in the text; whitespace (line breaks included) is ignored, and the
    offsets given are those of the printed text."""
    form = load_catalogue().sentence(form_id)
    flat, where = _flat(text)
    for m in form.regex.finditer(flat):
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        spans = {k: (where[m.start(k)], where[m.end(k) - 1] + 1) for k in groups}
        yield SentenceMatch(form_id, where[m.start()], where[m.end() - 1] + 1, groups, spans)
