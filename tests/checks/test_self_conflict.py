from __future__ import annotations

import pytest

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
    # The quote carries the two changes in conflict and their base, not the rates that hold.
    assert f.quote == "与2021年相比，收入总计减少100,578,199.82元…支出总计减少158,502,212.83元"
    assert "60.16" not in f.quote and "70.41" not in f.quote and "66,618,228.77" not in f.quote
    ok = "与上年相比，收入总计增加288.84万元，增长33.76%，支出总计增加288.84万元，增长33.76%。"
    (g,) = run([(3, ok)])
    assert g.verdict == "consistent"


def test_zero_with_parts_listed() -> None:
    text = "人员经费0.00元，主要包括工资福利支出1966894.44元、对个人和家庭的补助支出111230.64元；"
    (f,) = run([(20, text)])
    assert f.verdict == "inconsistent" and f.expected == "2078125.08元"
    # The zero is under test: its parts are in expected and the message, not in the quote.
    assert f.quote == "人员经费0.00元，主要包括" and f.stated == "人员经费 0.00"
    assert "1966894.44 + 111230.64" in f.message
    same = "公用经费0.00元，主要包括公用经费共支出774368.47元，其中委托业务费505,980.00元；"
    (g,) = run([(20, same)])
    assert g.expected == "774368.47元" and "505,980.00" not in g.quote
    # A label repeated inside its own list ("人员经费0.00元，主要包括人员经费0.00元，主要包括…") is one statement.
    (h,) = run([(20, "人员经费0.00元，主要包括人员经费0.00元，主要包括工资福利支出1966894.44元；")])
    assert h.quote == "人员经费0.00元，主要包括"
    assert run([(1, "人员经费0.00元，主要包括：基本工资0.00元、津贴补贴0.00元。")]) == []


def test_zero_cost_but_items_bought() -> None:
    (f,) = run([(21, "2、公务用车购置支出0.00元，使用财政拨款共购置公务用车1辆，主要用于公务。")])
    assert f.verdict == "inconsistent" and f.stated == "购置 1辆"
    assert f.quote == "使用财政拨款共购置公务用车1辆" and "0.00" in f.message
    assert run([(21, "公务用车购置支出0.00元，本年未购置公务用车，共购置公务用车0辆。")]) == []


