"""Only the text a reader sees: glyphs drawn outside the page box are not part of the page.

Word processors and report generators leave text outside the visible page: the rest of a table
clipped at the page foot (it is printed again on the next page), a wide table whose other half is
shown on the facing page, a copy of the previous page placed above the top edge. Read as text, it
turns up as rows, titles and sentences that the printed page does not show.
"""

from __future__ import annotations

from collections.abc import Sequence

from crossfoot.ingest.layout import Char

BBox = tuple[float, float, float, float]
# Points of slack at the page edge: a glyph whose centre sits on the edge is still printed.
EDGE_SLACK = 1.0


def on_page(c: Char, box: BBox) -> bool:
    """Whether the glyph's centre lies inside the page box (x0, top, x1, bottom)."""
    x = (float(c["x0"]) + float(c["x1"])) / 2
    y = (float(c["top"]) + float(c["bottom"])) / 2
    return (box[0] - EDGE_SLACK <= x <= box[2] + EDGE_SLACK
            and box[1] - EDGE_SLACK <= y <= box[3] + EDGE_SLACK)


def visible_chars(chars: Sequence[Char], box: BBox | None) -> list[Char]:
    """The glyphs printed on the page; all of them when the page box is unknown (rotated pages,
    whose glyphs pdfplumber turns into another frame than the box)."""
    if box is None:
        return list(chars)
    return [c for c in chars if on_page(c, box)]


def box_on_page(b: BBox, width: float, height: float) -> bool:
    """Whether a region (a table found from drawn lines) has its centre on the page."""
    x, y = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return -EDGE_SLACK <= x <= width + EDGE_SLACK and -EDGE_SLACK <= y <= height + EDGE_SLACK


DUP_TOL = 1.0  # points: fake bold overprints the same glyph this close to itself


def dedupe(chars: Sequence[Char]) -> list[Char]:
    """Drop glyphs drawn twice at (almost) the same place, as fake bold does. Grid-bucketed, so
    linear in the number of chars (pdfplumber's dedupe_chars sorts and groups per page)."""
    seen: dict[tuple[str, int, int], list[Char]] = {}
    out: list[Char] = []
    for c in chars:
        t = str(c.get("text", ""))
        x, y = float(c["x0"]), float(c["top"])
        gx, gy = int(x // DUP_TOL), int(y // DUP_TOL)
        dup = False
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for o in seen.get((t, gx + dx, gy + dy), ()):
                    if abs(float(o["x0"]) - x) <= DUP_TOL and abs(float(o["top"]) - y) <= DUP_TOL \
                            and o.get("size") == c.get("size"):
                        dup = True
                        break
        if dup and t.strip():
            continue
        seen.setdefault((t, gx, gy), []).append(c)
        out.append(c)
    return out


_WHITE = ((1,), (1, 1, 1), (0, 0, 0, 0))


def _is_white(color: object) -> bool:
    if isinstance(color, (int, float)):
        return float(color) >= 0.99
    if isinstance(color, (list, tuple)) and color and all(isinstance(v, (int, float)) for v in color):
        vals = tuple(float(v) for v in color)
        if len(vals) == 4:  # CMYK: white is no ink
            return all(v <= 0.01 for v in vals)
        return all(v >= 0.99 for v in vals)
    return False


def invisible_rect(obj: dict[str, object]) -> bool:
    """A rect that draws no line: filled white (a cell's background) and not stroked, or stroked white.
    Its edges are no rules, and taking them as rules splits merged cells and adds phantom columns."""
    if obj.get("object_type") != "rect":
        return False
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return False
    return not obj.get("fill") or _is_white(obj.get("non_stroking_color"))
