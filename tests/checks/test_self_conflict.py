from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.checks.self_conflict import self_conflict
from structural_helpers import make_report, make_table


def run(blocks, tables=()):  # type: ignore[no-untyped-def]
    return list(self_conflict(Context(make_report(list(tables), blocks=blocks))))


def test_balanced_totals_must_change_alike() -> None:
    bad = ("2022年度收入总计66,618,228.77元、支出总计66,618,228.77元。与2021年相比，收入总计减少100,578,199.82元，"
           "下降60.16%，支出总计减少158,502,212.83元，下降70.41%。")
    (f,) = run([(18, bad)])
    assert f.verdict == "inconsistent" and f.severity == "high" and "100,578,199.82" in f.stated
    ok = "与上年相比，收入总计增加288.84万元，增长33.76%，支出总计增加288.84万元，增长33.76%。"
    (g,) = run([(3, ok)])
    assert g.verdict == "consistent"


def test_zero_with_parts_listed() -> None:
    text = "人员经费0.00元，主要包括工资福利支出1966894.44元、对个人和家庭的补助支出111230.64元；"
    (f,) = run([(20, text)])
    assert f.verdict == "inconsistent" and f.expected == "2078125.08元"
    same = "公用经费0.00元，主要包括公用经费共支出774368.47元，其中委托业务费505,980.00元；"
    (g,) = run([(20, same)])
    assert g.expected == "774368.47元"
    assert run([(1, "人员经费0.00元，主要包括：基本工资0.00元、津贴补贴0.00元。")]) == []


def test_zero_cost_but_items_bought() -> None:
    (f,) = run([(21, "2、公务用车购置支出0.00元，使用财政拨款共购置公务用车1辆，主要用于公务。")])
    assert f.verdict == "inconsistent" and f.stated == "购置 1辆"
    assert run([(21, "公务用车购置支出0.00元，本年未购置公务用车，共购置公务用车0辆。")]) == []


def test_project_summary_against_its_self_evaluation_table() -> None:
    head = [["项目资金（万元）", "", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"]]
    t = make_table(head, [["项目资金（万元）", "年度资金总额", "", "382.9117", "382.9117", "10", "100.00%", "10.00"],
                          ["总分", "", "", "", "", "", "", "10.00"]], title="项目支出绩效自评表（小额贷款贴息）", page=90)
    bad = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为964700元，执行率为25.19%。"
    (f,) = run([(23, bad)], [t])
    assert f.verdict == "inconsistent" and "3829117" in f.expected
    # 3829100 is the budget to the hundred: only 执行数 and 执行率 conflict.
    assert "全年预算数" not in f.message
    good = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为3829117元，执行率为100%。"
    (g,) = run([(23, good)], [t])
    assert g.verdict == "consistent"
