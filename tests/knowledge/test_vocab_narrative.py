"""The narrative vocabulary (knowledge/vocab/narrative.toml, links.toml) on real sentences of the corpus.

Each pattern's own `matches` are checked when the catalogue loads; these tests show that the modules reading
the patterns still find (and still refuse) what they did, on sentences printed in real reports: the 000 and
003 决算 samples, putuo-finance-2024 (普陀区财政局 2024 决算) and jiangsu-court-2018 (江苏省高院 2018 部门预算).
"""

from __future__ import annotations

import pytest
from tests.checks.narrative_helpers import report, run

from crossfoot.knowledge import pattern, words
from crossfoot.model import Block, Report
from crossfoot.narrative.figures import Figure, extract_figures


def _figures(*paragraphs: str) -> list[Figure]:
    r = Report("x.pdf", "0" * 64, "决算", None, 2023, "万元", (), tuple(Block(1, None, p) for p in paragraphs), ())
    return extract_figures(r)


# ---- growth wording: one pattern, every variant --------------------------------------------------

# (sentence, the percentage printed, its sign): real sentences first, then the variants the 绩效 reports use.
GROWTH = [
    ("本部门2023年度支出总计1144.45万元，其中本年支出合计1144.45万元，比上年增加288.84万元，增长33.76%，主要原因：",
     "33.76%", 1),
    ("（四）资本性支出0.09万元，比上年减少9.63万元，下降99.07%，主要原因：购买办公家具和设备较上年减少。",
     "99.07%", -1),
    ("一般公共预算收入预算33172.15万元，与上年相比增加4322.77万元，增长14.98%。", "14.98%", 1),
    ("与上年相比减少92.37万元，减少3.94%。", "3.94%", -1),
    ("二是2022年，全县脱贫人口人均纯收入达到11326元，同比增长19.95%。", "19.95%", 1),
    ("与2023年度相比，一般公共预算财政拨款支出减少63.14万元，下降2.10%。", "2.10%", -1),
    # Wordings of the growth nouns (lexicon relation.growth_up / growth_down) and of the copula.
    ("项目资金到位1200万元，较上年增幅为12.5%。", "12.5%", 1),
    ("本年支出合计1144.45万元，增长率为33.76%。", "33.76%", 1),
    ("本年支出合计1144.45万元，比上年增长比率为33.76%。", "33.76%", 1),
    ("公用经费支出62.78万元，降幅达68.53%。", "68.53%", -1),
    ("公用经费支出62.78万元，同比下降幅度为68.53%。", "68.53%", -1),
    ("本年收入合计1144.45万元，较上年增长了33.76%。", "33.76%", 1),
]


@pytest.mark.parametrize(("sentence", "printed", "sign"), GROWTH)
def test_growth_wordings_are_growth_rates(sentence: str, printed: str, sign: int) -> None:
    rate = next(f for f in _figures(sentence) if f.text == printed)
    assert rate.relation == "growth_rate" and rate.sign == sign


def test_shares_completion_and_execution_are_not_growth() -> None:
    figs = _figures("一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。",
                    "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。",
                    "项目预算执行率为95.5%。")
    rel = {f.text: f.relation for f in figs}
    assert rel["100.00%"] == "share" and rel["98.20%"] == "completion" and rel["95.5%"] == "execution_rate"
    assert rel["2993.92万元"] == "budget" and rel["2940.05万元"] == "actual"


def test_prior_year_phrase_is_no_part_of_a_label() -> None:
    figs = _figures("财政拨款收入与上年相比增加4322.77万元，增长14.98%。")
    assert figs[0].relation == "change" and "上年" not in figs[0].label


# ---- the prior-year phrase is defined once and read by three checks --------------------------------

PRIOR_YEAR = ["比上年增加288.84万元", "较上年减少94万元", "比上年度减少16,869.00元", "与上年相比增加4322.77万元",
              "与2023年度相比", "同比增长19.95%", "与上一年度相比"]


@pytest.mark.parametrize("text", PRIOR_YEAR)
def test_prior_year_phrase(text: str) -> None:
    assert pattern("narrative.prior_year").search(text)


