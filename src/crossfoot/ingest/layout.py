"""Characters into lines: grouping by vertical overlap, ordering by x, joining without layout spaces.

PDF producers draw a line's glyphs in any order and sometimes put digits in another font on a
baseline a point away from the CJK text; extract_text then splits them onto a line of their own.
Grouping by vertical overlap (not exact `top`) and sorting by x puts every glyph back in its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

Char = Mapping[str, Any]

# A gap wider than this many font sizes splits a line into segments (e.g. "部门：X   2023年度   单位：元").
SEGMENT_GAP = 2.0
# A gap wider than this share of the font size between two Latin glyphs is a word space.
WORD_GAP = 0.2


@dataclass(frozen=True)
class Segment:
    x0: float
    x1: float
    text: str


@dataclass(frozen=True)
class Line:
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    segments: tuple[Segment, ...]
    bold: bool = False

    @property
    def text(self) -> str:
        # Segments are separate fields (a contents entry and its page number): keep them apart.
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x2FFFF)


def is_latin(ch: str) -> bool:
    """Glyphs between which a printed space is a real word space (letters, digits, ASCII marks)."""
    return ch.isascii() and not ch.isspace()


def needs_space(left: str, right: str) -> bool:
    """Whether two pieces of text, separated on the page, read with a space between them."""
    if not left or not right:
        return False
    a, b = left[-1], right[0]
    return is_latin(a) and is_latin(b) and a not in "([" and b not in ")],.;:%"


def join_segments(parts: Iterable[str]) -> str:
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        out = out + (" " if needs_space(out, p) else "") + p
    return out


def join_wrapped(lines: Iterable[str]) -> str:
    """Lines wrapped inside one paragraph or cell: CJK joins without a space, Latin words with one."""
    out = ""
    for ln in lines:
        ln = ln.strip()
        if not ln:
            continue
        if out and out[-1].isalpha() and out[-1].isascii() and ln[0].isalpha() and ln[0].isascii():
            out += " " + ln
        else:
            out += ln
    return out


def _height(c: Char) -> float:
    return float(c["bottom"]) - float(c["top"])


def group_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Chars into lines by vertical overlap; each line sorted by x."""
    visible = sorted(chars, key=lambda c: (float(c["top"]) + float(c["bottom"])) / 2)
    lines: list[list[Char]] = []
    cur: list[Char] = []
    top = bottom = 0.0
    for c in visible:
        t, b = float(c["top"]), float(c["bottom"])
        h = max(b - t, 0.1)
        if cur:
            overlap = min(b, bottom) - max(t, top)
            if overlap >= 0.5 * min(h, bottom - top):
                cur.append(c)
                top, bottom = min(top, t), max(bottom, b)
                continue
            lines.append(cur)
        cur, top, bottom = [c], t, b
    if cur:
        lines.append(cur)
    for ln in lines:
        ln.sort(key=lambda c: float(c["x0"]))
    return lines


def _segments(chars: Sequence[Char]) -> list[Segment]:
    segs: list[Segment] = []
    buf = ""
    x0 = x1 = 0.0
    prev: Char | None = None
    space_seen = False
    for c in chars:
        t = str(c.get("text", ""))
        if not t.strip():
            space_seen = prev is not None
            continue
        size = float(c.get("size") or _height(c) or 10.0)
        if prev is None:
            buf, x0, x1 = t, float(c["x0"]), float(c["x1"])
        else:
            gap = float(c["x0"]) - float(prev["x1"])
            if gap > SEGMENT_GAP * size:
                segs.append(Segment(x0, x1, buf))
                buf, x0 = t, float(c["x0"])
            else:
                wide = space_seen or gap > WORD_GAP * size
                if wide and is_latin(buf[-1]) and is_latin(t[0]):
                    buf += " "
                buf += t
            x1 = max(x1, float(c["x1"]))
        prev = c
        space_seen = False
    if buf:
        segs.append(Segment(x0, x1, buf))
    return segs


# Letter-spaced titles ("人 事 費 彙 計 表", "江 苏 省 …") put one glyph per segment at an even pitch:
# at least this many such glyphs, gaps within this share of each other, read as one word.
SPACED_MIN = 3
SPACED_EVEN = 0.25


def letter_spaced(segs: Iterable[Segment]) -> list[Segment]:
    """Runs of single CJK glyphs spaced at an even pitch joined into one segment: a letter-spaced
    title is one word, not a row of one-character fields."""
    out: list[Segment] = []
    run: list[Segment] = []

    def flush() -> None:
        if len(run) >= SPACED_MIN and _even([b.x0 - a.x1 for a, b in pairwise(run)]):
            out.append(Segment(run[0].x0, run[-1].x1, "".join(r.text.strip() for r in run)))
        else:
            out.extend(run)
        run.clear()

    for seg in segs:
        t = seg.text.strip()
        if len(t) == 1 and is_cjk(t):
            if run and not _even([seg.x0 - run[-1].x1] + ([run[1].x0 - run[0].x1] if len(run) > 1 else [])):
                flush()
            run.append(seg)
            continue
        flush()
        out.append(seg)
    flush()
    return out


def _even(gaps: list[float]) -> bool:
    if not gaps:
        return True
    lo, hi = min(gaps), max(gaps)
    return lo > 0 and (hi - lo) <= SPACED_EVEN * hi


def _is_bold(chars: Sequence[Char]) -> bool:
    names = [str(c.get("fontname", "")) for c in chars if str(c.get("text", "")).strip()]
    if not names:
        return False
    bold = sum(1 for n in names if "bold" in n.lower() or "hei" in n.lower())
    return bold * 2 > len(names)


def build_lines(chars: Sequence[Char], page: int) -> list[Line]:
    out: list[Line] = []
    for grp in group_lines(chars):
        ink = [c for c in grp if str(c.get("text", "")).strip()]
        if not ink:
            continue
        segs = tuple(letter_spaced(s for s in _segments(grp) if s.text.strip()))
        if not segs:
            continue
        sizes = sorted(float(c.get("size") or _height(c)) for c in ink)
        out.append(Line(page=page, x0=min(float(c["x0"]) for c in ink), top=min(float(c["top"]) for c in ink),
                        x1=max(float(c["x1"]) for c in ink), bottom=max(float(c["bottom"]) for c in ink),
                        size=sizes[len(sizes) // 2], segments=segs, bold=_is_bold(ink)))
    return out


def text_of(chars: Sequence[Char]) -> str:
    """The text of a small region (a table cell): its lines joined as wrapped text."""
    return join_wrapped(join_segments(s.text for s in _segments(g)) for g in group_lines(chars))
