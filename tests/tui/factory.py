"""A small hand-made report and analysis, shaped like a 部门决算: the app is tested without ingest."""

from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.findings import CellRef, Finding
from crossfoot.matching.match import Match
from crossfoot.model import Block, Cell, Page, Report, Table
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import parse_number
from crossfoot.pipeline import Analysis

T1 = "t1"
T2 = "t2"
T3 = "t3"

NARRATIVE: tuple[tuple[int, str], ...] = (
    (1, "某某区民政局2024年度部门决算"),
    (2, "2024年度收入总计1,144.45万元，比上年增加100.00万元，增长10.5%。"),
    (2, "其中：一般公共预算财政拨款收入1,000.00万元，占收入总计的87.4%。"),
    (3, "基本支出800.00万元，占支出总计的70.0%；项目支出344.45万元。"),
    (4, "“三公”经费支出12.30万元，与上年持平。"),
)


def _cell(text: str, page: int) -> Cell:
    return Cell(text, page)


def _table_1() -> Table:
    rows = [
        ("收入总计", "1,144.45", "1,044.45"),
        ("一般公共预算财政拨款收入", "1,000.00", "900.00"),
        ("其他收入", "144.45", "144.45"),
        ("支出总计", "1,144.45", "1,044.45"),
    ]
    return Table(T1, "公开01表", "收入支出决算总表", "万元", (3,),
                 (("项目", "本年", "上年"), ("项目", "金额", "金额")),
                 tuple(tuple(_cell(t, 3) for t in r) for r in rows))


def _table_2() -> Table:
    rows = [
        ("合计", "1,144.45", "800.00", "344.45"),
        ("201 一般公共服务支出", "600.00", "400.00", "200.00"),
        ("208 社会保障和就业支出", "544.45", "400.00", "144.45"),
    ]
    return Table(T2, "公开05表", "一般公共预算财政拨款支出决算表", "万元", (4,),
                 (("科目", "合计", "基本支出", "项目支出"),),
                 tuple(tuple(_cell(t, 4) for t in r) for r in rows))


def _table_3(n_rows: int) -> Table:
    """A long table, for scrolling: 20101xx rows with amounts."""
    rows = [(f"{2010100 + i} 明细项目{i}", f"{i * 3.5:,.2f}", f"{i * 1.25:,.2f}") for i in range(n_rows)]
    return Table(T3, "公开07表", "政府性基金预算财政拨款收入支出决算表", "万元", (5, 6),
                 (("项目", "本年收入", "本年支出"),),
                 tuple(tuple(_cell(t, 5) for t in r) for r in rows))


def _figure(index: int, block: int, text: str, label: str, relation: str | None) -> Figure:
    page, btext = NARRATIVE[block]
    start = btext.index(text)
    num = parse_number(text)
    assert num is not None
    return Figure(index, page, block, start, start + len(text), text, num, label, relation, btext)


def _ref(table: Table, row: int, col: int) -> CellRef:
    return CellRef(table.id, row, col, table.row_label(row), table.column_label(col), table.rows[row][col].text,
                   table.rows[row][col].page)


def make_analysis(*, with_figures: bool = True, long_rows: int = 300, failed: tuple[str, ...] = ("scores",),
                  unreadable: tuple[int, ...] = (7,)) -> Analysis:
    t1, t2, t3 = _table_1(), _table_2(), _table_3(long_rows)
    pages = tuple(Page(n, 595, 842, readable=n not in unreadable, note="image only" if n in unreadable else "")
                  for n in range(1, 8))
    blocks = tuple(Block(p, None, text) for p, text in NARRATIVE)
    report = Report("/reports/minzheng-2024.pdf", "0" * 64, "决算", "某某区民政局", 2024, "万元", pages, blocks,
                    (t1, t2, t3))
    figures = [
        _figure(0, 1, "1,144.45万元", "收入总计", None),
        _figure(1, 1, "100.00万元", "收入总计", "change"),
        _figure(2, 1, "10.5%", "收入总计", "growth_rate"),
        _figure(3, 2, "1,000.00万元", "一般公共预算财政拨款收入", None),
        _figure(4, 2, "87.4%", "一般公共预算财政拨款收入", "share"),
        _figure(5, 3, "800.00万元", "基本支出", None),
        _figure(6, 3, "70.0%", "基本支出", "share"),
        _figure(7, 3, "344.45万元", "项目支出", None),
        _figure(8, 4, "12.30万元", "三公经费", None),
    ]
    matches = {
        0: Match(0, _ref(t1, 0, 1), 96.0, ((_ref(t1, 3, 1), 80.0),)),
        1: Match(1, _ref(t1, 0, 1), 70.0),
        3: Match(3, _ref(t1, 1, 1), 94.0),
        5: Match(5, _ref(t2, 0, 2), 90.0, ((_ref(t2, 1, 2), 60.0),)),
        7: Match(7, _ref(t2, 0, 3), 91.0),
    }
    findings = [
        Finding("growth_rate", "high", "inconsistent", 2, NARRATIVE[1][1], "10.5%", "9.6%",
                "增长率 = (1,144.45 − 1,044.45) ÷ 1,044.45 = 9.57%, not 10.5%",
                (_ref(t1, 0, 1), _ref(t1, 0, 2))),
        Finding("share", "medium", "rounding", 2, NARRATIVE[2][1], "87.4%", "87.38%",
                "占比 = 1,000.00 ÷ 1,144.45 = 87.376%; 87.4% holds within rounding",
                (_ref(t1, 1, 1), _ref(t1, 0, 1))),
        Finding("share_base", "high", "inconsistent", 3, NARRATIVE[3][1], "70.0%", "69.9%",
                "基本支出 ÷ 支出总计 = 800.00 ÷ 1,144.45 = 69.90%, not 70.0%",
                (_ref(t2, 0, 2), _ref(t1, 3, 1))),
        Finding("table_sum", "medium", "consistent", 4, "合计 1,144.45 = 600.00 + 544.45", "1,144.45", "1,144.45",
                "合计 = 600.00 + 544.45 = 1,144.45", (_ref(t2, 0, 1), _ref(t2, 1, 1), _ref(t2, 2, 1))),
    ]
    ctx = Context(report)
    if with_figures:
        ctx.figures = figures  # type: ignore[misc]
        ctx.matches = matches  # type: ignore[misc]
    return Analysis(report, tuple(findings), failed, ctx)


class _NoExtraction(Context):
    """A context from a build where figure extraction is not there yet."""

    @property
    def figures(self) -> list[Figure]:  # type: ignore[override]
        raise NotImplementedError


def empty_analysis() -> Analysis:
    """No tables, no findings, figure extraction unavailable: the app must still be usable."""
    report = Report("/reports/empty.pdf", "1" * 64, "unknown", None, None, None,
                    (Page(1, 595, 842),), (Block(1, None, "本页无数据。"),), ())
    return Analysis(report, (), (), _NoExtraction(report))
