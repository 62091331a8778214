"""Where a finding sits on its page, in the PDF's own coordinates: the quote's glyphs and the cells' boxes.

The document model keeps pdfplumber's frame (origin at the top-left of the page as displayed, after
/Rotate, offset by the MediaBox). Annotations live in default user space (origin bottom-left of the
unrotated page). PageFrame converts one into the other for any /Rotate and any MediaBox origin.

A quote is text as the model joined it (wrapped lines run together, table cells joined by spaces, far
clauses joined by "…"), so it is found piece by piece: each piece is matched in the page's reading-order
text as the longest runs that occur near the previous one, which follows a sentence across line wraps
and a table row across its cells without assuming either layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crossfoot.ingest.layout import Char, group_lines

if TYPE_CHECKING:
    from pdfplumber.page import Page as PlumberPage

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in pdfplumber's frame
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF user space, normalised
Quad = tuple[float, float, float, float, float, float, float, float]

# A quote counts as found when this share of its characters was matched on the page; below it the
# matches are coincidences (digits, common words) and the finding gets a note without a highlight.
MIN_COVERAGE = 0.6
MIN_ANCHOR = 4  # the anchoring run: shorter ones ("10", "合计") occur on every page
MIN_RUN = 2  # single glyphs are never matched on their own
GAP = 120  # page characters allowed between two runs of one quote (other cells of a wrapped table row)
SLACK = 40  # window margin, in page characters
LINE_PITCH = 3.0  # two runs of one sentence are at most this many glyph heights apart vertically
MAX_ANCHORS = 12  # places a repeated anchoring run is tried at
WIDEN = 4  # the window spans this many times the quote's length: a table row interleaves other cells
PAGE_TAIL = 40  # characters after a match that can only be furniture (a page number, a footer)
_PIECES = re.compile(r"\s+|…+|\.{3,}")
_ELISION = re.compile(r"…+")


@dataclass(frozen=True)
class PageFrame:
    """pdfplumber's frame of one page ↔ default user space."""

    rotation: int  # /Rotate, normalised to 0, 90, 180 or 270
    box: Rect  # the MediaBox pdfminer placed the page by
    origin: tuple[float, float]  # pdfplumber coordinates of the displayed top-left corner

    @classmethod
    def of(cls, page: PlumberPage) -> PageFrame:
        raw = [float(v) for v in page.page_obj.mediabox]
        box = (min(raw[0], raw[2]), min(raw[1], raw[3]), max(raw[0], raw[2]), max(raw[1], raw[3]))
        mb = page.mediabox
        return cls(int(page.rotation or 0) % 360, box, (float(mb[0]), float(mb[1])))

    @property
    def display_size(self) -> tuple[float, float]:
        """Width and height of the page as shown (turned by /Rotate)."""
        w, h = self.box[2] - self.box[0], self.box[3] - self.box[1]
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def to_user(self, x: float, top: float) -> tuple[float, float]:
        # Distances from the displayed top-left corner, rightwards and downwards.
        dx, dy = x - self.origin[0], top - self.origin[1]
        x0, y0, x1, y1 = self.box
        if self.rotation == 90:  # shown turned clockwise: down the screen is +x, across is +y
            return x0 + dy, y0 + dx
        if self.rotation == 180:
            return x1 - dx, y0 + dy
        if self.rotation == 270:
            return x1 - dy, y1 - dx
        return x0 + dx, y1 - dy

    def rect(self, b: Box) -> Rect:
        xa, ya = self.to_user(b[0], b[1])
        xb, yb = self.to_user(b[2], b[3])
        return (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))

    def quad(self, b: Box) -> Quad:
        """QuadPoints in the order viewers read them: upper-left, upper-right, lower-left, lower-right
        of the text as displayed, so a highlight on a turned page lies along its line."""
        ul = self.to_user(b[0], b[1])
        ur = self.to_user(b[2], b[1])
        ll = self.to_user(b[0], b[3])
        lr = self.to_user(b[2], b[3])
        return (*ul, *ur, *ll, *lr)

    def top_of(self, b: Box) -> tuple[float, float]:
        """The user-space point at the displayed top-left of b (a bookmark's target)."""
        return self.to_user(b[0], b[1])