def test_prior_year_phrase_is_not_a_budget_base() -> None:
    assert not pattern("narrative.prior_year").search("完成年初预算的98.20%，决算数小于预算数")


def test_balanced_totals_read_with_each_prior_year_wording() -> None:
    for base in ("比上年", "较上年", "同比", "与上年相比"):
        r = report([f"本年收入总计{base}增加10.00万元，支出总计{base}增加12.00万元。"])
        hits = [f for f in run("self_conflict", r) if f.verdict == "inconsistent"]
        assert len(hits) == 1, base


def test_flat_claim_against_the_prior_year_with_a_change() -> None:
    # The flat wording reaches the comparison check through relation.flat and narrative.prior_year.
    r = report(["因公出国（境）费支出5.00万元，比上年减少2.00万元，与上年持平。"])
    bad = [f for f in run("comparison", r) if f.verdict == "inconsistent"]
    assert len(bad) == 1 and "持平" in bad[0].message


# ---- the budget word: one pattern for completion rates and 决算/预算 comparisons ------------------

def test_budget_comparison_on_a_real_paragraph() -> None:
    r = report(["一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。"
                "决算数小于预算数的主要原因：因年度工作计划安排，个别信息化项目和中介机构服务调减。"])
    cmp = [f for f in run("comparison", r) if f.stated == "决算数小于预算数"]
    assert len(cmp) == 1 and cmp[0].verdict == "consistent"
    r2 = report(["年初预算为10.00万元，支出决算为12.00万元。决算数与预算数基本持平。"])
    assert [f.verdict for f in run("comparison", r2)] == ["inconsistent"]


def test_completion_rate_names_its_budget() -> None:
    r = report(["一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.30%。"])
    bad = [f for f in run("budget_completion", r) if f.verdict == "inconsistent"]
    assert len(bad) == 1 and "年初预算" in bad[0].message


# ---- the linker's words (links.toml) ---------------------------------------------------------------

def test_link_words_resolve_from_the_knowledge_folder() -> None:
    from crossfoot.matching.link_words import LEVEL_MARK, TITLE_STEM
    from crossfoot.matching.link_words import words as link_words

    assert "机关运行经费" in link_words("topics")
    assert link_words("fillers") == words("links.fillers")
    m = LEVEL_MARK.search("公共安全支出（204类）司法（06款）")
    assert m is not None and m.groups() == ("204", "类")
    assert TITLE_STEM.sub("", "收入支出决算总表") == "收入支出"


def test_section_heading_on_real_lines() -> None:
    from crossfoot.matching.link_names import section_heading

    lines = ["四、财政拨款收入支出决算总体情况说明",
             "上海市普陀区财政局2024年度财政拨款收入支出总计0.3万元。",
             "一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%"]
    r = report(lines)
    assert section_heading(r, 1) == lines[0]
    assert section_heading(r, 2) == lines[0]  # an amount or a rate makes a line a sentence, not a heading


# ---- the modules reading the vocabulary, on real sentences -----------------------------------------

def test_money_units_of_the_lexicon_convert_as_numbers_does() -> None:
    # numbers.py keeps its own table (it is below the catalogue); the two must not drift apart.
    from crossfoot.knowledge import load_catalogue
    from crossfoot.numbers import MONEY_UNITS

    for unit, factor in load_catalogue().units.money:
        assert MONEY_UNITS[unit] == factor, unit


def test_label_words_on_real_clauses() -> None:
    from crossfoot.tables.labels import clean_label, norm_label

    assert clean_label("其中：财政拨款收入") == "财政拨款收入"
    assert clean_label("本年收入合计为") == "本年收入合计"
    assert norm_label("社会保障和就业支出（类）") == "社会保障和就业支出"
    assert norm_label("人员经费合计") == "人员经费"


def test_budget_columns_of_the_cell_index() -> None:
    from crossfoot.matching.match import is_budget_column

    assert is_budget_column("支出/年初预算数")
    assert not is_budget_column("支出/一般公共预算财政拨款")
    assert not is_budget_column("决算数")


