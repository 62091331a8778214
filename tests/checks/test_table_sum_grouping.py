"""table_sum reads a table's grouping before adding: each cause of a false sum has its hand-made table."""

from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.checks.table_sum import table_sum
from crossfoot.findings import Finding
from crossfoot.model import Table
from crossfoot.tables.structure import column_kinds, ext
from structural_helpers import make_report, make_table


def run(table: Table) -> list[Finding]:
    return list(table_sum(Context(make_report([table]))))


def wrong(table: Table) -> list[Finding]:
    return [f for f in run(table) if f.verdict == "inconsistent"]


def test_grouped_subtotal_heads_only_its_own_group() -> None:
    t = make_table([["项目名称", "项目名称", "金额"]], [
        ["收入总计", "", "50.00"],
        ["甲类资金", "小计", "50.00"],
        ["甲类资金", "拨款", "50.00"],
        ["甲类资金", "专项", ""],
        ["乙类资金", "小计", ""],
        ["丙类资金", "小计", ""],
        ["丙类资金", "收费", ""],
        ["丁类资金", "小计", ""],
        ["丁类资金", "其中：动用", "7.00"],
    ], title="收入预算总表")
    assert wrong(t) == []
    # Within its group a wrong 小计 is still found.
    bad = make_table([["项目名称", "项目名称", "金额"]], [
        ["甲类资金", "小计", "60.00"],
        ["甲类资金", "拨款", "50.00"],
        ["甲类资金", "专项", "5.00"],
    ], title="收入预算总表")
    assert [f.expected for f in wrong(bad)] == ["55.00"]


def test_numbered_sections_need_not_be_consecutive() -> None:
    t = make_table([["采购品目大类", "采购物品名称", "总计"]], [
        ["合计", "", "110.00"],
        ["一、货物", "", "10.00"],
        ["", "计算机", "10.00"],
        ["三、服务", "", "100.00"],
        ["", "会议服务", "60.00"],
        ["", "印刷服务", "40.00"],
    ], title="政府采购预算表")
    assert wrong(t) == []
    t2 = make_table([["采购品目大类", "采购物品名称", "总计"]], [
        ["合计", "", "120.00"],
        ["一、货物", "", "10.00"],
        ["", "计算机", "10.00"],
        ["三、服务", "", "100.00"],
        ["", "会议服务", "100.00"],
    ], title="政府采购预算表")
    assert [f.expected for f in wrong(t2)] == ["110.00"]


def test_blank_item_before_a_shallower_one_is_not_a_heading() -> None:
    t = make_table([["项目", "金额"]], [
        ["一、拨款", "90.00"],
        ["1.公共预算", "90.00"],
        ["2.基金预算", ""],
        ["二、专户资金", ""],
        ["三、其他资金", "8.00"],
        ["当年收入小计", "98.00"],
    ], title="收支预算总表")
    assert wrong(t) == []
    bad = make_table([["项目", "金额"]], [
        ["一、拨款", "90.00"],
        ["1.公共预算", "90.00"],
        ["2.基金预算", ""],
        ["二、专户资金", ""],
        ["三、其他资金", "8.00"],
        ["当年收入小计", "99.00"],
    ], title="收支预算总表")
    assert [f.expected for f in wrong(bad)] == ["98.00"]


def test_spill_column_between_codes_and_names_is_skipped() -> None:
    head = [["部门：", "某部门", "某部门", "某部门", "某部门", "单位：万元"],
            ["", "科目代码", "科目代码", "科目名称", "科目名称", "金额"]]
    t = make_table(head, [
        ["", "", "", "合计", "", "30.00"],
        ["", "201", "", "一般公共服务支出", "", "30.00"],
        ["", "20101", "", "人大事务", "", "30.00"],
        ["", "2010101", "", "行政运行", "", "20.00"],
        ["", "2010102", "", "一般行政管理事务", "", "10.00"],
    ], title="财政拨款支出预算表")
    assert column_kinds(t)[2] == "skip"
    assert wrong(t) == []


def test_uncoded_hierarchy_is_not_added_flat() -> None:
    t = make_table([["科目名称", "金额"]], [
        ["合计", "40.00"],
        ["一般公共服务支出", "30.00"],
        ["人大事务", "30.00"],
        ["行政运行", "20.00"],
        ["一般行政管理事务", "10.00"],
        ["住房保障支出", "10.00"],
    ], title="支出预算表")
    assert wrong(t) == []


def test_caption_header_row_does_not_cut_the_column_tree() -> None:
    head = [["部门：", "某部门", "某部门", "某部门", "", "单位：万元"],
            ["合计", "三公经费", "三公经费", "三公经费", "三公经费", "会议费"],
            ["合计", "小计", "出国费", "用车费", "接待费", "会议费"]]
    t = make_table(head, [["60.00", "50.00", "10.00", "15.00", "25.00", "10.00"]], title="三公经费支出预算表")
    assert ext(t).header[0][0] == "合计"
    assert wrong(t) == []
    bad = make_table(head, [["60.00", "50.00", "10.00", "15.00", "20.00", "10.00"]], title="三公经费支出预算表")
    assert "45.00" in [f.expected for f in wrong(bad)]


def test_row_read_one_column_off_is_not_compared() -> None:
    t = make_table([["项目", "项目", "金额", "金额"]], [
        ["一、拨款", "", "33.00", ""],
        ["二、其他", "", "", ""],
        ["", "当年收入小计", "", "33.00"],
    ], title="收支预算总表")
    assert wrong(t) == []


def test_grouped_subtotal_closing_its_group() -> None:
    t = make_table([["项目名称", "项目名称", "金额"]], [
        ["甲类资金", "拨款", "50.00"],
        ["甲类资金", "专项", "5.00"],
        ["甲类资金", "小计", "56.00"],
        ["乙类资金", "收费", "9.00"],
        ["乙类资金", "小计", "9.00"],
    ], title="收入预算总表")
    assert [f.expected for f in wrong(t)] == ["55.00"]
