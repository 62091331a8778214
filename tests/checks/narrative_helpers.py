"""Hand-made reports for the narrative checks: paragraphs plus small tables."""

from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.findings import Finding
from crossfoot.model import Block, Cell, Report, Table


def table(tid: str, title: str, header: list[str], rows: list[list[str]], unit: str = "万元",
          page: int = 2) -> Table:
    return Table(tid, None, title, unit, (page,), (tuple(header),),
                 tuple(tuple(Cell(x, page) for x in r) for r in rows))


def report(paragraphs: list[str], tables: tuple[Table, ...] = (), unit: str = "万元") -> Report:
    return Report("hand.pdf", "0" * 64, "决算", "测试单位", 2023, unit, (),
                  tuple(Block(1, None, p) for p in paragraphs), tables)


def run(check_id: str, r: Report) -> list[Finding]:
    from crossfoot.checks import REGISTRY, all_checks

    all_checks()
    return list(REGISTRY[check_id].fn(Context(r)))


def one(check_id: str, r: Report, stated: str) -> Finding:
    hits = [f for f in run(check_id, r) if stated in f.stated]
    assert len(hits) == 1, [(f.stated, f.verdict) for f in run(check_id, r)]
    return hits[0]
