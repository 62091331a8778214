from __future__ import annotations

from crossfoot.tables.rowgroups import column_groups
from crossfoot.tables.structure import (
    bands,
    clause_around,
    clauses_quote,
    code_levels,
    column_kinds,
    header_depth,
    outline_level,
    segments,
    sentence_around,
    table_kind,
)
from structural_helpers import make_table


def test_table_kind_prefers_the_most_specific_title() -> None:
    assert table_kind(make_table([["a"]], [["1"]], title="财政拨款收入支出决算总表")) == "fiscal_total"
    assert table_kind(make_table([["a"]], [["1"]], title="收入支出决算总表")) == "total"
    assert table_kind(make_table([["a"]], [["1"]], title="一般公共预算财政拨款支出决算表")) == "gp_expense"
    assert table_kind(make_table([["a"]], [["1"]], title="财政拨款“三公”经费支出决算表")) == "sangong"
    assert table_kind(make_table([["a"]], [["1"]], title="说明")) is None


def test_outline_levels() -> None:
    assert [outline_level(x) for x in ("一、收入", "（一）车辆", "1.因公", "（2）运行", "合计")] == [1, 2, 3, 4, 0]


def test_line_number_columns_are_skipped_and_sides_split() -> None:
    head = [["项目", "行次", "决算数", "项目", "行次", "决算数"]]
    t = make_table(head, [["一、收入", "1", "10.00", "一、支出", "31", "8.00"],
                          ["本年收入合计", "2", "10.00", "本年支出合计", "32", "8.00"]])
    assert column_kinds(t) == ["label", "skip", "value", "label", "skip", "value"]
    assert [s.value_cols for s in segments(t)] == [(2,), (5,)]


def test_repeated_truncated_codes_nest() -> None:
    t = make_table([["科目编码", "科目名称", "合计"]], [
        ["208", "社保", "3.00"], ["20805", "养老", "3.00"], ["20805", "离退休", "1.00"], ["20805", "基本", "2.00"]])
    (band,) = bands(t)
    assert code_levels(band) == [1, 2, 3, 3]


def test_header_rows_left_in_the_body_are_read_as_header() -> None:
    t = make_table([["预算数", "预算数", "预算数", "预算数"]], [
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", ""],
        ["合计", "因公出国（境）费", "小计", "公务用车运行维护费"],
        ["1", "2", "3", "4"],
        ["", "", "5.00", "5.00"]])
    assert header_depth(t) == 3
    (seg,) = segments(t)
    assert column_groups(t, seg) == [(0, (1, 2)), (2, (3,))]


def test_sentence_around_cuts_to_the_sentence() -> None:
    text = "前文。收入总计减少100元，支出总计减少90元。后文"
    assert sentence_around(text, 3, 12, lead=0) == "收入总计减少100元，支出总计减少90元。"
    assert sentence_around(text, 3, 12) == text[:-2]


def test_clauses_quote_joins_clauses_apart_with_an_ellipsis() -> None:
    text = "与上年相比，收入总计减少100,578,199.82元，下降60.16%，支出总计减少158,502,212.83元，下降70.41%。"
    i, j = text.index("收入"), text.index("支出")
    assert clauses_quote(text, [(i, i + 6), (j, j + 6)]) == "收入总计减少100,578,199.82元…支出总计减少158,502,212.83元"
    # Clauses that follow one another are quoted as printed; a comma between digits is no clause break.
    k = text.index("下降")
    assert clauses_quote(text, [(i, i + 6), (k, k + 2)]) == "收入总计减少100,578,199.82元，下降60.16%"
    assert clause_around(text, j + 8, j + 9) == (j, text.index("，下降70"))


def test_clause_around_a_span_at_either_end_of_the_text() -> None:
    assert clause_around("执行率为100%", 0, 3) == (0, 8)
    assert clauses_quote("甲1元、乙2元", [(0, 1)]) == "甲1元"


def test_income_and_expense_sides_are_two_lists() -> None:
    # A 2025 部门财务收支预算总表 as ingest reads it: one value column per side, headed 本年收入 | 本年支出.
    t = make_table([["本年收入", "本年收入", "本年支出", "本年支出"], ["项目", "预算数", "项目", "预算数"]],
                   [["一、财政拨款收入", "91.00", "一、一般公共服务支出", "82.00"],
                    ["1.一般公共预算资金", "91.00", "二、社会保障和就业支出", "9.00"],
                    ["收入总计", "91.00", "支出总计", "91.00"]], title="2025年部门财务收支预算总表")

    lists = bands(t)
    assert len(lists) == 2 and [r.name for r in lists[1]][-1] == "支出总计"
    # bands headed alike (经济分类 printed in two bands) continue one another
    same = make_table([["科目名称", "决算数", "科目名称", "决算数"]],
                      [["301工资福利支出", "5.00", "302商品和服务支出", "3.00"]], title="基本支出决算表")
    assert len(bands(same)) == 1