def test_project_summary_against_its_self_evaluation_table() -> None:
    head = [["项目资金（万元）", "", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"]]
    t = make_table(head, [["项目资金（万元）", "年度资金总额", "", "382.9117", "382.9117", "10", "100.00%", "10.00"],
                          ["总分", "", "", "", "", "", "", "10.00"]], title="项目支出绩效自评表（小额贷款贴息）", page=90)
    bad = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为964700元，执行率为25.19%。"
    (f,) = run([(23, bad)], [t])
    assert f.verdict == "inconsistent" and "3829117" in f.expected
    # 25.19% is what 964700 / 3829100 gives: the amount is in conflict, the rate only follows from it.
    assert f.stated == "执行数 964700元" and f.quote == "执行数为964700元"
    # 3829100 is the budget to the hundred: only 执行数 and 执行率 conflict.
    assert "全年预算数" not in f.message
    good = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为3829117元，执行率为100%。"
    (g,) = run([(23, good)], [t])
    assert g.verdict == "consistent"
    # A rate that does not follow from the text's own amounts is in conflict too.
    odd = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为964700元，执行率为90%。"
    (h,) = run([(23, odd)], [t])
    assert h.stated == "执行数 964700元; 执行率 90%" and h.quote == "执行数为964700元，执行率为90%"
    # Only the rate off: the quote is its clause.
    rate = "2、“小额贷款贴息”项目绩效自评综述：该项目自评得分96.47分，项目全年预算数3829100元，执行数为3829117元，执行率为99%。"
    (k,) = run([(23, rate)], [t])
    assert k.verdict == "inconsistent" and k.stated == "执行率 99%" and k.quote == "执行率为99%"


@pytest.mark.slow
def test_sample_report_conflicts() -> None:
    from tests.conftest import load_sample

    fs = [f for f in self_conflict(Context(load_sample("003.pdf"))) if f.verdict == "inconsistent"]
    quotes = " ".join(f.quote for f in fs)
    assert "支出总计减少158,502,212.83元" in quotes  # 收入总计 and 支出总计 changed by different amounts
    assert "人员经费0.00元" in quotes and "公用经费0.00元" in quotes
    assert "执行数为964700元" in quotes  # the summary contradicts its 自评表 (382.9117万元, 100%)


def eval_table(rows: list[list[str]], funds: list[str] | None = None, page: int = 30):  # type: ignore[no-untyped-def]
    head = [["项目资金（万元）", "", "", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"]]
    body = [funds or ["项目资金（万元）", "年度资金总额", "", "0", "128.7", "128.7", "10", "100", "10"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标", "实际完成值", "分值", "得分", ""]]
    body += [["绩效指标", "产出指标", *r] for r in rows]
    body.append(["总分", "", "", "", "", "", "100", "99", ""])
    return make_table(head, body, title="项目支出绩效自评表（系统建设）", page=page)


def test_text_restating_a_target_or_actual_of_its_self_evaluation_table() -> None:
    t = eval_table([["时效指标", "系统全面建设完成", "2023年10月前", "已完成", "4", "4"],
                    ["成本指标", "系统建设成本", "≤140万元", "128.7", "10", "10"],
                    ["满意度指标", "系统使用人员满意度", "≥90%", "100%", "5", "5"]])
    blocks = [(43, "从时效指标角度上看，年初设定在2023年12月份前防贫系统建设全面完成。"),
              (51, "按照年初设定指标，信息系统建设总成本控制在130万元以内，实际购买金额127.8万元。"),
              (52, "经调查，系统使用人员满意度为100%。")]
    fs = run(blocks, [t])
    got = {(f.stated, f.verdict) for f in fs}
    assert {("2023年12月份前", "inconsistent"), ("130", "inconsistent"), ("127.8", "inconsistent"),
            ("100%", "consistent")} <= got


def test_spending_rate_indicator_against_the_funds_row() -> None:
    t = eval_table([["经济成本指标", "全年支出率不超预算", "≤100%", "100", "20", "20"]],
                   funds=["项目资金（万元）", "年度资金总额", "", "88.364", "88.364", "0", "10", "0", "0"])
    (f,) = [f for f in run([], [t]) if "funds row" in f.message]
    assert f.verdict == "inconsistent" and f.stated == "100" and f.expected == "0%"


def test_self_evaluation_scope_stated_twice() -> None:
    t = eval_table([["成本指标", "系统建设成本", "≤140万元", "128.7", "10", "10"]])
    main = "我部门组织对纳入2023年度部门预算范围的二级项目1个全面开展绩效自评，共涉及资金128.70万元。"
    appendix = "本次自评项目共计2项，涉及资金共385.88万元。"
    fs = [f for f in run([(25, main), (48, appendix)], [t]) if "self-evaluat" in f.message]
    assert {(f.stated, f.verdict) for f in fs} == {("2", "inconsistent"), ("385.88", "inconsistent")}


def test_two_indicators_of_one_place_swapped_between_text_and_table() -> None:
    t = eval_table([["数量指标", "硬件部分(固贤村)", "2套", "2套", "5", "5"],
                    ["数量指标", "软件系统(固贤村)", "1套", "1套", "5", "5"],
                    ["数量指标", "软件系统(碧村)", "3套", "3套", "5", "5"],
                    ["数量指标", "硬件部分(碧村)", "2套", "2套", "5", "5"]])
    text = "其中，固贤村硬件设施2套、软件系统1套，碧村硬件设施3套、软件系统2套。"
    fs = [f for f in run([(55, text)], [t]) if "套" in f.stated]
    (bad,) = [f for f in fs if f.verdict == "inconsistent"]
    assert bad.stated == "碧村 硬件设施3套、软件系统2套" and bad.quote == "碧村硬件设施3套、软件系统2套"
    assert bad.expected == "硬件部分 2套、软件系统 3套" and len(bad.refs) == 2
    assert [f.stated for f in fs if f.verdict == "consistent"] == ["固贤村 硬件设施2套、软件系统1套"]
    # Values that differ without being exchanged are not a swap (a single figure's checks judge them).
    other = "其中，碧村硬件设施13套、软件系统2套。"
    assert [f for f in run([(55, other)], [t]) if "套" in f.stated] == []


def _counted(fs):  # type: ignore[no-untyped-def]
    return [(f.page, f.stated, f.verdict, f.expected) for f in fs if f.stated.endswith("单位") or "次" in f.stated]


def test_text_count_against_the_counted_indicator_of_its_self_evaluation_table() -> None:
    t = eval_table([["数量指标", "整理档案单位个数", "≥25个", "25", "20", "20"],
                    ["数量指标", "开展督导调研次数", "≥2次", "4", "10", "10"]])
    said = "档案整理服务包括对原17个乡镇、县直各行业部门共53个单位档案进行整理，达到计划指标值。"
    # The count is repeated in the department summary and the project report: reported once, nearest its table.
    fs = run([(5, said), (28, said)], [t])
    assert _counted(fs) == [(28, "53个单位", "inconsistent", "25个")]
    ok = run([(28, "共对25个单位的档案进行了整理。")], [t])
    assert _counted(ok) == [(28, "25个单位", "consistent", "25个")]


def test_text_count_not_compared_when_a_target_or_another_thing() -> None:
    t = eval_table([["数量指标", "整理档案单位个数", "≥25个", "25", "20", "20"],
                    ["数量指标", "开展督导调研次数", "≥2次", "4", "10", "10"]])
    blocks = [(28, "年度目标：开展至少2次调研督导、3次业务培训会。"),  # a target, not the outturn
              (28, "共53个单位参加了培训。"),  # units, but not the archives the indicator counts
              (28, "整理档案涉及53个单位以上。")]
    assert _counted(run(blocks, [t])) == []
