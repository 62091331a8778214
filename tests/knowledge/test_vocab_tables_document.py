"""The table, document and ingest vocabulary (knowledge/vocab/tables.toml, document.toml, ingest.toml) read
through the checks that use it, on sentences and tables printed in real reports of the corpus."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from tests.conftest import SHARED

from crossfoot.checks.context import Context
from crossfoot.checks.count import count
from crossfoot.checks.document import _completeness
from crossfoot.checks.prior_year import implied_priors
from crossfoot.ingest.meta import foreign_genre, report_meta
from crossfoot.ingest.tables import CODE, open_code
from crossfoot.ingest.words import unit_in
from crossfoot.knowledge import load_catalogue, pattern
from crossfoot.knowledge.recognise import recognise
from crossfoot.model import Page
from structural_helpers import make_report, make_table

# ---- count (tables.count_*) ------------------------------------------------------------------------

# 决算 reports of two provinces, as printed.
VEHICLES_WRONG = ("兴县乡村振兴局截至2022年12月31日，本部门共有车辆0辆。其中：副部（省）级及以上领导用车0辆、"
                  "主要领导干部用车1辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、"
                  "离退休干部用车0辆，其他用车0辆。")
VEHICLES_RIGHT = ("截至2024年12月31日，中共上海市普陀区委社会工作部共有车辆0辆，其中：部级领导干部用车0辆、"
                  "主要领导干部用车0辆、机要通信用车0辆、应急保障用车0辆、执法执勤用车0辆、特种专业技术用车0辆、"
                  "离退休干部用车0辆、其他用车0辆。")
OFFICES = ("赣州市乡村振兴局（本级）设立7个内设机构，分别是：综合科、计划财务科、社会扶贫与产业指导科、搬迁移民科、"
           "督查考核科、机关党总支、帮扶开发监测评估中心。")
SUMMED = "一是增加了新招录人员经费，2022年新招录3人及2023年新招录1人共4人按定额标准补当年及上年度机关运行资金；"


def _count(text: str) -> list[tuple[str, str, str]]:
    rep = make_report([], blocks=[(7, text)])
    return [(f.verdict, f.stated, f.expected) for f in count(Context(rep))]


def test_count_on_real_sentences() -> None:
    assert _count(VEHICLES_WRONG) == [("inconsistent", "0辆", "1")]
    assert _count(VEHICLES_RIGHT) == [("consistent", "0辆", "0")]
    assert _count(OFFICES) == [("consistent", "7个", "7")]
    assert _count(SUMMED) == [("consistent", "4人", "4")]


def test_count_patterns_read_their_groups() -> None:
    m = pattern("tables.count_total").search("本部门共有车辆0辆")
    assert m is not None and (m.group("noun"), m.group("n"), m.group("u")) == ("车辆", "0", "辆")
    m = pattern("tables.count_named").search(OFFICES)
    assert m is not None and (m.group("n"), m.group("u"), m.group("noun")) == ("7", "个", "内设机构")


# ---- prior_year (tables.change_vs_prior, tables.label_lead) ------------------------------------------

CHANGE = ("（1）本部门2023年度收入总计1144.45万元，其中年初结转和结余0.00万元，与上年持平；本年收入合计1144.45万元，"
          "比上年增加288.84万元，增长33.76%，主要原因：一是增加了新招录人员经费。")


def test_prior_year_implied_by_a_real_change() -> None:
    got = implied_priors(make_report([], blocks=[(20, CHANGE)]))
    assert [(p.label, p.exact.value) for p in got] == [("收入合计", Decimal("8556100.00"))]  # 本年 is not the name
    assert got[0].text == "1144.45万元 − 288.84万元"


# ---- document (placeholders, the 空表说明, zero statements) ------------------------------------------

def test_placeholder_pattern_on_the_national_template() -> None:
    p = pattern("document.placeholder")
    assert p.search("XX部门2024年度部门决算")
    assert p.search("比上年增加（减少）XX万元，增长（下降）XX%（如持平作持平表述）")
    assert not p.search("本部门2024年度收入总计1144.45万元")


def test_zero_statement_explains_only_a_nil_fund() -> None:
    zero = pattern("document.zero_stated")
    assert zero.search("江苏省高级人民法院2018年政府性基金支出预算支出0万元。")
    assert zero.search("本部门2026年没有政府性基金预算拨款收入")
    # 52.00万元 ends in 0 but is not nil: it once read as a zero statement.
    assert not zero.search("其他交通费用预算为52.00万元")


def test_empty_note_is_not_an_intangible_asset_row() -> None:
    note = pattern("document.empty_table_note")
    assert note.search("注:本部门2026年无政府性基金预算财政拨款安排的预算，故本表为空表。")
    assert not note.search("31022 无形资产购置 31099 其他资本性支出")


# ---- ingest (captions, the report's kind and genre) ---------------------------------------------------

def test_caption_words_on_real_captions() -> None:
    m = CODE.search("本表（公开 01 表）反映部门年度总体收支预算情况".replace(" ", ""))
    assert m is not None and open_code(m.group(1)) == "公开01表"
    assert unit_in("编制单位：上海市普陀区司法局 单位：元") == "元"


def test_report_meta_from_a_real_cover() -> None:
    cover = Page(1, 595, 842, "上海市普陀区司法局\n2026年部门预算\n目录")
    kind, _dept, year, _unit = report_meta([cover], [], [])
    assert (kind, year) == ("预算", 2026)


def test_foreign_genre_is_named_by_its_pattern_doc() -> None:
    page = Page(1, 595, 842, "证券代码：600000 证券简称：某某股份\n某某股份有限公司2024年第三季度报告")
    assert foreign_genre([page]) == "a listed company's periodic report (季度/半年度/年度报告)"
    assert foreign_genre([Page(1, 595, 842, "某某局2024年度部门决算")]) is None


# ---- 预算 form codes: the Jiangsu 部门预算 template's 公开NN表 (item 2) --------------------------------

UNLABELED = SHARED / "corpus" / "unlabeled"
REAL = SHARED / "corpus" / "real"

# 公开NN表 → form, as the Jiangsu 2018 部门预算 template prints them over its tables.
JIANGSU_CODES = {"公开01表": "total", "公开02表": "income", "公开03表": "expense", "公开04表": "fiscal_total",
                 "公开05表": "fiscal_expense", "公开06表": "gp_basic", "公开07表": "gp_expense", "公开08表": "gp_basic",
                 "公开09表": "sangong", "公开10表": "gov_fund", "公开11表": "running_costs"}


def _load(path):  # type: ignore[no-untyped-def]
    if not path.exists():
        pytest.skip(f"corpus file {path.name} not available")
    from crossfoot.ingest import load

    return load(path)


def test_budget_codes_are_those_the_jiangsu_template_prints() -> None:
    report = _load(UNLABELED / "jiangsu-cppcc-2018-dept-budget-tables.pdf")
    by_code = {t.code: t for t in report.tables if t.code}
    for code, want in JIANGSU_CODES.items():
        m = recognise(by_code[code], "预算")
        assert m is not None and m.form.id == want, (code, by_code[code].title)
        assert "决算" not in m.form.kinds and code in m.form.codes, (code, m.form.name, m.form.codes)
    # Every code the catalogue gives a form outside the 决算 list is printed over a table of that form here.
    for f in load_catalogue().forms:
        if "决算" not in f.kinds:
            for code in f.codes:
                assert JIANGSU_CODES.get(code) == f.id, (f.name, code)


# ---- completeness of real budgets (item 3) -------------------------------------------------------------

@pytest.mark.parametrize("path", [REAL / "sifa-2026-dept_budget.pdf", REAL / "sifa-2026-unit_budget.pdf",
                                  UNLABELED / "jiangsu-cppcc-2018-dept-budget-tables.pdf"])
def test_budget_completeness_names_its_list(path) -> None:  # type: ignore[no-untyped-def]
    fs = list(_completeness(_load(path)))
    assert not [f for f in fs if f.verdict == "inconsistent"], [f.message for f in fs]
    (whole,) = [f for f in fs if f.quote == "预算 tables"]
    assert whole.stated == "8/8" and "the catalogue's 预算 form list" in whole.message
    # The empty 政府性基金 table is told with the note printed for it.
    (gov,) = [f for f in fs if f.stated == "empty, with its note" and "政府性基金" in f.message]
    assert "无" in gov.quote


def test_optional_fund_table_printed_empty_owes_its_note() -> None:
    others = [make_table([["项目", "金额"]], [["合计", "1.00"]], title=f"其他表{k}", id=f"X{k}") for k in range(2)]
    soe = make_table([["科目编码", "科目名称", "合计"]], [["", "合计", ""]],
                     title="2026年部门国有资本经营预算支出功能分类预算表", id="T9")
    bare = [f for f in _completeness(make_report([soe, *others], kind="预算")) if f.stated == "empty"]
    assert len(bare) == 1 and "国有资本经营" in bare[0].message
    noted = replace(soe, notes=("注:本部门2026年无国有资本经营预算财政拨款安排的预算，故本表为空表。",))
    fs = list(_completeness(make_report([noted, *others], kind="预算")))
    assert not [f for f in fs if f.stated == "empty"]
    (ok,) = [f for f in fs if f.stated == "empty, with its note"]
    assert "not on the catalogue's 预算 form list" in ok.message


def test_own_empty_note_over_figures_on_a_real_budget() -> None:
    report = _load(UNLABELED / "wanli-2024-budget.pdf")
    hits = [f for f in _completeness(report) if "note saying it is empty" in f.message]
    assert [(f.stated, "三公" in f.quote) for f in hits] == [("本表为空表", True)]

