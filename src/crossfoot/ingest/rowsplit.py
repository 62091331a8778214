"""A ruled frame whose columns are drawn but whose body rows are not: the whole body is one grid row,
each cell holding a column of lines. Rows come from the text lines, as in a table drawn with horizontal
rules only (each line with amounts is a row, a line without joins the nearest)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import replace

from crossfoot.ingest.hrules import _bands, _lines, _TextLine
from crossfoot.ingest.layout import Char
from crossfoot.ingest.raw import RawCell, RawTable
from crossfoot.numbers import EMPTY_MARKS

Box = tuple[float, float, float, float]


def _centre(c: Char) -> tuple[float, float]:
    return (float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2


def _dashes(ln: _TextLine) -> bool:
    return len(ln.runs) >= 2 and all(r.text.strip() in EMPTY_MARKS for r in ln.runs[1:])


def split_boxes(t: RawTable, chars: Sequence[Char]) -> list[Box] | None:
    """The table's cell boxes with each unruled body row cut into one row per line of amounts, or None
    when no row needs it. A row is cut only when two columns or more each hold two lines of amounts or
    more, on the same lines: a wrapped label or a list inside one cell is never cut."""
    rows: dict[int, list[RawCell]] = {}
    for c in t.cells:
        if c.r1 == c.r0 + 1:
            rows.setdefault(c.r0, []).append(c)
    # Sorted by height once: each row takes its band by bisection (no scan of the page per row).
    inside = sorted(((_centre(c)[1], i) for i, c in enumerate(chars) if str(c.get("text", "")).strip()
                     and t.bbox[0] <= _centre(c)[0] <= t.bbox[2] and t.bbox[1] <= _centre(c)[1] <= t.bbox[3]))
    ys = [y for y, _ in inside]
    cut: dict[int, list[tuple[float, float]]] = {}
    for r, cells in rows.items():
        top, bottom = min(c.bbox[1] for c in cells), max(c.bbox[3] for c in cells)
        lo, hi = bisect_left(ys, top), bisect_right(ys, bottom)
        # Two lines of amounts need more than a line's height: most ruled rows stop here.
        if hi - lo < 4 or ys[hi - 1] - ys[lo] < 4:
            continue
        mine = [chars[i] for _, i in inside[lo:hi]]
        lines = _lines(mine)
        numeric = [ln for ln in lines if ln.numeric]
        if len(numeric) < 2:
            continue
        per_col = [sum(1 for ln in numeric if any(c.bbox[0] <= (run.x0 + run.x1) / 2 <= c.bbox[2]
                                                  and run.text.strip() for run in ln.runs)) for c in cells]
        if sum(1 for n in per_col if n >= 2) < 2:
            continue
        # Once cut, a row printing a dash for each amount (第一预备金  -  -) is a row of amounts too.
        lines = [replace(ln, numeric=True) if _dashes(ln) else ln for ln in lines]
        bands = _bands(lines, [top, bottom], t.col_x[1] if len(t.col_x) > 1 else float("-inf"))
        if len(bands) >= 2:
            cut[r] = bands
    if not cut:
        return None
    boxes: list[Box] = []
    for c in t.cells:
        lines_of = cut.get(c.r0) if c.r1 == c.r0 + 1 else None
        if lines_of is None:
            boxes.append(c.bbox)
        else:
            boxes += [(c.bbox[0], b0, c.bbox[2], b1) for b0, b1 in lines_of]
    return boxes
