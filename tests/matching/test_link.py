"""Figure <-> cell links: the label and the column role decide, the value confirms; three states."""

from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.findings import CellRef
from crossfoot.matching.link import Linking, link_figures
from crossfoot.matching.match import Match, MatchMemo, link_state
from crossfoot.model import Block, Cell, Report, Table


def _table(tid: str, title: str, header: list[str], rows: list[list[str]], unit: str = "万元") -> Table:
    return Table(tid, None, title, unit, (2,), (tuple(header),), tuple(tuple(Cell(x, 2) for x in r) for r in rows))


def _report(text: str, *tables: Table, kind: str = "决算") -> Report:
    blocks = tuple(Block(1, None, t) for t in text.split("\n"))
    return Report("x.pdf", "0" * 64, kind, None, 2024, "万元", (), blocks, tables)  # type: ignore[arg-type]


def _links(r: Report) -> tuple[Context, Linking]:
    ctx = Context(r)
    return ctx, link_figures(MatchMemo(r), ctx.figures)


def _state(r: Report, text: str) -> tuple[str, Match | None]:
    ctx, links = _links(r)
    fig = next(f for f in ctx.figures if f.text.replace(" ", "") == text)
    m = links.matches.get(fig.index)
    return link_state(m), m


TOTALS = _table("T01", "收入支出决算总表", ["收入/项目", "收入/决算数", "支出/项目", "支出/决算数"], [
    ["一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66"],
    ["八、其他收入", "0.01", "八、社会保障和就业支出", "833.39"],
    ["本年收入合计", "2,940.06", "本年支出合计", "2,940.05"],
    ["总计", "2,995.39", "总计", "2,995.39"],
])


def test_a_wrong_total_is_tied_to_the_total_row_not_to_a_cell_that_holds_its_value() -> None:
    # 0 万元 equals no cell; 0.01 (其他收入) rounds to it but is another row: the 总计 row is the link.
    r = _report("本部门2024年度收入总计0万元。", TOTALS)
    state, m = _state(r, "0万元")
    assert state == "differs" and m is not None and m.best.label == "总计" and m.best.value == "2,995.39"


def test_a_printed_zero_is_not_a_rounded_cell() -> None:
    t = _table("T02", "收入决算表", ["项目", "其他收入"], [["合计", "0.01"]])
    r = _report("其他收入0万元。", t)
    state, m = _state(r, "0万元")
    assert state == "differs" and m is not None and m.best.value == "0.01"


def test_value_equality_alone_is_no_link() -> None:
    r = _report("差旅费2,106.66万元。", TOTALS)
    state, m = _state(r, "2,106.66万元")
    assert state == "unlinked" and m is None


def test_the_label_decides_and_the_value_only_confirms() -> None:
    # The value sits on another row: the figure differs from its own row, it does not "hold" elsewhere.
    r = _report("社会保障和就业支出（类）2,106.66万元。", TOTALS)
    state, m = _state(r, "2,106.66万元")
    assert state == "differs" and m is not None and m.best.label == "八、社会保障和就业支出"


def test_a_code_column_is_never_a_link() -> None:
    t = _table("T07", "一般公共预算财政拨款基本支出决算表", ["经济分类科目编码", "科目名称", "决算数"],
               [["30101", "基本工资", "262.33"], ["30201", "办公费", "21.21"]])
    r = _report("基本工资30201万元。", t)
    state, m = _state(r, "30201万元")
    assert m is None or m.best.col == 2
    assert state != "holds"


def test_a_blank_cell_is_never_a_link() -> None:
    t = _table("T08", "财政拨款“三公”经费支出决算表", ["项目", "预算数", "决算数"], [["公务接待费", "0.95", ""]])
    r = _report("“三公”经费中公务接待费支出决算为0.00万元。", t)
    state, m = _state(r, "0.00万元")
    assert state == "unlinked" and m is None


def test_a_figure_of_one_fund_is_never_a_cell_of_another() -> None:
    t = _table("T06", "一般公共预算财政拨款支出决算表", ["科目名称", "合计"], [["合计", "120.00"]])
    r = _report("政府性基金预算财政拨款支出120.00万元。", t)
    state, _ = _state(r, "120.00万元")
    assert state == "unlinked"


def test_a_budget_figure_needs_a_budget_column_and_an_outturn_another() -> None:
    t = _table("T09", "财政拨款“三公”经费支出决算表", ["项目", "年初预算数", "全年预算数", "决算数"],
               [["公务接待费", "8.00", "5.52", "5.52"]])
    r = _report("公务接待费全年预算数5.52万元，决算数5.52万元。\n公务接待费年初预算数5.52万元。", t)
    ctx, links = _links(r)
    whole, actual, original = (links.matches.get(f.index) for f in ctx.figures)
    assert whole is not None and whole.best.column == "全年预算数" and whole.value_equal
    assert actual is not None and actual.best.column == "决算数" and actual.value_equal
    assert original is not None and original.best.column == "年初预算数" and not original.value_equal


def test_an_income_figure_is_never_an_expenditure_cell() -> None:
    r = _report("一、收入决算情况说明\n本年收入合计2,940.05万元。", TOTALS)
    state, m = _state(r, "2,940.05万元")
    assert state == "differs" and m is not None and m.best.label == "本年收入合计"


def test_equally_named_cells_that_disagree_leave_the_figure_unlinked() -> None:
    t = _table("T03", "支出决算表", ["科目名称", "本年支出合计"], [["行政运行", "10.00"], ["行政运行", "20.00"]])
    r = _report("行政运行15.00万元。", t)
    state, m = _state(r, "15.00万元")
    assert state == "unlinked" and m is None


def test_unlinked_figures_keep_their_runners_up_and_coverage_counts_three_states() -> None:
    t = _table("T03", "支出决算表", ["科目名称", "本年支出合计"], [["行政运行", "10.00"], ["行政运行", "20.00"]])
    r = _report("行政运行15.00万元。差旅费3.00万元。", t, TOTALS)
    ctx, links = _links(r)
    fig = next(f for f in ctx.figures if f.text.startswith("15"))
    assert {ref.value for ref, _ in links.unlinked[fig.index]} >= {"10.00", "20.00"}
    assert links.coverage == {"figures": 2, "linked": 0, "held": 0, "differed": 0, "unlinked": 2}


def test_a_generic_label_takes_its_paragraphs_subject() -> None:
    t = _table("T05", "一般公共预算支出功能分类预算表", ["功能分类科目编码", "功能分类科目名称", "合计"],
               [["2210201", "住房公积金", "2087959.00"]], unit="元")
    r = _report("住房保障支出（221类）住房改革支出（02款）住房公积金（01项）208.8万元。"
                "2025年当年预算执行数为198.34万元，2026年预算安排201.50万元。", t, kind="预算")
    ctx, links = _links(r)
    first, prior, again = (f for f in ctx.figures if f.is_money)
    assert link_state(links.matches.get(first.index)) == "holds"
    assert prior.index not in links.matches  # last year's 执行数 is in no table of this budget
    m = links.matches.get(again.index)
    assert m is not None and m.best.value == "2087959.00" and not m.value_equal


def test_link_state_never_holds_without_a_link() -> None:
    ref = CellRef("T1", 0, 1, "x", "y", "1", 1)
    assert link_state(None) == "unlinked"
    assert link_state(Match(0, ref, 90.0)) == "holds"
    assert link_state(Match(0, ref, 90.0, value_equal=False)) == "differs"
