"""Quoting the narrative: the sentence or the clauses around a figure, cut to a finding's quote width."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SENT_END = "。；;！？!?\n"


def sentence_around(text: str, start: int, end: int, width: int = 118, lead: int = 30) -> str:
    """The sentence holding text[start:end], cut to a quote's width around the match; a short sentence
    keeps up to `lead` characters of what precedes it, so the quote still reads in context."""
    a = max((text.rfind(ch, 0, start) for ch in _SENT_END), default=-1) + 1
    ends = [k for ch in _SENT_END if (k := text.find(ch, end)) >= 0]
    b = min(ends) + 1 if ends else len(text)
    s, e = a, b
    if e - s > width:
        s = max(a, min(start - (width - (end - start)) // 2, b - width))
        e = min(b, s + width)
    else:
        s = max(0, s - min(lead, width - (e - s)))
    return text[s:e].strip()


# A clause ends at a comma, enumeration comma, colon or sentence end; a comma between digits is a
# thousands separator, not a clause break.
_CLAUSE_BREAK = re.compile(r"[。；;！？!?\n，、：:]|(?<!\d),|,(?!\d)")


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the clause holding text[start:end] (widened to whole clauses at both ends)."""
    a = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, start):
        a = m.end()
    nxt = _CLAUSE_BREAK.search(text, end)
    b = nxt.start() if nxt else len(text)
    return a, max(b, end)


def clauses_quote(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The clauses holding the given spans, in text order: clauses that follow one another are quoted as
    printed, clauses apart are joined with "…", so a quote carries the figures a finding is about and not
    the neighbouring ones it does not use."""
    clauses = sorted(clause_around(text, s, e) for s, e in spans)
    merged: list[list[int]] = []
    for a, b in clauses:
        if merged and (a <= merged[-1][1]
                       or not _CLAUSE_BREAK.sub("", text[merged[-1][1]:a]).strip()):
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return "…".join(text[a:b].strip() for a, b in merged)
