"""Where a line of report text may break: never inside a number, and by the CJK line-breaking rules (禁则).

Pure text rules (core: no Textual), used by the app's narrative pane and the `check` text report. A terminal wraps by cells, and a
generic wrapper happily prints "445.6" at the end of one line and "9万元" at the start of the next, or
starts a line with "，". Here a break is allowed between two characters unless:

* both belong to one number (digits, its point and thousands separators) or a number and the unit or
  percent sign printed against it;
* the second may not start a line (closing punctuation, the verdict symbols the app appends to figures);
* the first may not end a line (opening brackets and quotes);
* both are letters or digits of one Latin word.

When no allowed break fits (a token wider than the pane) the line is cut where it must be.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Characters that may not start a line (行首禁则), plus the app's verdict symbols after a figure.
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·,.;:?!)]}%％‰°✗≈✓")
# Characters that may not end a line (行尾禁则).
NO_END = frozenset("（《「『【〔〈“‘([{")
_NUMBER = frozenset("0123456789.,０１２３４５６７８９．，")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
# Printed against a number: kept on its line so "9万元" never starts the next one alone. These are the
# magnitude and unit characters of printed numbers: typography of the number, like its digits, not vocabulary.
_UNIT_START = frozenset("%％‰万亿千百元")


def cell_len(s: str) -> int:
    """Terminal cells: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def wrap(text: str, width: int, indent: str = "") -> str:
    """text broken into lines of at most `width` cells once `indent` (written by the caller before the
    first line, and here before every other) is counted; newlines in the text are kept."""
    room = max(width - cell_len(indent), 10)
    lines: list[str] = []
    for para in text.split("\n"):
        cuts = break_points(para, room)
        lines += [para[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(para)], strict=True)]
    return ("\n" + indent).join(lines)


def _is_number_char(text: str, i: int) -> bool:
    ch = text[i]
    if ch in _DIGITS:
        return True
    if ch in _NUMBER:
        # A point or separator is part of the number only between digits ("1,144.45", not "，再").
        return 0 < i < len(text) - 1 and text[i - 1] in _DIGITS and text[i + 1] in _DIGITS
    return False


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def may_break_before(text: str, i: int) -> bool:
    """True when a line may start at text[i] (0 < i < len(text))."""
    return _strength(text, i) == 2


def _strength(text: str, i: int) -> int:
    """2: a good break; 1: only a unit is parted from its number ("9万" / "元"); 0: not here."""
    a, b = text[i - 1], text[i]
    if a == "\n":
        return 2
    if b in NO_START or a in NO_END:
        return 0
    if _is_number_char(text, i - 1) and _is_number_char(text, i):
        return 0
    if _word_char(a) and _word_char(b):
        return 0
    if _is_number_char(text, i - 1) and b in _UNIT_START:
        return 1
    if b == "元" and a in "万亿千百" and i >= 2 and _is_number_char(text, i - 2):
        return 1
    return 2


def break_points(text: str, width: int, measure: Callable[[str], int] = cell_len) -> list[int]:
    """Offsets where each line after the first starts, lines at most `width` cells (greedy fill).

    A newline in the text always ends its line (the newline stays at the end of that line). When no
    good break fits, a unit is parted from its number; failing that the line is cut where it must be,
    one character early rather than start the next line with closing punctuation.
    """
    if width <= 0:
        return []
    out: list[int] = []
    start = 0
    used = 0
    i = 0
    while i < len(text):
        if i > start and text[i - 1] == "\n":
            out.append(i)
            start, used = i, 0
        w = measure(text[i]) if text[i] != "\n" else 0
        # A loop, not an if: what a cut carries over to the next line may itself not fit with this character
        # (a wide bracket kept with what follows it), and the next line must be cut again.
        while used + w > width and i > start:
            cut = _best_cut(text, start, i)
            out.append(cut)
            start = cut
            used = sum(measure(c) for c in text[cut:i] if c != "\n")
        used += w
        i += 1
    return out


def _best_cut(text: str, start: int, end: int) -> int:
    """Where to end a line that overflows at `end`: the last good break, else the last weak one, else
    `end` (a step back when text[end] may not start a line)."""
    for want in (2, 1):
        for j in range(end, start, -1):
            if _strength(text, j) >= want:
                return j
    if text[end] in NO_START and end - 1 > start:
        return end - 1
    return end
