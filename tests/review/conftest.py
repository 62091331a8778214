"""Hand-made reports and findings: the review workflow is tested without depending on ingest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from crossfoot.checks.context import Context
from crossfoot.findings import CellRef, Finding
from crossfoot.model import Block, Cell, Page, Report, Table
from crossfoot.pipeline import Analysis
from crossfoot.review.store import ReviewStore

SHA = "ab" * 32


def make_table() -> Table:
    def row(*texts: str) -> tuple[Cell, ...]:
        return tuple(Cell(t, 3) for t in texts)

    return Table(
        id="t1", code="表1", title="收入支出决算总表", unit="万元", pages=(3,),
        header=(("项目", "本年收入", "本年支出", "执行率"),),
        rows=(row("201", "1,234.50", "1,000.00", "81.0%"),
              row("一般公共服务支出", "100.25", "—", "12.5%"),
              row("合计", "1,334.75", "1,000.00", "")),
    )


def make_report(sha: str = SHA) -> Report:
    t = make_table()
    return Report(
        path="/reports/某部门2024年部门决算.pdf", sha256=sha, kind="决算", department="某市某局", year=2024,
        unit="万元", pages=(Page(1, 595, 842, "封面"), Page(3, 595, 842, "表")),
        blocks=(Block(2, None, "2024年收入合计1,334.75万元，支出合计1,000.00万元。"),), tables=(t,))


def ref(row: int, col: int, value: str, label: str = "合计", column: str = "本年收入") -> CellRef:
    return CellRef("t1", row, col, label, column, value, 3)


def make_findings() -> tuple[Finding, ...]:
    return (
        Finding("narrative-total", "high", "inconsistent", 2, "2024年收入合计1,334.57万元，支出合计1,000.00万元。",
                "1,334.57", "1,334.75", "表1 合计 1,334.75 ≠ 1,334.57 (差 0.18)", (ref(2, 1, "1,334.75"),)),
        Finding("column-sum", "medium", "inconsistent", 3, "合计 | 1,334.75", "1,334.75", "1,334.76",
                "1,234.50 + 100.25 = 1,334.75", (ref(0, 1, "1,234.50", "201"), ref(1, 1, "100.25", "一般公共服务支出"))),
        Finding("narrative-figure", "none", "consistent", 2, "支出合计1,000.00万元", "1,000.00", "1,000.00",
                "表1 合计 本年支出 = 1,000.00", (ref(2, 2, "1,000.00", column="本年支出"),)),
        Finding("pct", "low", "rounding", 3, "执行率81.0%", "81.0%", "81.02%", "1,000.00 / 1,234.50 = 81.02%",
                (ref(0, 3, "81.0%", "201", "执行率"),), confidence="low"),
    )


def make_analysis(findings: tuple[Finding, ...] | None = None, sha: str = SHA) -> Analysis:
    report = make_report(sha)
    return Analysis(report, make_findings() if findings is None else findings, (), Context(report))


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own personal data directory; nothing touches the real one."""
    d = tmp_path / "data" / "crossfoot"
    monkeypatch.setenv("CROSSFOOT_DATA_DIR", str(d))
    return d


@pytest.fixture
def analysis() -> Analysis:
    return make_analysis()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReviewStore]:
    s = ReviewStore.open(tmp_path / "team.sqlite3", reviewer="alice")
    yield s
    s.close()