@dataclass(frozen=True)
class PageText:
    """A page's glyphs in reading order, with the normalised text used to find quotes."""

    lines: tuple[tuple[Char, ...], ...]
    text: str  # normalised, no whitespace
    owner: tuple[tuple[int, int], ...]  # text position -> (line index, glyph index in line)

    @classmethod
    def of(cls, chars: Iterable[Char]) -> PageText:
        from crossfoot.ingest.visible import dedupe

        glyphs = dedupe([c for c in chars if not str(c.get("text", "")).startswith("(cid:")])
        lines = tuple(tuple(ln) for ln in group_lines(glyphs))
        buf: list[str] = []
        owner: list[tuple[int, int]] = []
        for i, ln in enumerate(lines):
            for j, c in enumerate(ln):
                for ch in norm(str(c.get("text", ""))):
                    buf.append(ch)
                    owner.append((i, j))
        return cls(lines, "".join(buf), tuple(owner))


def norm(s: str) -> str:
    """Full-width forms folded (％ → %, ， stays), whitespace dropped: how quote and page are compared."""
    return "".join(unicodedata.normalize("NFKC", s).split())


def _longest_prefix(piece: str, text: str) -> int:
    """The length of piece's longest prefix that occurs in text (occurring is monotone in length)."""
    lo, hi = 0, len(piece)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if piece[:mid] in text:
            lo = mid
        else:
            hi = mid - 1
    return lo


@dataclass(frozen=True)
class QuoteMatch:
    glyphs: frozenset[tuple[int, int]]  # (line, index in line) of the glyphs printing the quote
    matched: int  # quote characters found
    total: int  # quote characters (normalised)
    tail: str  # the normalised quote after its last match: where a sentence runs onto the next page
    ends_page: bool  # the last match is at the end of the page's text (only furniture follows)

    @property
    def share(self) -> float:
        return self.matched / self.total if self.total else 0.0


def locate_quote(quote: str, page: PageText, *, at_start: bool = False,
                 rows: Sequence[tuple[float, float]] = ()) -> QuoteMatch:
    """The glyphs that print the quote on the page.

    The quote's most distinctive run (the longest prefix of its longest piece found on the page)
    anchors a window sized to the quote. Inside it the quote is read in order, each run after the last
    and at most GAP characters on (a sentence, wrapped or not); when that finds too little and the
    quote has several pieces (a table row's cells, each centred in its own height), each piece is
    found on its own and short ones only inside the band of the row the long ones sit in.
    at_start: the quote continues from the previous page, so the window opens at the page's top.
    rows: the vertical extents of cells the finding used on this page; a quote of short pieces only
    ("合计 50 42": nothing distinctive to anchor on) is looked for within one of those rows.
    """
    # Clauses a finding joins with an elision ("政府采购货物支出0.09万元…占货物支出金额的0.06%") may stand far
    # apart in the sentence: each is found on its own, as a quote of its own.
    clauses = [c for c in _ELISION.split(quote) if norm(c)]
    if len(clauses) > 1 and not at_start and not rows:
        each = [locate_quote(c, page) for c in clauses]
        return QuoteMatch(frozenset().union(*(g.glyphs for g in each)), sum(g.matched for g in each),
                          sum(g.total for g in each), each[-1].tail, each[-1].ends_page)
    pieces = [p for p in (norm(x) for x in _PIECES.split(quote)) if p]
    flat = "".join(pieces)
    text = page.text
    none = QuoteMatch(frozenset(), 0, len(flat), flat, False)
    if not flat or not text:
        return none
    if at_start:
        return _match_in(pieces, flat, page, 0, min(len(text), WIDEN * len(flat) + SLACK))
    # The piece with the longest run printed on the page: a row's joined "；5" or a cell split by the
    # parse may not be printed as such, but one of its pieces is.
    runs = [(_longest_prefix(p, text), -i) for i, p in enumerate(pieces)]
    k, neg = max(runs)
    if k < min(MIN_ANCHOR, len(flat)):
        for band in rows:
            found: set[int] = set()
            _short_in_band(pieces, page, 0, len(text), band, found)
            if len(found) > none.matched:
                none = QuoteMatch(frozenset(page.owner[i] for i in found), len(found), len(flat), "", False)
        return none
    run = pieces[-neg][:k]
    before = sum(len(p) for p in pieces[:-neg])
    # A run a table repeats on every row ("完成指标得满分"): each place it is printed anchors a try,
    # and the place where most of the quote is found wins.
    best = none
    for at in _occurrences(text, run)[:MAX_ANCHORS]:
        lo = max(0, at - WIDEN * before - SLACK)
        hi = min(len(text), at + WIDEN * (len(flat) - before) + SLACK)
        got = _match_in(pieces, flat, page, lo, hi, at)
        if got.matched > best.matched:
            best = got
        if best.matched == len(flat):
            break
    return best


