"""Structural confidence: the layouts that get misread are doubted, well-read tables are trusted, and
problems resting on a doubtful table are held back and named in every output."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

from crossfoot.model import Cell, Table
from crossfoot.pipeline import analyse
from crossfoot.render import render_findings
from crossfoot.tables.trust import THRESHOLD, assess, held_back_notes, with_trust
from structural_helpers import make_report, make_table

EXPENSE_HEAD = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]


def _good_expense() -> Table:
    return make_table(EXPENSE_HEAD, [
        ["合计", "", "100.00", "60.00", "40.00"],
        ["201", "一般公共服务支出", "70.00", "50.00", "20.00"],
        ["20101", "人大事务", "70.00", "50.00", "20.00"],
        ["2010101", "行政运行", "50.00", "50.00", ""],
        ["2010102", "一般行政管理事务", "20.00", "", "20.00"],
        ["208", "社会保障和就业支出", "30.00", "10.00", "20.00"],
        ["20805", "行政事业单位养老支出", "30.00", "10.00", "20.00"],
        ["2080501", "行政单位离退休", "30.00", "10.00", "20.00"],
    ], title="支出决算表", id="T01")


def test_a_well_read_table_is_trusted() -> None:
    t = assess(_good_expense())
    assert t.score == 1.0 and not t.doubtful and t.reasons == ()


def test_one_wrong_total_is_a_finding_not_a_misread() -> None:
    rows = [list(c.text for c in r) for r in _good_expense().rows]
    rows[1][2] = "71.00"  # 类 201 no longer equals its 款: a true table_sum problem
    assert not assess(make_table(EXPENSE_HEAD, rows, title="支出决算表")).doubtful


def test_line_numbers_glued_to_amounts_are_doubted() -> None:
    # 三线表: the 行次 column has no rule of its own, its number runs into the amount.
    t = make_table([["项目", "行次决算数", "项目（按功能分类）", "行次决算数"]], [
        ["一、一般公共预算财政拨款收入", "1 1,144.45", "一、一般公共服务支出", "32 2.27"],
        ["二、政府性基金预算财政拨款收入", "2", "二、外交支出", "33"],
        ["三、上级补助收入", "3 10.00", "三、国防支出", "34"],
    ], title="收入支出决算总表")
    got = assess(t)
    assert got.doubtful
    assert any("run together in 3 cells" in r for r in got.reasons)
    assert any("行次决算数" in r for r in got.reasons)


def test_a_code_printed_in_parts_is_not_glued() -> None:
    t = make_table(EXPENSE_HEAD, [["212 01 01", "行政运行", "1 2", "3.00", ""]] * 3, title="支出决算表")
    assert not any("run together" in r for r in assess(t).reasons)


def test_column_number_row_showing_merged_columns_is_doubted() -> None:
    t = make_table([["科目编码", "科目名称", "本年收入", "财政拨款收入上级补助收入事业收入", "其他收入"]], [
        ["", "栏次", "1", "2 3 4 5", "6"],
        ["合计", "", "1,144.45", "1,144.45", ""],
        ["201", "一般公共服务支出", "2.27", "2.27", ""],
    ], title="收入决算表")
    got = assess(t)
    assert got.doubtful and "columns read as one" in got.reasons[0]


def test_a_column_number_row_with_a_formula_is_one_column() -> None:
    t = make_table([["项目", "年初", "本年", "合计"]], [
        ["栏次", "1", "2", "3=1+2"], ["甲", "1.00", "2.00", "3.00"], ["乙", "1.00", "1.00", "2.00"]],
        title="收支表")
    assert not assess(t).doubtful


def test_classification_codes_not_joined_are_doubted() -> None:
    # 类 | 款 | 项 printed in three columns whose header was lost: the 类 code repeats on every row.
    head = [["科目编码", "科目编码", "科目编码", "科目名称", "合计"]]
    rows = [["类", "款", "项", "合计", "300.00"]]
    for c in ("201", "208"):
        rows += [[c, "", "", "某类支出", "150.00"], [c, "05", "", "某款支出", "150.00"],
                 [c, "05", "01", "某项支出", "100.00"], [c, "05", "02", "另一项支出", "50.00"]]
    got = assess(make_table(head, rows, title="收入决算表"))
    assert got.doubtful and "not joined" in got.reasons[0]


def test_a_code_cut_to_its_kuan_may_repeat() -> None:
    # Published reports print a 项 with its 款 code (cut to 5 digits): repeats of 款 codes are the print.
    rows = [["201", "一般公共服务支出", "70.00", "50.00", "20.00"],
            ["20101", "人大事务", "70.00", "50.00", "20.00"],
            ["20101", "行政运行", "50.00", "50.00", ""],
            ["20101", "一般行政管理事务", "20.00", "", "20.00"]]
    assert not assess(make_table(EXPENSE_HEAD, rows, title="支出决算表")).doubtful


def test_amount_columns_without_a_header_are_doubted() -> None:
    t = make_table([], [["一般公共服务支出", "10.00", "20.00"], ["外交支出", "1.00", "2.00"],
                        ["国防支出", "3.00", "4.00"]], title=None)
    got = assess(t)
    assert got.doubtful and "no header" in got.reasons[0]


def test_words_and_amounts_in_one_column_are_doubted() -> None:
    t = make_table([["项目", "金额", "说明"]], [
        ["甲", "10.00", "说明一"], ["乙", "办公费", "2.00"], ["丙", "印刷费", "3.00"],
        ["丁", "4.00", "说明四"], ["戊", "5.00", "说明五"]], title="支出表")
    got = assess(t)
    assert got.doubtful and "share" in got.reasons[0]


def test_amount_columns_shifting_between_pages_are_doubted() -> None:
    head = (("项目", "甲列", "乙列", "丙列", "丁列"),)
    p1 = [("项目一", "1.00", "2.00", "", ""), ("项目二", "1.00", "2.00", "", ""), ("项目三", "1.00", "2.00", "", "")]
    p2 = [("项目四", "", "", "1.00", "2.00"), ("项目五", "", "", "1.00", "2.00"), ("项目六", "", "", "1.00", "2.00")]
    rows = tuple(tuple(Cell(x, 1) for x in r) for r in p1) + tuple(tuple(Cell(x, 2) for x in r) for r in p2)
    t = Table("T01", None, "支出表", "万元", (1, 2), head, rows)
    got = assess(t)
    assert got.doubtful and "page to page" in got.reasons[0]
    same = Table("T01", None, "支出表", "万元", (1, 2), head,
                 tuple(tuple(Cell(x, 1) for x in r) for r in p1) + tuple(tuple(Cell(x, 2) for x in r) for r in p1))
    assert not assess(same).doubtful


def test_totals_mostly_failing_are_doubted() -> None:
    rows = [["201", "一般公共服务支出", "700.00", "500.00", "200.00"],
            ["20101", "人大事务", "70.00", "50.00", "20.00"],
            ["2010101", "行政运行", "5.00", "5.00", "1.00"],
            ["2010102", "一般行政管理事务", "2.00", "9.00", "2.00"]]
    got = assess(make_table(EXPENSE_HEAD, rows, title="支出决算表"))
    assert got.doubtful and "do not add up" in " ".join(got.reasons)


def test_scoring_forms_mix_words_and_numbers_by_design() -> None:
    t = make_table([], [["项目名称", "某项目", "", ""], ["年度总体目标", "完成", "10", "10"],
                        ["数量指标", "培训人数", "20", "18"], ["质量指标", "合格率", "95%", "10"],
                        ["满意度", "满意", "10", "9"]], title="项目支出绩效自评表")
    assert not assess(t).doubtful


def test_score_is_a_product_in_range() -> None:
    t = assess(make_table([], [["a", "1 2.00", "3 4.00"], ["b", "5 6.00", "7 8.00"]]))
    assert 0.0 <= t.score < THRESHOLD


def test_with_trust_keeps_an_uncertainty_ingest_stated() -> None:
    t = replace(_good_expense(), uncertain="columns rebuilt from space-separated text")
    assert with_trust(t).uncertain == "columns rebuilt from space-separated text"
    assert with_trust(_good_expense()).confidence == 1.0 and with_trust(_good_expense()).uncertain == ""


def _glued_report():  # type: ignore[no-untyped-def]
    bad = make_table([["项目", "行次决算数"]], [
        ["合计", "1 100.00"], ["甲", "2 40.00"], ["乙", "3 50.00"]], title="收入表", id="T02")
    bad = replace(bad, code="公开02表")
    bad = replace(bad, rows=tuple(tuple(Cell(c.text.split()[-1], 8) if j == 1 else c for j, c in enumerate(r))
                                  for r in bad.rows), pages=(8,))
    # The trust assessment saw the glued print; the rows hold what a checker would then add up.
    return make_report([replace(bad, uncertain="amounts of neighbouring columns run together in 3 cells",
                                confidence=0.15)])


def test_held_back_problems_are_named_with_table_reason_and_count() -> None:
    a = analyse(_glued_report(), only=["table_sum"])
    assert a.held_back and not any(f.is_problem for f in a.findings)
    notes = held_back_notes(a.report.tables, a.held_back)
    assert notes == [f"T02 公开02表 收入表 p8: amounts of neighbouring columns run together in 3 cells; "
                     f"its {len(a.held_back)} check{'s' if len(a.held_back) > 1 else ''} "
                     f"{'were' if len(a.held_back) > 1 else 'was'} not run"]


def test_every_output_names_the_tables_not_checked() -> None:
    a = analyse(_glued_report(), only=["table_sum"])
    note = held_back_notes(a.report.tables, a.held_back)[0]
    text = render_findings(a, "text")
    assert "held back" in text and note in text
    doc = json.loads(render_findings(a, "json"))
    assert doc["not_checked"] == [note]
    assert doc["document"]["tables"][0]["confidence"] == 0.15
    assert note in render_findings(a, "md")
    rows = list(csv.reader(io.StringIO(render_findings(a, "csv").lstrip("\ufeff"))))
    col = {name: k for k, name in enumerate(rows[0])}
    shape = [r for r in rows if r[col["check"]] == "table_shape"]
    # Not checked is "unchecked": never shown as holding nor as wrong.
    assert shape and shape[0][col["verdict"]] == "unchecked" and shape[0][col["arithmetic"]] == note


def test_nothing_held_back_means_no_note() -> None:
    a = analyse(make_report([_good_expense()]), only=["table_sum"])
    assert a.held_back == () and held_back_notes(a.report.tables, a.held_back) == []
    assert "held back" not in render_findings(a, "text")


def test_one_printed_column_read_as_two_is_doubted() -> None:
    # The amounts sit one column left of their header: the 合计 row under 金额, the others beside it.
    t = make_table([["科目编码", "科目名称", "", "金额"]], [
        ["", "合计", "", "30.00"], ["301", "工资福利支出", "", "30.00"], ["30101", "基本工资", "10.00", ""],
        ["30102", "津贴补贴", "20.00", ""]], title="基本支出预算表")
    got = assess(t)
    assert got.doubtful and "split over two columns" in got.reasons[0]


def test_several_tables_joined_into_one_are_doubted() -> None:
    head = (("科目编码", "科目名称", "金额"),)
    rows: list[tuple[Cell, ...]] = []
    for page in (5, 6, 7):
        rows += [tuple(Cell(x, page) for x in r) for r in
                 (("", "合计", "100.00"), ("201", "一般公共服务支出", "100.00"), ("20101", "人大事务", "100.00"))]
    t = Table("T05", None, "财政拨款支出预算表", "万元", (5, 6, 7), head, tuple(rows))
    got = assess(t)
    assert got.doubtful and "several tables read as one" in got.reasons[0]
    one_page = Table("T05", None, "财政拨款支出预算表", "万元", (5,), head, tuple(rows[:3]))
    assert not assess(one_page).doubtful


def test_column_number_label_fused_with_the_first_amount_column_is_doubted() -> None:
    # «栏次1»: the label column's boundary cuts into the first amount column, so columns shift.
    t = make_table([["支出功能分类科目编码", "栏次1", "2", "3"]], [
        ["合计", "", "1,144.45", "764.89"], ["201", "一般公共服务支出", "2.27", "2.27"]], title="支出决算表")
    assert assess(t).doubtful


def test_amounts_pushed_off_their_wrapped_labels_are_doubted() -> None:
    t = make_table([["项目", "金额"]], [
        ["一般公共服务支出（类）人大事务（款）", ""], ["", "120.00"], ["行政运行（项）", ""], ["", "80.00"],
        ["合计", "200.00"]], title="支出表")
    got = assess(t)
    assert got.doubtful and "have no label" in got.reasons[0]
    # One amount on its own line (a 合计 printed below its word) alone is not enough.
    one = make_table([["项目", "金额"]], [["甲", "1.00"], ["合计", ""], ["", "1.00"]], title="支出表")
    assert not assess(one).doubtful


def test_header_words_cut_between_columns_are_doubted() -> None:
    cut = make_table([["经济分类", "科目名称金", "额"]], [["301", "工资福利支出", "539.22"], ["30101", "基本工资", "115.35"]],
                     title="基本支出决算表")
    assert assess(cut).doubtful
    # 类/款/项 (and 款/項/目/節) are whole one-character labels.
    parts = make_table([["类", "款", "项", "科目名称", "金额"]],
                       [["201", "01", "01", "行政运行", "1.00"], ["201", "01", "02", "一般行政管理事务", "2.00"]],
                       title="支出决算表")
    assert not any("cut between" in r for r in assess(parts).reasons)
