"""Table pieces on consecutive pages: whether they are one table, and the rows of a continuation
put into the first piece's columns."""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from crossfoot.ingest.raw import RawCell, RawTable
from crossfoot.knowledge import pattern
from crossfoot.model import Cell
from crossfoot.numbers import parse_number


def same_columns(a: RawTable, b: RawTable) -> bool:
    if a.n_cols != b.n_cols:
        return False
    if a.inferred or b.inferred:
        # Boundaries read from text alignment sit in the gap between columns, wherever the widest
        # text of that page leaves it: the same column when within half the narrowest column.
        narrow = min(y - x for t in (a, b) for x, y in itertools.pairwise(t.col_x))
        return all(abs(x - y) < max(6.0, narrow / 2) for x, y in zip(a.col_x, b.col_x, strict=True))
    return all(abs(x - y) < 6 for x, y in zip(a.col_x, b.col_x, strict=True))


def same_frame(a: RawTable, b: RawTable) -> bool:
    """The same outer edges: a continuation whose columns differ (a column empty on this page, a
    section of a form with columns of its own) is still the same table."""
    return abs(a.bbox[0] - b.bbox[0]) < 6 and abs(a.bbox[2] - b.bbox[2]) < 6


def remap(row: list[Cell], raw_row: Sequence[RawCell | None], src: Sequence[float],
           dst: Sequence[float]) -> list[Cell]:
    """A continuation row onto the first piece's columns: each cell to the column under its text
    (or, without that, the column it overlaps most)."""
    if len(src) == len(dst) and all(abs(x - y) < 6 for x, y in zip(src, dst, strict=True)):
        return row
    out: list[Cell] = [Cell("", row[0].page if row else 0, None) for _ in range(len(dst) - 1)]
    for j, c in enumerate(row):
        if not c.text.strip():
            continue
        raw = raw_row[j]
        a, b = (raw.ink if raw is not None and raw.ink else (src[j], src[j + 1]))
        if raw is not None and raw.ink:
            mid = (a + b) / 2
            a, b = mid - 0.5, mid + 0.5
        k = max(range(len(dst) - 1), key=lambda k: min(b, dst[k + 1]) - max(a, dst[k]))
        prev = out[k]
        text = f"{prev.text}{c.text}" if prev.text.strip() else c.text
        out[k] = Cell(text, c.page, c.bbox if prev.bbox is None else prev.bbox)
    return out


def _index(bounds: Sequence[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _same_grid(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 6 for x, y in zip(a, b, strict=True))


def _covers(fine: Sequence[float], coarse: Sequence[float]) -> bool:
    return len(fine) > len(coarse) and all(any(abs(x - y) < 6 for y in fine) for x in coarse)


def common_grid(pieces: Sequence[RawTable]) -> tuple[float, ...] | None:
    """The finest column grid of the pieces when it holds every other piece's boundaries: a first page
    headed 收入 | 支出 over a continuation printing 项目 | 金额 under each splits onto the finer grid
    rather than squeezing the continuation into two columns."""
    finest = max(pieces, key=lambda p: p.n_cols).col_x
    if all(_same_grid(p.col_x, finest) or _covers(finest, p.col_x) for p in pieces):
        return finest
    return None


def refine(raw: RawTable, grid: Sequence[float]) -> RawTable:
    """The piece on a finer grid: each cell spans the fine columns inside its own."""
    if tuple(raw.col_x) == tuple(grid):
        return raw
    last = len(grid) - 1

    def at(k: int) -> int:  # the frame's own edges are the grid's edges (a sliver column at the side)
        return 0 if k == 0 else last if k == raw.n_cols else _index(grid, raw.col_x[k])

    cells = tuple(RawCell(c.text, c.bbox, c.r0, c.r1, at(c.c0), at(c.c1), c.ink) for c in raw.cells)
    return replace(raw, n_cols=len(grid) - 1, cells=cells, col_x=tuple(grid))


def split_rows(raw: RawTable, at: Sequence[int]) -> list[RawTable]:
    """The piece cut before each grid row in `at` (one frame drawn around two tables)."""
    bounds = [0, *sorted(a for a in at if 0 < a < raw.n_rows), raw.n_rows]
    out: list[RawTable] = []
    for lo, hi in itertools.pairwise(bounds):
        cells = tuple(RawCell(c.text, c.bbox, c.r0 - lo, c.r1 - lo, c.c0, c.c1, c.ink) for c in raw.cells
                      if lo <= c.r0 < hi and c.r1 <= hi)
        if not cells:
            continue
        top = min(c.bbox[1] for c in cells)
        bottom = max(c.bbox[3] for c in cells)
        part = replace(raw, bbox=(raw.bbox[0], top, raw.bbox[2], bottom), n_rows=hi - lo, cells=cells)
        out.append(own_columns(part) if len(bounds) > 2 else part)
    return out or [raw]


def own_columns(raw: RawTable) -> RawTable:
    """A piece cut from a shared frame keeps only the column boundaries its own cells use: the other
    table's boundaries (a wider last column, a finer split) would hide that it continues the table on
    the page before."""
    used = sorted({c.c0 for c in raw.cells} | {c.c1 for c in raw.cells})
    if len(used) < 2 or len(used) == raw.n_cols + 1:
        return raw
    at = {k: i for i, k in enumerate(used)}
    cells = tuple(RawCell(c.text, c.bbox, c.r0, c.r1, at[c.c0], at[c.c1], c.ink) for c in raw.cells)
    col_x = tuple(raw.col_x[k] for k in used)
    bbox = (col_x[0], raw.bbox[1], col_x[-1], raw.bbox[3])
    return replace(raw, bbox=bbox, n_cols=len(used) - 1, cells=cells, col_x=col_x)


def full_columns(row: Sequence[RawCell | None], dst: Sequence[float]) -> set[int]:
    """The columns (of `dst`) whose cell's text fills its width, with less room left than one more
    character: a label wrapped there may go on at the top of the next page."""
    out: set[int] = set()
    for c in {id(c): c for c in row if c is not None}.values():
        t = c.text.strip()
        if not t or c.ink is None or "\n" in t:
            continue
        ink = c.ink[1] - c.ink[0]
        if (c.bbox[2] - c.bbox[0]) - ink < 1.2 * ink / len(t) + 4:
            mid = (c.ink[0] + c.ink[1]) / 2
            out.add(max(0, min(len(dst) - 2, bisect_right(dst, mid) - 1)))
    return out


_ITEM_START = pattern("ingest.item_start")


def wrapped_over(prev: Sequence[Cell], first: Sequence[Cell], full: set[int]) -> list[Cell] | None:
    """`prev` (the last row before a page break) with the label text of `first` (the first row after
    it) appended, when `first` is only the rest of labels that filled their cells in `prev`: no
    amount, text only under those full cells, none opening a new item (一、 (一) 1. a code)."""
    filled = [j for j, c in enumerate(first) if c.text.strip()]
    if not filled or len(first) != len(prev) or not set(filled) <= full:
        return None
    for j in filled:
        t = first[j].text.strip()
        if parse_number(t) is not None or _ITEM_START.match(t) or prev[j].text.rstrip().endswith(("。", "；", ";")):
            return None
    return [Cell(f"{p.text}{first[j].text.strip()}", p.page, p.bbox) if j in filled else p
            for j, p in enumerate(prev)]