def _match_in(pieces: Sequence[str], flat: str, page: PageText, lo: int, hi: int,
              anchor: int | None = None) -> QuoteMatch:
    found, done, last_end = _in_order(pieces, page, lo, hi)
    if len(pieces) > 1 and len(found) < MIN_COVERAGE * len(flat):
        apart = _piecewise(pieces, page, lo, hi, lo if anchor is None else anchor)
        if len(apart) > len(found):
            glyphs = frozenset(page.owner[i] for i in apart)
            return QuoteMatch(glyphs, len(apart), len(flat), "", False)
    glyphs = frozenset(page.owner[i] for i in found)
    ends_page = last_end >= 0 and len(page.text) - last_end <= PAGE_TAIL
    return QuoteMatch(glyphs, len(found), len(flat), flat[done:], ends_page)


def _occurrences(text: str, run: str) -> list[int]:
    out: list[int] = []
    i = text.find(run)
    while i >= 0:
        out.append(i)
        i = text.find(run, i + 1)
    return out


def page_end_prefix(quote: str, page: PageText) -> QuoteMatch:
    """The longest opening of the quote printed at the very end of the page (only furniture after it):
    a sentence that runs over the page break. tail is what the next page should open with."""
    flat = "".join(p for p in (norm(x) for x in _PIECES.split(quote)) if p)
    text = page.text
    region_at = max(0, len(text) - len(flat) - PAGE_TAIL)
    region = text[region_at:]
    for k in range(len(flat), MIN_ANCHOR - 1, -1):
        at = region.rfind(flat[:k])
        if at >= 0 and len(region) - (at + k) <= PAGE_TAIL:
            glyphs = frozenset(page.owner[region_at + i] for i in range(at, at + k))
            return QuoteMatch(glyphs, k, len(flat), flat[k:], True)
    return QuoteMatch(frozenset(), 0, len(flat), flat, False)


def _in_order(pieces: Sequence[str], page: PageText, lo: int, hi: int) -> tuple[set[int], int, int]:
    """Text positions matching the pieces read in order, the quote offset matched up to, the last end."""
    text = page.text
    found: set[int] = set()
    cursor, last_end, done = lo, -1, 0
    pos = 0  # offset in the joined quote of the piece being matched
    for piece in pieces:
        rest, off = piece, pos
        while rest:
            window = text[cursor:hi]
            k = _longest_prefix(rest, window)
            # The first run must be distinctive: a wrong early match would push the rest out of reach.
            if k < (min(MIN_ANCHOR, len(piece)) if last_end < 0 else MIN_RUN) or k == 0:
                rest, off = rest[1:], off + 1  # not printed here (or printed differently): skip a glyph
                continue
            at = cursor + window.find(rest[:k])
            # Reading order runs one line into the next: a run that jumps down the page is two texts.
            k = next((i - at for i in range(at + 1, at + k) if page.owner[i][0] != page.owner[i - 1][0]
                      and _lines_apart(page, i - 1, i)), k)
            if last_end < 0 and k < min(MIN_ANCHOR, len(piece)):
                rest, off = rest[k:], off + k
                continue
            if last_end >= 0 and (at - last_end > GAP or _lines_apart(page, last_end - 1, at)):
                rest, off = rest[k:], off + k  # only far away: not this quote's
                continue
            found.update(range(at, at + k))
            cursor = last_end = at + k
            done = off + k
            rest, off = rest[k:], off + k
        pos += len(piece)
    return found, done, last_end


def _piecewise(pieces: Sequence[str], page: PageText, lo: int, hi: int, anchor: int) -> set[int]:
    """Each piece matched on its own in the window: long ones in order within themselves (a wrapped
    cell) where printed nearest the anchor's height (a table repeats a cell's words on other rows),
    then short ones whole, unused, not inside a longer number, and inside the band the long ones span."""
    text = page.text
    mid = _mid_y(page, anchor)
    found: set[int] = set()
    for piece in (p for p in pieces if len(p) >= MIN_ANCHOR):
        k = _longest_prefix(piece, text[lo:hi])
        if k < MIN_ANCHOR:
            continue
        tries = [_in_order([piece], page, at, hi)[0] for at in _occurrences(text[:hi], piece[:k]) if at >= lo]
        tries = [t for t in tries[:MAX_ANCHORS] if t]
        if tries:
            found |= min(tries, key=lambda t: abs(_mid_y(page, min(t)) - mid))
    if not found:
        return found
    tops = [_glyph_y(page, i) for i in found]
    band = (min(t[0] for t in tops), max(t[1] for t in tops))
    _short_in_band([p for p in pieces if len(p) < MIN_ANCHOR], page, lo, hi, band, found)
    return found


