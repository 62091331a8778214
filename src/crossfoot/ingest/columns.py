"""Columns no row fills: a boundary read from text alignment (or a sliver between rules) leaves a column
that holds nothing of its own — no body text, and in the header only blanks or the label of a merged cell
that reaches over it from a neighbour. Such a column is not printed; it is dropped."""

from __future__ import annotations

from collections.abc import Sequence

from crossfoot.model import Cell


def _hollow(header: Sequence[Sequence[str]], body: Sequence[Sequence[Cell]], j: int, n: int) -> bool:
    if any(j < len(r) and r[j].text.strip() for r in body):
        return False
    for h in header:
        t = h[j].strip() if j < len(h) else ""
        if t and not any(0 <= k < n and k < len(h) and h[k].strip() == t for k in (j - 1, j + 1)):
            return False
    return True


def drop_hollow_columns(header: list[list[str]], body: list[list[Cell]]
                        ) -> tuple[list[list[str]], list[list[Cell]]]:
    """The table without the columns that hold nothing of their own (see the module doc). A table with
    no body row keeps its columns: its header is all it shows."""
    n = max([len(r) for r in header] + [len(r) for r in body], default=0)
    if not body or n < 2:
        return header, body
    # Decided on the table as read, all at once: dropping one never makes its neighbour hollow.
    drop = {j for j in range(n) if _hollow(header, body, j, n)}
    if not drop or len(drop) >= n - 1:
        return header, body
    keep = [j for j in range(n) if j not in drop]
    return ([[h[j] for j in keep if j < len(h)] for h in header],
            [[r[j] for j in keep if j < len(r)] for r in body])


def merge_complementary(header: list[list[str]], body: list[list[Cell]]
                        ) -> tuple[list[list[str]], list[list[Cell]]]:
    """Columns read from text alignment: two neighbours that no row (header or body) fills both of are
    one printed column whose text sits left in one section of a form and right in another (得分 under
    the money rows, 偏差原因 under the indicator rows); they become one. Ruled columns are drawn, never
    merged here."""
    def filled(j: int) -> tuple[set[int], set[int]]:
        return ({i for i, h in enumerate(header) if j < len(h) and h[j].strip()},
                {i for i, r in enumerate(body) if j < len(r) and r[j].text.strip()})

    j = 0
    while j + 1 < max([len(r) for r in header] + [len(r) for r in body], default=0):
        (ha, ba), (hb, bb) = filled(j), filled(j + 1)
        if (ha or ba) and (hb or bb) and not (ha & hb) and not (ba & bb):
            header = [[*h[:j], h[j] if h[j].strip() else h[j + 1], *h[j + 2:]] if j + 1 < len(h) else h
                      for h in header]
            body = [[*r[:j], r[j] if r[j].text.strip() else r[j + 1], *r[j + 2:]] if j + 1 < len(r) else r
                    for r in body]
            continue
        j += 1
    return header, body
