from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossfoot.checks.context import Context
from crossfoot.checks.table_sum import table_sum
from structural_helpers import make_report, make_table

HEAD_03 = [["项目", "项目", "本年支出合计", "基本支出", "项目支出"],
           ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]]


def run(table):  # type: ignore[no-untyped-def]
    return list(table_sum(Context(make_report([table]))))


def by_stated(findings, stated):  # type: ignore[no-untyped-def]
    return [f for f in findings if f.stated == stated]


def test_code_hierarchy_and_rounding_are_not_errors() -> None:
    t = make_table(HEAD_03, [
        ["", "合计", "180.62", "180.62", ""],
        ["208", "社会保障和就业支出", "180.62", "180.62", ""],
        ["20805", "行政事业单位养老支出", "180.62", "180.62", ""],
        ["2080501", "行政单位离退休", "123.21", "123.21", ""],
        ["2080505", "机关事业单位基本养老", "48.98", "48.98", ""],
        ["2080506", "职业年金", "8.44", "8.44", ""],
    ], title="支出决算表")
    fs = run(t)
    assert fs and all(f.verdict != "inconsistent" for f in fs)
    kuan = [f for f in fs if f.quote.startswith("20805 ")]
    assert {f.verdict for f in kuan} == {"rounding"}
    assert "123.21 + 48.98 + 8.44 = 180.63 vs 180.62" in kuan[0].message


def test_wrong_total_is_inconsistent_with_refs() -> None:
    t = make_table(HEAD_03, [
        ["", "合计", "300.00", "200.00", "100.00"],
        ["201", "一般公共服务支出", "250.00", "200.00", "50.00"],
        ["213", "农林水支出", "60.00", "", "60.00"],
    ], title="支出决算表")
    fs = run(t)
    bad = [f for f in fs if f.verdict == "inconsistent"]
    # 合计 col: 250 + 60 = 310 ≠ 300; 项目支出 50 + 60 = 110 ≠ 100; row 201: 200 + 50 = 250 holds.
    assert {(f.stated, f.expected) for f in bad} >= {("300.00", "310.00"), ("100.00", "110.00")}
    top = next(f for f in bad if f.stated == "300.00")
    assert top.quote == "合计 300.00 200.00 100.00"
    assert {r.value for r in top.refs} >= {"300.00", "250.00", "60.00"}
    assert all(f.verdict == "consistent" for f in fs if f.quote.startswith("201"))


