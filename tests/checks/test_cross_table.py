from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.checks.cross_table import cross_table
from structural_helpers import make_report, make_table


def summary(expense_total: str, social: str):  # type: ignore[no-untyped-def]
    head = [["项目", "行次", "决算数", "项目", "行次", "决算数"]]
    return make_table(head, [
        ["一、一般公共预算财政拨款收入", "1", "100.00", "一、一般公共服务支出", "32", "60.00"],
        ["", "", "", "八、社会保障和就业支出", "39", social],
        ["本年收入合计", "27", "100.00", "本年支出合计", "58", expense_total],
    ], title="收入支出决算总表", id="T1")


def expense():  # type: ignore[no-untyped-def]
    head = [["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]
    return make_table(head, [
        ["", "合计", "100.00", "40.00", "60.00"],
        ["201", "一般公共服务支出", "60.00", "", "60.00"],
        ["208", "社会保障和就业支出", "40.00", "40.00", ""],
    ], title="支出决算表", id="T3", page=3)


def test_totals_and_classes_agree() -> None:
    fs = list(cross_table(Context(make_report([summary("100.00", "40.00"), expense()]))))
    assert len(fs) == 3 and all(f.verdict == "consistent" for f in fs)
    assert any("社会保障和就业支出" in f.message for f in fs)


def test_mismatch_is_reported_with_both_cells() -> None:
    fs = list(cross_table(Context(make_report([summary("100.00", "41.00"), expense()]))))
    (bad,) = [f for f in fs if f.verdict == "inconsistent"]
    assert bad.stated == "40.00" and bad.expected == "41.00"
    assert {r.table for r in bad.refs} == {"T1", "T3"}