def test_shares_of_one_base_on_a_real_paragraph() -> None:
    # 普陀区财政局 2024 决算, 一般公共预算财政拨款支出决算结构: 2106.66 / 2940.05 is 71.65%, printed 71.73%.
    r = report(["一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；"
                "社会保障和就业支出（类）326.72万元，占11.11%；卫生健康支出（类）60.99万元，占2.07%；"
                "住房保障支出（类）445.69万元，占15.16%。"])
    bad = {f.stated: f for f in run("share", r) if f.verdict == "inconsistent"}
    # The shares add to 100.07% because 71.73% is wrong: one disagreement, one finding.
    assert set(bad) == {"71.73%"} and bad["71.73%"].expected == "71.65%"


def test_a_share_cut_from_its_clause_by_a_paragraph_break() -> None:
    # The same report prints the last share below the line its clause ends on: "…445.69万元，占" | "15.16%；".
    r = report(["一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.73%；"
                "社会保障和就业支出（类）326.72万元，占11.11%；卫生健康支出（类）60.99万元，占2.07%；"
                "住房保障支出（类）445.69万元，占", "15.16%；"])
    got = {f.stated: f for f in run("share", r)}
    assert got["15.16%"].verdict == "consistent" and "445.69" in got["15.16%"].message
    assert got["71.73%"].verdict == "inconsistent" and "100.07%" not in got
    # A paragraph that ends its sentence does not hand its last amount to the next one's share.
    r2 = report(["住房保障支出（类）445.69万元。", "占15.16%；"])
    assert not [f for f in run("share", r2) if "445.69" in f.message]


def test_itemised_total_on_a_real_list() -> None:
    from crossfoot.narrative.claims import itemised_totals

    r = report(["本年支出合计1144.45万元，其中：", "（1）基本支出800.00万元。", "（2）项目支出344.45万元。",
                "二、收入决算情况说明"])
    figs = extract_figures(r)
    got = itemised_totals(r, figs)
    assert len(got) == 1 and [f.text for f in got[0][1]] == ["800.00万元", "344.45万元"]


def test_procurement_parts_on_real_paragraphs() -> None:
    # 普陀区财政局 2024: 246.47 (reserved) + 4.79 (other) = 251.25 total, within rounding; 社会工作部 2024 prints
    # 21.07 for both parts of a 21.07 total.
    total = "上海市普陀区财政局2024年度政府采购金额（以合同签订为准）为{t}万元，其中：货物采购金额4.79万元。"
    parts = ("在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额{r}万元；在面向小微企业预留"
             "政府采购项目中，由小微企业供应商中标或成交的，采购金额0万元；在其他政府采购项目中，由中小企业供应商中标或"
             "成交的，采购金额{o}万元。")
    ok = report([total.format(t="251.25"), parts.format(r="246.47", o="4.79")])
    assert [f.verdict for f in run("difference", ok)] == ["consistent"]
    bad = report([total.format(t="21.07"), parts.format(r="21.07", o="21.07")])
    assert [f.verdict for f in run("difference", bad)] == ["inconsistent"]


def test_stale_year_in_a_definition() -> None:
    r = report(["第四部分名词解释", "年初结转和结余：填列单位上年（2022年）结转本年使用的基本支出结转、项目支出结转和结余。"])
    r = r.__class__(r.path, r.sha256, r.kind, r.department, 2024, r.unit, r.pages, r.blocks, r.tables)
    bad = [f for f in run("mislabel", r) if f.stated == "2022"]
    assert len(bad) == 1 and bad[0].expected == "2023"


def test_joint_sides_are_one_name() -> None:
    # 江苏省高院 2018 部门预算: the 收、支 total grew by 4322.77 from 33172.15 − 4322.77, i.e. by 14.98%.
    r = report(["江苏省高级人民法院2018年度财政拨款收、支总预算33172.15万元。与上年相比，财政拨款收、支总计各增加"
                "4322.77万元，增长14.98%。"])
    got = run("growth_rate", r)
    assert [(f.stated, f.verdict) for f in got] == [("14.98%", "consistent")]
    assert "收、支总计" in _figures(*[b.text for b in r.blocks])[1].label
