from __future__ import annotations

import pytest

from crossfoot.checks.context import Context
from crossfoot.checks.scoring import duplicate_code, grade_band, score_cap, score_sum
from structural_helpers import make_report, make_table

HEAD = [["一级指标", "二级指标", "三级指标", "权重", "得分"]]


def sub_table(rows: list[list[str]], page: int = 2):  # type: ignore[no-untyped-def]
    return make_table(HEAD, rows, title="表2-1产出指标评分情况表", page=page)


def test_rows_must_add_up_to_the_total_and_integers_are_exact_scores() -> None:
    t = sub_table([["B产出", "B1数量指标", "B11贴息人数", "8", "8"],
                   ["B产出", "B1数量指标", "B12新增贷款", "10", "6.47"],
                   ["B产出", "B2质量指标", "B21贷款使用合理", "32", "32"],
                   ["合计", "", "", "50", "47.53"]])
    fs = list(score_sum(Context(make_report([t]))))
    scores = next(f for f in fs if f.stated == "47.53")
    # "8" beside "6.47" is 8.00, not 7.5..8.5: the 1.06 gap is an error, not rounding.
    assert scores.verdict == "inconsistent" and scores.expected == "46.47"
    weights = next(f for f in fs if f.stated == "50")
    assert weights.verdict == "consistent"


def test_narrative_total_is_checked_against_the_following_table() -> None:
    t = sub_table([["B产出", "B1数量指标", "B11硬件", "25", "25"], ["B产出", "B2质量指标", "B21达标率", "25", "25"],
                   ["合计", "", "", "50", "50"]], page=3)
    good = "产出指标分值共计 50 分，本项目实际得分 50 分："
    bad = "产出指标分值共计50分，本项目实际得分45分："
    fs = list(score_sum(Context(make_report([t], blocks=[(3, good)]))))
    assert all(f.verdict == "consistent" for f in fs)
    fs = list(score_sum(Context(make_report([t], blocks=[(2, bad)]))))
    wrong = [f for f in fs if f.verdict == "inconsistent"]
    assert len(wrong) == 1 and wrong[0].stated == "45" and wrong[0].quote == bad