def _short_in_band(pieces: Sequence[str], page: PageText, lo: int, hi: int, band: tuple[float, float],
                   found: set[int]) -> None:
    """Short pieces (a figure, 合计) matched whole, unused, inside the band, nearest its middle."""
    text = page.text
    mid = (band[0] + band[1]) / 2
    for piece in pieces:
        spots = [at for at in _occurrences(text[:hi], piece) if at >= lo and _whole(page, at, len(piece))]
        for at in sorted(spots, key=lambda at: abs(_mid_y(page, at) - mid)):
            span = range(at, at + len(piece))
            if all(band[0] <= _mid_y(page, i) <= band[1] for i in span) and not found.intersection(span):
                found.update(span)
                break


_NUMERIC = set("0123456789.,%")


def _whole(page: PageText, at: int, n: int) -> bool:
    """A figure matched whole: "15" is not the start of "150" nor the end of "2015". Only a glyph
    printed right next to it counts: the next cell's figure follows in the text but not on the page."""
    text = page.text
    return not ((at > 0 and text[at] in _NUMERIC and text[at - 1] in _NUMERIC and _touching(page, at - 1, at))
                or (at + n < len(text) and text[at + n - 1] in _NUMERIC and text[at + n] in _NUMERIC
                    and _touching(page, at + n - 1, at + n)))


def _touching(page: PageText, i: int, j: int) -> bool:
    (li, gi), (lj, gj) = page.owner[i], page.owner[j]
    if li != lj:
        return False
    a, b = page.lines[li][gi], page.lines[lj][gj]
    return float(b["x0"]) - float(a["x1"]) <= 0.5 * max(float(a["bottom"]) - float(a["top"]), 1.0)


def _lines_apart(page: PageText, i: int, j: int) -> bool:
    """Glyphs i and j further apart than a wrapped line can be (LINE_PITCH em): not one sentence."""
    top, bottom = _glyph_y(page, i)
    return abs(_mid_y(page, j) - (top + bottom) / 2) > LINE_PITCH * max(bottom - top, 1.0)


def _mid_y(page: PageText, i: int) -> float:
    top, bottom = _glyph_y(page, i)
    return (top + bottom) / 2


def _glyph_y(page: PageText, i: int) -> tuple[float, float]:
    line, j = page.owner[i]
    c = page.lines[line][j]
    return float(c["top"]), float(c["bottom"])


def glyph_boxes(page: PageText, glyphs: frozenset[tuple[int, int]]) -> list[Box]:
    """One box per run of matched glyphs on a line (a wrapped sentence: one per line; a table row:
    one per cell), so a highlight never covers the gaps between cells: a run ends at an unmatched
    glyph and at a gap wider than the layout's segment gap (the empty space between two cells)."""
    from crossfoot.ingest.layout import SEGMENT_GAP

    boxes: list[Box] = []
    for i, ln in enumerate(page.lines):
        run: list[Char] = []
        for j, c in enumerate(ln):
            blank = not str(c.get("text", "")).strip()
            if (i, j) in glyphs:
                if run and float(c["x0"]) - float(run[-1]["x1"]) > SEGMENT_GAP * _size(c):
                    boxes.append(_union(run))
                    run = []
                run.append(c)
            elif run and not blank:
                boxes.append(_union(run))
                run = []
        if run:
            boxes.append(_union(run))
    return boxes


def _size(c: Char) -> float:
    return float(c.get("size") or (float(c["bottom"]) - float(c["top"])) or 10.0)


def _union(chars: Sequence[Char]) -> Box:
    return (min(float(c["x0"]) for c in chars), min(float(c["top"]) for c in chars),
            max(float(c["x1"]) for c in chars), max(float(c["bottom"]) for c in chars))


def grow(b: Box, pad: float) -> Box:
    return (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
