"""预算 narratives per 科目 (checks/budget.py), on sentences printed in real 部门/单位预算 reports."""

from __future__ import annotations

from tests.checks.narrative_helpers import one, report, run, table

# One 科目 item as 预算 reports print it, with the heading amount and the 预算安排 it restates.
ITEM = ("{n}、住房保障支出（221类）住房改革支出（02款）购房补贴（03项）{head}万元。主要用于：发放购房补贴。"
        "2025年当年预算执行数为{prior}万元，2026年预算安排{cur}万元，比2025年预算执行数{dir}{rate}%。主要原因是：支出增加。")


def _item(head: str, prior: str, cur: str, d: str, rate: str, n: int = 13) -> str:
    return ITEM.format(n=n, head=head, prior=prior, cur=cur, dir=d, rate=rate)


def test_growth_consistent_and_rounding() -> None:
    r = report([_item("243.36", "241.76", "243.36", "增加", "0.66"),
                "2025年当年预算执行数为59.11万元，2026年预算安排57.8万元，比2025年预算执行数减少2.21%。"])
    assert one("growth_rate", r, "0.66%").verdict == "consistent"
    assert one("growth_rate", r, "2.21%").verdict == "rounding"


def test_growth_wrong_direction_and_amount() -> None:
    r = report(["2025年当年预算执行数为1690.69万元，2026年预算安排1434.89万元，比2025年预算执行数减少1.10%。"])
    f = one("growth_rate", r, "1.10%")
    assert f.verdict == "inconsistent" and f.expected == "-15.13%"
    assert "1690.69" in f.quote and "1.10%" in f.quote and "(1434.89 − 1690.69) / 1690.69" in f.message


def test_growth_split_over_a_page_break() -> None:
    r = report(["3、公共安全支出（204类）司法（06款）普法宣传（05项）124.29万元。主要用于：法制宣传工作支出。2025年当年预算执行数为",
                "118.46万元，2026年预算安排124.29万元，比2025年预算执行数增加4.99%。主要原因是：法制宣传工作支出增加。"])
    f = one("growth_rate", r, "4.99%")
    assert f.verdict == "inconsistent" and f.expected == "4.92%"


def test_flat_and_zero_prior() -> None:
    r = report(["2023年当年预算执行数为10.00万元，2024年预算安排10.00万元，比2023年预算执行数持平。",
                "2023年当年预算执行数为0.00万元，2024年预算安排25.00万元，比2023年预算执行数增加100.00%。"])
    assert one("growth_rate", r, "持平").verdict == "consistent"
    z = one("growth_rate", r, "100.00%")
    assert z.severity == "low" and z.expected == "undefined"


def test_heading_against_its_own_budget_line() -> None:
    t = table("T1", "2026年预算单位一般公共预算支出功能分类预算表", ["功能分类科目编码", "功能分类科目名称", "合计"],
              [["2210203", "购房补贴", "2,070,000.00"]], unit="元")
    r = report([_item("207", "241.76", "170.03", "增加", "21.74")], (t,))
    f = one("self_conflict", r, "207")
    assert f.expected == "170.03" and "购房补贴" in f.quote
    assert "2210203" in f.message and "as the heading does" in f.message and f.refs
    # 21.74% holds for neither 207 nor 170.03: it is reported as a wrong rate too
    assert one("growth_rate", r, "21.74%").verdict == "inconsistent"


def test_rate_worked_on_the_heading_is_one_conflict() -> None:
    r = report([_item("208.8", "198.34", "201.50", "增加", "5.27")])
    f = one("self_conflict", r, "208.8")
    assert "增加5.27% fits 208.8" in f.message
    assert [x for x in run("growth_rate", r) if x.verdict == "inconsistent"] == []


def test_heading_agreeing_with_its_budget_line_is_quiet() -> None:
    r = report([_item("243.36", "241.76", "243.36", "增加", "0.66")])
    assert run("self_conflict", r) == []


def test_level_tag_with_another_levels_code() -> None:
    r = report(["7、社会保障和就业支出（208类）行政事业单位养老支出（20805类）行政单位离退休（01项）56.12万元。"])
    hits = [f for f in run("mislabel", r) if f.stated == "（20805类）"]
    assert len(hits) == 1 and hits[0].expected == "（20805款）"


def test_subject_name_against_the_tables_name_for_its_code() -> None:
    t = table("T1", "2026年部门一般公共预算支出功能分类预算表", ["功能分类科目编码", "功能分类科目名称", "合计"],
              [["204", "公共安全支出", "100.00"], ["20406", "司法", "100.00"], ["2040601", "行政运行", "100.00"]])
    good = report(["1、公共安全支出（204类）司法（06款）行政运行（01项）100万元。"], (t,))
    assert [f for f in run("mislabel", good) if f.verdict == "inconsistent"] == []
    bad = report(["1、公共安全支出（204类）检察（06款）行政运行（01项）100万元。"], (t,))
    hits = [f for f in run("mislabel", bad) if f.stated == "检察"]
    assert len(hits) == 1 and hits[0].expected == "司法" and "20406" in hits[0].message
