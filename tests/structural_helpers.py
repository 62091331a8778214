"""Hand-made tables for the structural check tests."""

from __future__ import annotations

from crossfoot.model import Cell, Report, Table


def make_table(header: list[list[str]], rows: list[list[str]], *, title: str | None = None,
               id: str = "t1", page: int = 1, unit: str | None = "万元") -> Table:
    width = max(len(r) for r in [*header, *rows])
    cells = tuple(tuple(Cell(r[j] if j < len(r) else "", page) for j in range(width)) for r in rows)
    head = tuple(tuple(h[j] if j < len(h) else "" for j in range(width)) for h in header)
    return Table(id, None, title, unit, (page,), head, cells)


def make_report(tables: list[Table], blocks: list[tuple[int, str]] | None = None,
                kind: str = "决算", year: int | None = 2023) -> Report:
    from crossfoot.model import Block, Page

    bl = tuple(Block(p, None, t) for p, t in (blocks or []))
    pages = tuple(Page(n, 595, 842, "") for n in range(1, 10))
    return Report("x.pdf", "0" * 64, kind, "某单位", year, "万元", pages, bl, tuple(tables))  # type: ignore[arg-type]
