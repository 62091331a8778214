"""A wide table printed across two facing pages: each page draws the whole grid but shows one half (the
other half lies past the page edge, where nothing is printed). The halves side by side are one table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from crossfoot.ingest.raw import PagePart, RawCell, RawTable
from crossfoot.ingest.visible import box_on_page

_TOL = 6.0  # points: the halves' outer rules and row rules meet within this


def join_spreads(parts: Sequence[PagePart]) -> list[PagePart]:
    """Pages with a grid drawn past their right edge, followed by a page with one drawn past its left
    edge: the last table shown on the first and the first shown on the second become one table, on the
    first page (its pages include the second)."""
    out = list(parts)
    for i in range(len(out) - 1):
        a_part, b_part = out[i], out[i + 1]
        if b_part.number != a_part.number + 1 or not a_part.tables or not b_part.tables:
            continue
        if not any(t.bbox[0] >= a_part.width - 1 for t in a_part.tables) \
                or not any(t.bbox[2] <= 1 for t in b_part.tables):
            continue
        shown_a = [t for t in a_part.tables if box_on_page(t.bbox, a_part.width, a_part.height)]
        shown_b = [t for t in b_part.tables if box_on_page(t.bbox, b_part.width, b_part.height)]
        if not shown_a or not shown_b:
            continue
        a = max(shown_a, key=lambda t: t.bbox[1])
        b = min(shown_b, key=lambda t: t.bbox[1])
        joined = side_by_side(a, b)
        if joined is None:
            continue
        out[i] = replace(a_part, tables=tuple(joined if t is a else t for t in a_part.tables))
        out[i + 1] = replace(b_part, tables=tuple(t for t in b_part.tables if t is not b))
    return out


def _row_tops(t: RawTable) -> dict[int, float]:
    tops: dict[int, float] = {}
    for c in t.cells:
        tops[c.r0] = min(tops.get(c.r0, c.bbox[1]), c.bbox[1])
    return tops


def side_by_side(a: RawTable, b: RawTable) -> RawTable | None:
    """`b` to the right of `a`, when both have the same rows (top, bottom and every row rule); a merged
    cell cut by the page edge (a title, a group label) is one cell again."""
    if a.n_rows != b.n_rows or abs(a.bbox[1] - b.bbox[1]) > _TOL or abs(a.bbox[3] - b.bbox[3]) > _TOL:
        return None
    ta, tb = _row_tops(a), _row_tops(b)
    if ta.keys() != tb.keys() or any(abs(ta[r] - tb[r]) > _TOL for r in ta):
        return None
    shift = a.col_x[-1] - b.col_x[0]
    n = a.n_cols

    def moved(c: RawCell) -> RawCell:
        ink = (c.ink[0] + shift, c.ink[1] + shift) if c.ink else None
        return RawCell(c.text, (c.bbox[0] + shift, c.bbox[1], c.bbox[2] + shift, c.bbox[3]), c.r0, c.r1,
                       c.c0 + n, c.c1 + n, ink)

    left = {c.r0: c for c in a.cells if c.c1 == n and c.c1 - c.c0 > 1}
    right = {c.r0: c for c in b.cells if c.c0 == 0 and c.c1 - c.c0 > 1}
    cells: list[RawCell] = []
    seam: set[int] = set()
    for r, ca in left.items():
        cb = right.get(r)
        if cb is None or cb.r1 != ca.r1:
            continue
        # A label printed again on each half (資本支出 | 資本支出) is said once.
        text = ca.text if ca.text.strip() == cb.text.strip() else f"{ca.text}{cb.text}"
        mb = moved(cb)
        ink = ca.ink if not mb.ink else (ca.ink or mb.ink)
        cells.append(RawCell(text, (ca.bbox[0], ca.bbox[1], mb.bbox[2], max(ca.bbox[3], mb.bbox[3])), ca.r0, ca.r1,
                             ca.c0, mb.c1, ink))
        seam.update((id(ca), id(cb)))
    cells += [c for c in a.cells if id(c) not in seam]
    cells += [moved(c) for c in b.cells if id(c) not in seam]
    col_x = (*a.col_x, *(x + shift for x in b.col_x[1:]))
    return RawTable(a.page, (a.bbox[0], min(a.bbox[1], b.bbox[1]), b.bbox[2] + shift, max(a.bbox[3], b.bbox[3])),
                    a.n_rows, n + b.n_cols, tuple(cells), col_x, a.inferred or b.inferred,
                    (*a.also_on, b.page, *b.also_on))
