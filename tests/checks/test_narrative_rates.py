from narrative_helpers import one, report, run, table


def test_growth_consistent() -> None:
    r = report(["本年支出合计 1144.45 万元，比上年增加 288.84 万元，增长 33.76%。"])
    f = one("growth_rate", r, "33.76%")
    assert f.verdict == "consistent" and f.expected == "33.76%"
    assert "288.84" in f.message and "1144.45" in f.message


def test_growth_rounding_is_not_an_error() -> None:
    # 0.08 / (5.52 + 0.08) = 1.43%, but 0.08 may stand for 0.075..0.085: 1.37% is within reach.
    r = report(["公务接待费决算数5.52万元，比上年减少0.08万元，下降1.37%。"])
    f = one("growth_rate", r, "1.37%")
    assert f.verdict == "rounding" and f.severity == "none"


def test_growth_wrong() -> None:
    r = report(["机关运行经费支出62.87万元，比上年减少192.37万元，下降70.00%。"])
    f = one("growth_rate", r, "70.00%")
    assert f.verdict == "inconsistent" and f.severity == "medium" and f.expected == "75.37%"


def test_growth_over_zero_base_is_low_not_a_crash() -> None:
    r = report(["机关运行经费支出10.23万元，比2023年度增加10.23万元，增长100.00%。"])
    f = one("growth_rate", r, "100.00%")
    assert f.verdict == "inconsistent" and f.severity == "low" and "zero" in f.message


def test_zero_change_on_zero_is_consistent() -> None:
    r = report(["外事接待费决算数0.00万元，决算数比上年增加0.00万元，增长0.00%。"])
    assert one("growth_rate", r, "0.00%").verdict == "consistent"


def test_share_of_enclosing_total_and_sum() -> None:
    r = report(["本年支出合计 307.82 万元，其中：基本支出 105.58 万元，占 34.30%；项目支出 202.24 万元，占 65.70%。"])
    assert one("share", r, "34.30%").verdict == "consistent"
    assert one("share", r, "65.70%").verdict == "consistent"
    sums = [f for f in run("share", r) if "shares" in f.message]
    assert len(sums) == 1 and sums[0].verdict == "consistent"


def test_share_off_by_one_in_last_place() -> None:
    r = report(["一般公共预算财政拨款支出307.82万元，主要用于：住房保障支出（类）29.42 万元，占 9.55%。"])
    f = one("share", r, "9.55%")
    assert f.verdict == "inconsistent" and f.expected == "9.56%"


def test_shares_of_a_complete_list_must_add_to_100() -> None:
    r = report(["2022年度支出合计29,085,952.04元，其中：",
                "基本支出543,923.64元，占比1.87%；", "项目支出26,233,458.49元，占比90.19%；",
                "经营支出0.00元，占比0.00%。"], unit="元")
    bad = [f for f in run("share", r) if f.verdict == "inconsistent"]
    assert len(bad) == 1 and bad[0].stated == "92.06%" and "not 100%" in bad[0].message


def test_share_of_named_base_found_in_table() -> None:
    t = table("T01", "收入支出决算总表", ["项目", "决算数"], [["本年支出合计", "29085952.04"]], unit="元")
    r = report(["财政拨款决算支出27,266,890.28元，占本年支出合计的100.00%。"], (t,), unit="元")
    f = one("share", r, "100.00%")
    assert f.verdict == "inconsistent" and f.expected == "93.75%" and f.refs[0].table == "T01"


def test_completion_consistent_and_rounding() -> None:
    r = report(["卫生健康支出年初预算数46.23万元，决算数52.12万元，完成年初预算的112.75%。",
                "住房保障支出年初预算数39.52万元，决算数215.89万元，完成年初预算的546.28%。"])
    assert one("budget_completion", r, "112.75%").verdict == "rounding"
    assert one("budget_completion", r, "546.28%").verdict == "consistent"


def test_completion_budget_taken_from_the_table_row() -> None:
    t = table("T07", "三公经费支出决算表", ["项目", "全年预算数", "决算数"],
              [["公务用车运行维护费", "20980.00", "20980.00"]], unit="元")
    r = report(["公务用车运行维护费支出20,980.00元，完成全年预算的104.90%。"], (t,), unit="元")
    f = one("budget_completion", r, "104.90%")
    assert f.verdict == "inconsistent" and f.expected == "100.00%"


def test_execution_rate_and_printed_division() -> None:
    r = report(["项目全年预算数8835600元，执行数为1525200元，执行率为17.26%。",
                "执行率=全年支出金额/全年预算金额=152.52/883.56=17.3%。"], unit="元")
    assert one("execution_rate", r, "17.26%").verdict == "consistent"
    assert one("execution_rate", r, "17.3%").verdict == "consistent"


def test_wrong_execution_rate() -> None:
    r = report(["项目全年预算数3829100元，执行数为964700元，执行率为35.19%。"], unit="元")
    f = one("execution_rate", r, "35.19%")
    assert f.verdict == "inconsistent" and f.expected == "25.19%"


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from crossfoot.pipeline import analyse  # noqa: E402

_WORDS = st.sampled_from(["本年支出合计", "基本支出", "增加", "减少", "增长", "下降", "占", "其中：", "，", "。",
                          "万元", "元", "%", "年初预算数", "决算数", "完成年初预算的", "执行率", "其余", "0",
                          "0.00", "12.50", "100", "与上年持平", "决算数小于预算数"])
_MINE = ["growth_rate", "share", "budget_completion", "execution_rate", "difference", "narrative_vs_table",
         "mislabel", "unit", "comparison"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_WORDS, max_size=25).map("".join), max_size=4))
def test_narrative_checks_never_fail(paragraphs: list[str]) -> None:
    t = table("T03", "支出决算表", ["项目", "本年支出合计", "基本支出"], [["合计", "12.50", "0.00"]])
    a = analyse(report(paragraphs, (t,)), only=_MINE)
    assert a.failed_checks == ()
    assert all(len(f.quote) <= 120 for f in a.findings)


def test_a_share_of_a_one_row_tables_total_column_is_named_as_such() -> None:
    # After a real 预算 report: the shares are of the table's 合计 (三公 + 会议费 + 培训费), while the text
    # says they are of 三公经费; the 合计 is a column of a one-row table, with no row label.
    t = table("T11", "“三公”经费、会议费、培训费支出预算表",
              ["合计", "“三公”经费", "因公出国（境）费", "公务接待费", "会议费", "培训费"],
              [["2,542.60", "833.60", "222.50", "427.50", "1,305.25", "403.75"]])
    r = report(["本部门“三公”经费预算支出中，因公出国（境）费支出222.5万元，占“三公”经费的8.75%。"], (t,))
    f = next(f for f in run("mislabel", r) if f.stated == "8.75%")
    assert "2,542.60" in f.message and "a share of 合计 of “三公”经费、会议费、培训费支出预算表" in f.message