def test_truncated_codes_repeat_under_their_parent() -> None:
    head = [["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "其他收入"]]
    t = make_table(head, [
        ["", "合计", "52.12", "52.12", ""],
        ["210", "卫生健康支出", "52.12", "52.12", ""],
        ["21011", "行政事业单位医疗", "52.12", "52.12", ""],
        ["21011", "行政单位医疗", "36.64", "36.64", ""],
        ["21011", "事业单位医疗", "7.61", "7.61", ""],
        ["21011", "公务员医疗补助", "7.82", "7.82", ""],
        ["21011", "其他", "0.05", "0.05", ""],
    ], title="收入决算表")
    fs = run(t)
    assert fs and all(f.verdict == "consistent" for f in fs)
    assert any("36.64 + 7.61 + 7.82 + 0.05 = 52.12" in f.message for f in fs)


def test_code_split_over_three_columns() -> None:
    head = [["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"]]
    t = make_table(head, [
        ["213", "", "", "农林水支出", "830.42", "453.12", "377.30"],
        ["213", "01", "", "农业农村", "72.00", "", "72.00"],
        ["213", "05", "", "巩固脱贫", "758.42", "453.12", "305.30"],
        ["213", "05", "01", "行政运行", "347.80", "347.80", ""],
        ["213", "05", "50", "事业运行", "105.32", "105.32", ""],
        ["213", "05", "99", "其他", "305.50", "", "305.50"],
    ], title="支出决算表")
    fs = run(t)
    bad = [f for f in fs if f.verdict == "inconsistent"]
    assert {f.stated for f in bad} == {"758.42", "305.30"}


def test_total_rows_of_the_summary_table() -> None:
    head = [["收入", "收入", "收入", "支出", "支出", "支出"], ["项目", "行次", "决算数", "项目", "行次", "决算数"]]
    t = make_table(head, [
        ["一、一般公共预算财政拨款收入", "1", "1,000.00", "一、一般公共服务支出", "32", "700.00"],
        ["二、其他收入", "2", "144.45", "二、农林水支出", "33", "444.46"],
        ["本年收入合计", "27", "1,144.45", "本年支出合计", "58", "1,144.46"],
        ["使用非财政拨款结余", "28", "", "结余分配", "59", ""],
        ["年初结转和结余", "29", "10.00", "年末结转和结余", "60", ""],
        ["总计", "31", "1,154.45", "总计", "62", "1,144.46"],
    ], title="收入支出决算总表")
    fs = run(t)
    res = {(f.quote.split()[0], f.stated): f.verdict for f in fs}
    assert res[("本年收入合计", "1,144.45")] == "consistent"
    assert res[("本年收入合计", "1,144.46")] == "consistent"
    assert res[("总计", "1,154.45")] == "consistent"
    # line numbers (行次) are never summed
    assert not any(f.stated in ("27", "58", "31") for f in fs)


def test_blank_explicit_total_with_parts_is_a_finding() -> None:
    head = [["项目", "行次", "决算数"]]
    t = make_table(head, [
        ["(一) 车辆数合计(辆)", "7", ""],
        ["1. 主要领导干部用车", "8", "1"],
        ["2. 机要通信用车", "9", ""],
        ["(二) 单价100万元以上设备", "10", ""],
    ], title="国有资产占用情况表")
    fs = run(t)
    assert len(fs) == 1 and fs[0].verdict == "inconsistent" and fs[0].expected == "1"
    assert "车辆数合计" in fs[0].quote


def test_dashes_are_not_zero() -> None:
    head = [["项目", "行次", "年初预算数", "决算数"]]
    t = make_table(head, [
        ["3.公务接待费", "6", "8.00", "5.52"],
        ["（1）国内接待费", "7", "——", "5.52"],
        ["（2）国（境）外接待费", "9", "——", ""],
    ], title="三公经费支出决算表")
    fs = run(t)
    assert [(f.stated, f.verdict) for f in fs] == [("5.52", "consistent")]


def test_column_total_in_nested_header() -> None:
    head = [["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置及运行维护费",
             "公务用车购置及运行维护费", "公务接待费"],
            ["合计", "因公出国（境）费", "小计", "公务用车购置费", "公务用车运行维护费", "公务接待费"]]
    t = make_table(head, [["", "", "20980.00", "", "20980.00", ""]], title="三公经费支出决算表")
    fs = run(t)
    bad = [f for f in fs if f.verdict == "inconsistent"]
    assert len(bad) == 1 and bad[0].stated.startswith("空白") and bad[0].expected == "20980.00"
    assert any(f.verdict == "consistent" and f.stated == "20980.00" for f in fs)


@pytest.mark.slow
def test_real_report_tables_hold_except_where_they_do_not() -> None:
    from tests.conftest import load_sample

    rep = load_sample("putuo-social-2024.pdf")
    fs = list(table_sum(Context(rep)))
    # A published report's tables add up: many identities checked, none broken (one 0.01 rounding gap).
    assert len(fs) > 50
    assert all(f.verdict != "inconsistent" for f in fs)
    assert any(f.verdict == "rounding" and f.stated == "10.23" for f in fs)


@given(st.lists(st.integers(min_value=0, max_value=10**7), min_size=2, max_size=8), st.data())
def test_a_total_off_only_by_rounding_is_never_an_error(cents: list[int], data: st.DataObject) -> None:
    from decimal import Decimal

    from crossfoot.checks.table_sum import evaluate
    from crossfoot.model import Cell

    parts = [Cell(f"{Decimal(c) / 100:.2f}", 1) for c in cents]
    exact = sum(cents)
    # Each printed part may be off by up to half a cent, so the true total lies within n/2 cents of the sum.
    slack = data.draw(st.integers(min_value=-(len(cents) // 2), max_value=len(cents) // 2))
    total = Cell(f"{Decimal(exact + slack) / 100:.2f}", 1)
    res = evaluate(total, parts)
    assert res is not None
    assert res[0] == ("consistent" if slack == 0 else "rounding")
    far = Cell(f"{Decimal(exact + len(cents) + 1) / 100:.2f}", 1)
    far_res = evaluate(far, parts)
    assert far_res is not None and far_res[0] == "inconsistent"


def cost_table(costs: list[tuple[str, str, str]], spent: str = "128") -> object:
    head = [["项目资金（万元）", "", "", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"]]
    body = [["项目资金（万元）", "年度资金总额", "", spent, spent, spent, "10", "100", "10"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标", "实际完成值", "分值", "得分", ""]]
    body += [["绩效指标", "成本指标", "经济成本指标", name, target, actual, "5", "5", ""]
             for name, target, actual in costs]
    body.append(["总分", "", "", "", "", "", "100", "99", ""])
    return make_table(head, body, title="项目支出绩效自评表（事业经费）", page=32)


def cost_findings(t):  # type: ignore[no-untyped-def]
    return [f for f in run(t) if "cost indicators" in f.message]


def test_cost_indicators_add_up_to_more_than_the_project_spent() -> None:
    t = cost_table([("机关办公费用", "≤60万元", "14.09"), ("会议会务成本", "≤35万元", "29.97"),
                    ("平台租车成本", "≤45万元", "40.51"), ("督导差旅费用", "≤60万元", "65.01")])
    (f,) = cost_findings(t)
    assert f.verdict == "inconsistent" and f.stated == "全年执行数 128" and f.expected == "≥ 149.58"
    assert "督导差旅费用 ≤60万元 65.01" in f.quote and len(f.refs) == 5


def test_cost_indicators_within_the_spending_or_by_rounding_only() -> None:
    (f,) = cost_findings(cost_table([("维保服务费用", "≤20万元", "0"), ("系统建设成本", "≤140万元", "128.7")], "128.7"))
    assert f.verdict == "consistent"
    # 1.2 + 0.9 = 2.1 printed to one decimal; 2.08 spent: only rounding of the parts explains it.
    (g,) = cost_findings(cost_table([("办公费", "≤2万元", "1.2"), ("差旅费", "≤1万元", "0.9")], "2.08"))
    assert g.verdict == "rounding"
    # Costs in 元 are converted to the table's 万元.
    (h,) = cost_findings(cost_table([("办公费", "≤20000元", "15000"), ("差旅费", "≤10000元", "8000")], "2.2"))
    assert h.verdict == "inconsistent" and h.expected == "≥ 2.3000"


def test_unit_costs_and_a_single_cost_row_are_not_parts() -> None:
    # 人均/单价 costs are rates, not parts of the spending; one cost row alone may restate the whole.
    t = cost_table([("人均培训成本", "≤500元", "480"), ("设备单价", "≤5万元", "4.8"), ("系统建设成本", "≤140万元", "150")])
    assert cost_findings(t) == []