def self_eval_table():  # type: ignore[no-untyped-def]
    head = [["项目资金（万元）", "", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"]]
    rows = [["项目资金（万元）", "年度资金总额", "0", "48.6", "48.6", "10", "100%", "10"],
            ["绩效指标", "一级指标", "三级指标", "年度指标", "实际完成值", "分值", "评分标准", "得分"],
            ["绩效指标", "产出指标", "硬件部分", "2套", "2套", "40", "完成指标得满分,未完成按完成情况得分", "40"],
            ["绩效指标", "效益指标", "受益人口数", "≥750人", "≥750人", "15", "完成指标得满分,未完成按完成情况得分", "30"],
            ["总分", "", "", "", "", "", "", "80"]]
    return make_table(head, rows, title="项目支出绩效自评表（示范项目）", page=5)


def test_score_above_its_weight() -> None:
    fs = list(score_cap(Context(make_report([self_eval_table()]))))
    assert [(f.stated, f.expected) for f in fs] == [("30", "≤ 15")]


def test_self_evaluation_table_total() -> None:
    fs = list(score_sum(Context(make_report([self_eval_table()]))))
    (total,) = [f for f in fs if f.stated == "80"]
    assert total.verdict == "consistent" and "10 + 40 + 30 = 80" in total.message


def test_duplicate_indicator_code() -> None:
    t = sub_table([["B产出", "B1数量指标", "B13软件系统", "7", "7"], ["B产出", "B1数量指标", "B13硬件部分", "7", "7"],
                   ["合计", "", "", "14", "14"]])
    fs = list(duplicate_code(Context(make_report([t]))))
    assert len(fs) == 1 and fs[0].stated == "B13"


def test_grade_bands_default_and_defined() -> None:
    blocks = [(1, "该项目绩效自评指标得分为 83.73 分，评价等级为“良”。"), (1, "自评得分为79分，评价等级为“良”。")]
    fs = list(grade_band(Context(make_report([], blocks=blocks))))
    assert [f.verdict for f in fs] == ["consistent", "inconsistent"]
    defined = [(1, "评价分为四个档次：分为优（得分 ≥ 95 ），良（ 95 > 得分 ≥ 75 ），中（ 75 > 得分 ≥ 60 ），差（得分 < 60 分）。"),
               (1, "自评得分为79分，评价等级为“良”。"), (1, "得分92分，评价结果为优。")]
    fs = list(grade_band(Context(make_report([], blocks=defined))))
    assert [f.verdict for f in fs] == ["consistent", "inconsistent"]


def test_grade_bands_defined_in_words() -> None:
    # The band sentence as 绩效评价 reports print it (spaces as extracted), with a top band moved to 85.
    words = "将评分结果类型分为优、良、中、差。60 分以下为差，60 分（含）-80 分为中，80 分（含）-85 分为良，85 分（含）以上为优。"
    blocks = [(1, words), (1, "自评得分为87分，评价等级为“优”。"), (1, "自评得分为84分，评价等级为“优”。")]
    fs = list(grade_band(Context(make_report([], blocks=blocks))))
    assert [f.verdict for f in fs] == ["consistent", "inconsistent"] and fs[1].expected == "良"


def rule_table(rows: list[list[str]], notes: str = "完成指标得满分,未完成按完成情况得分"):  # type: ignore[no-untyped-def]
    head = [["项目资金(万元)", "", "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率", "得分", "得分计算方法"]]
    body = [["项目资金(万元)", "年度资金总额:", "883.56", "883.56", "152.52", "10", "17%", "1.73", "执行率*该指标分值"],
            ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值(A)", "实际完成值(B)", "分值", "评分标准", "得分"]]
    body += [["绩效指标", "产出指标", *r[:5], notes, r[5]] for r in rows]
    return make_table(head, body, title="项目支出绩效自评表（示例）", page=10)


def test_score_rules() -> None:
    from crossfoot.checks.scoring import score_rule

    t = rule_table([["数量指标", "新增贷款", "≥9100万元", "5889.6万元", "10", "6.47"],
                    ["质量指标", "档案整理质量", "合格", "合格", "15", "10"],
                    ["时效指标", "完成时效", "按时", "按时", "15", "15"],
                    ["质量指标", "报告质量", "符合要求", "基本达成目标", "10", "10"]])
    rep = make_report([t], blocks=[(8, "依据支出绩效自评得分规则，质量指标得分 10 分。")])
    fs = {f.message.split(":")[0]: f for f in score_rule(Context(rep))}
    # 152.52 / 883.56 × 10 = 1.726 -> 1.73; 5889.6 / 9100 × 10 = 6.472 -> 6.47
    assert fs["spending rate × weight = 152.52 / 883.56 × 10 = 1.726 (capped at the weight)"].verdict == "consistent"
    assert fs["新增贷款"].verdict == "consistent" and fs["新增贷款"].expected == "6.47"
    assert fs["档案整理质量"].verdict == "inconsistent" and fs["档案整理质量"].expected == "15"
    assert fs["档案整理质量"].quote.endswith("质量指标得分 10 分。")
    assert fs["报告质量"].verdict == "inconsistent"
    assert fs["完成时效"].verdict == "consistent"


def test_no_rule_no_finding() -> None:
    from crossfoot.checks.scoring import score_rule

    t = rule_table([["数量指标", "新增贷款", "≥9100万元", "5889.6万元", "10", "3"]], notes="")
    fs = [f for f in score_rule(Context(make_report([t]))) if "新增贷款" in f.message]
    assert fs == []


@pytest.mark.slow
def test_sample_scoring_tables() -> None:
    from tests.conftest import load_sample

    ctx = Context(load_sample("003.pdf"))
    bad_sums = {f.stated for f in score_sum(ctx) if f.verdict == "inconsistent"}
    assert {"47.53", "50", "45"} <= bad_sums
    assert [f.stated for f in score_cap(ctx)] == ["30"]


BANDED = "95%以上得3分；80%（含）-95%得2分；80%以下不得分"


def own_rule_table(rows: list[list[str]], before_weight: bool = False,  # type: ignore[no-untyped-def]
                   after_score: bool = False):
    """A 自评表 whose rows print their own 评分标准: between 分值 and 得分, before 分值 or after 得分."""
    if after_score:
        head = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "评分标准", "偏差原因"]]
        body = [["产出指标", r[0], r[1], r[2], r[3], r[4], r[5], r[6], "受疫情影响，满意度得分偏低"] for r in rows]
    elif before_weight:
        head = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "评分标准", "分值", "得分"]]
        body = [["产出指标", r[0], r[1], r[2], r[3], r[6], r[4], r[5]] for r in rows]
    else:
        head = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "评分标准", "得分"]]
        body = [["产出指标", r[0], r[1], r[2], r[3], r[4], r[6], r[5]] for r in rows]
    return make_table(head, body, title="项目支出绩效自评表（示例）", page=4)


@pytest.mark.parametrize(("before_weight", "after_score"), [(False, False), (True, False), (False, True)])
def test_each_row_is_scored_by_its_own_printed_rule(before_weight: bool, after_score: bool) -> None:
    from crossfoot.checks.scoring import score_rule

    t = own_rule_table([
        ["满意度指标", "服务对象满意度", "≥95%", "85%", "3", "3", BANDED],  # 85% is in the 2-point band
        ["满意度指标", "群众满意度", "≥95%", "96%", "3", "3", BANDED],
        ["数量指标", "培训人次", "≥200人", "170人", "3", "2", BANDED],  # 170/200 = 85% → 2
        ["质量指标", "验收合格率", "≥95%", "90%", "10", "9", "每降低1%扣0.5分"],  # 5 × 0.5 off → 7.5
        ["质量指标", "问题发现次数", "0次", "2次", "5", "3", "每发现一次扣1分，扣完为止"],
        ["时效指标", "完成时效", "≥95%", "较好", "3", "2", BANDED],  # no number: could not check
    ], before_weight, after_score)
    fs = {f.message.split(":")[0]: f for f in score_rule(Context(make_report([t])))}
    bad = fs["服务对象满意度"]
    assert bad.verdict == "inconsistent" and bad.expected == "2" and bad.stated == "3"
    assert "85%" in bad.message and "80%(含)-95%得2分" in bad.message  # which band, as normalised
    assert fs["群众满意度"].verdict == "consistent"
    assert fs["培训人次"].verdict == "consistent" and "170人 / ≥200人 = 85%" in fs["培训人次"].message
    ded = fs["验收合格率"]
    assert ded.verdict == "inconsistent" and ded.expected == "7.5" and "5 × 0.5 off 10" in ded.message
    assert fs["问题发现次数"].verdict == "consistent"
    unread = fs["完成时效"]
    assert unread.verdict == "unchecked" and unread.severity == "none" and "could not check" in unread.message


def test_template_rows_without_a_rule_column_keep_the_table_rule() -> None:
    # The national template prints no rule per row: the table-wide "完成指标得满分" reading is unchanged.
    from crossfoot.checks.scoring import score_rule

    t = rule_table([["数量指标", "新增贷款", "≥9100万元", "5889.6万元", "10", "6.47"]],
                   notes="完成指标得满分,未完成按完成比例得分")
    (f,) = [f for f in score_rule(Context(make_report([t]))) if "新增贷款" in f.message]
    assert f.verdict == "consistent" and f.expected == "6.47"


def test_the_texts_total_score_against_the_table_its_project_names() -> None:
    # Real sentences (a 绩效自评 report's project summary and its grade sentence) against the 总分 of the
    # 自评表 whose title names the project; a table naming another project is not used.
    t = self_eval_table()
    other = make_table([["项目", "分值", "得分"]], [["甲", "10", "10"], ["总分", "10", "10"]],
                       title="项目支出绩效自评表（农村饮水安全巩固提升工程）", id="t2", page=7)
    good = "2、“示范项目”项目绩效自评综述：根据年初设定的绩效目标，该项目自评得分80分，项目全年预算数486000元。"
    bad = "示范项目绩效自评得分为85分，评价等级为“良”。"
    fs = [f for f in score_sum(Context(make_report([t, other], blocks=[(3, good), (4, bad)])))
          if f.message.startswith("the total score")]
    assert [(f.stated, f.verdict, f.expected) for f in fs] == [("80", "consistent", "80"), ("85", "inconsistent", "80")]
    assert fs[1].quote == bad and fs[1].refs[0].label == "总分"
    unnamed = "经过认真评价，我局得分97分，评价结果为优。"
    assert not [f for f in score_sum(Context(make_report([t], blocks=[(3, unnamed)])))
                if f.message.startswith("the total score")]


def test_a_grade_without_its_score_against_the_table_the_sentence_names() -> None:
    # A real sentence naming two projects, each graded: each grade is read against the project named nearest it.
    def table(name: str, total: str, id: str):  # type: ignore[no-untyped-def]
        return make_table([["指标", "分值", "得分"]], [["甲", "100", total], ["总分", "100", total]],
                          title=f"项目支出绩效自评表（{name}）", id=id, page=30)

    a = table("市防贫监测信息共享及督查考核系统建设以及维护使用资金", "99", "t1")
    b = table("市直招商小分队前期工作经费(绿色食品产业,第1小分队)", "80", "t2")
    text = ("结合2023年度项目支出绩效自评表，市防贫监测信息共享及督查考核系统建设以及维护使用资金等5个项目，项目自评结果为优秀，"
            "市直招商小分队前期工作经费(绿色食品产业,第1小分队)项目自评结果为{}。")
    fs = list(grade_band(Context(make_report([a, b], blocks=[(50, text.format("良好"))]))))
    assert [(f.stated, f.verdict, f.refs[0].table) for f in fs] == [("优秀", "consistent", "t1"),
                                                                    ("良好", "consistent", "t2")]
    fs = list(grade_band(Context(make_report([a, b], blocks=[(50, text.format("优秀"))]))))
    assert [(f.verdict, f.expected) for f in fs][1] == ("inconsistent", "良") and "80" in fs[1].message


def test_a_rule_with_no_actual_column_is_not_applied() -> None:
    # A 绩效评价 指标体系: 一级 | 二级 | 三级 | 分值 | 评分标准 | 得分 — no achieved value to apply the rule to.
    from crossfoot.checks.scoring import score_rule

    t = make_table([["一级指标", "二级指标", "三级指标", "分值", "评分标准", "得分"]],
                   [["产出", "数量指标", "培训人次完成率", "3", BANDED, "3"]], title="绩效评价指标体系", page=3)
    assert list(score_rule(Context(make_report([t])))) == []
