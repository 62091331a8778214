"""Recognition of parsed tables as standard forms, on titles and headers printed in real disclosures."""

from __future__ import annotations

import pytest
from tests.structural_helpers import make_table

from crossfoot.knowledge.recognise import form_id, recognise

# (title as printed, header, form id): titles from 决算 and 预算 reports of several provinces and years.
CASES = [
    ("收入支出决算总表", [["收入", "", "支出", ""], ["项目", "决算数", "项目", "决算数"]], "total"),
    ("2026年部门财务收支预算总表", [["本年收入", "", "本年支出", ""], ["项目", "预算数", "项目", "预算数"]], "total"),
    ("收支预算总表（金额）", [["项目", "金额"]], "total"),
    ("2026年部门收入预算总表", [["项目", "", "收入预算", ""], ["功能分类科目编码", "功能分类科目名称", "合计", "财政拨款收入"]],
     "income"),
    ("收入决算表", [["项目", "", "本年收入合计", "财政拨款收入"]], "income"),
    ("2025年预算单位支出预算总表", [["项目", "", "支出预算", "", ""],
                            ["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"]], "expense"),
    ("财政拨款收入支出决算总表", [["收入", "", "支出", ""]], "fiscal_total"),
    ("2026年部门财政拨款收支预算总表", [["财政拨款收入", "", "财政拨款支出", ""]], "fiscal_total"),
    ("一般公共预算财政拨款支出决算表", [["项目", "", "合计", "基本支出", "项目支出"]], "gp_expense"),
    ("2024年部门一般公共预算支出功能分类预算表", [["合计", "基本支出", "项目支出"]], "gp_expense"),
    ("一般公共预算财政拨款基本支出决算明细表", [["经济分类科目编码", "科目名称", "决算数"]], "gp_basic"),
    ("2026年部门一般公共预算基本支出部门预算经济分类预算表", [["合计", "人员经费", "公用经费"]], "gp_basic"),
    ("财政拨款“三公”经费支出决算表", [["合计"]], "sangong"),
    ("2026年单位“三公”经费和机关运行经费预算表", [["“三公”经费预算数"]], "sangong"),
    ("政府性基金预算财政拨款收入支出决算表", [["年初结转和结余", "本年收入"]], "gov_fund"),
    ("2026年部门政府性基金预算支出功能分类预算表", [["合计"]], "gov_fund"),
    ("国有资本经营预算财政拨款支出决算表", [["合计"]], "soe_capital"),
    ("2026年部门国有资本经营预算支出功能分类预算表", [["合计", "基本支出", "项目支出"]], "soe_capital"),
    ("支出决算表", [["项目", "", "本年支出合计", "基本支出", "项目支出"]], "expense"),
    # Jiangsu 部门预算 公开05表 and 公开11表: their titles hold 支出预算表, yet neither is the 支出预算总表.
    ("财政拨款支出预算表", [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]], "fiscal_expense"),
    ("2018年度江苏省高级人民法院一般公共预算机关运行经费支出预算表", [["科目编码", "科目名称", "合计"]], "running_costs"),
    ("国有资产占用情况表", [["项目", "车辆数（辆）"]], "assets"),
    ("2024年项目支出绩效目标表", [["项目名称", "绩效目标"]], "performance_targets"),
    ("项目支出绩效自评表（单位实有资金）", [["年初预算数", "全年预算数", "全年执行数"]], "scoring"),
    ("表2-1产出指标评分情况表", [["指标", "分值", "得分"]], "scoring"),
]


@pytest.mark.parametrize(("title", "header", "want"), CASES)
def test_real_titles(title: str, header: list[list[str]], want: str) -> None:
    t = make_table(header, [["1", "2", "3", "4", "5"]], title=title)
    assert form_id(t) == want


def test_every_form_has_a_case() -> None:
    from crossfoot.knowledge import load_catalogue

    hit = set()
    for title, header, _ in CASES:
        m = recognise(make_table(header, [["1", "2", "3", "4", "5"]], title=title))
        if m is not None:
            hit.add(m.form.name)
    assert [f.name for f in load_catalogue().forms if f.name not in hit] == []


def test_variant_follows_the_report_word() -> None:
    t = make_table([["合计", "基本支出", "项目支出"]], [["1", "2", "3"]], title="支出决算表")
    m = recognise(t)
    assert m is not None and m.form.name == "支出决算表" and "决算" in m.form.kinds
    b = make_table([["合计", "基本支出", "项目支出"]], [["1", "2", "3"]], title="支出预算总表")
    mb = recognise(b)
    assert mb is not None and "预算" in mb.form.kinds and mb.column_fit == 1.0


def test_a_near_miss_is_read_but_scored_lower() -> None:
    exact = recognise(make_table([["a"]], [["1"]], title="财政拨款收支预算总表"))
    near = recognise(make_table([["a"]], [["1"]], title="部门财政拨款收支预箅总表"))  # 箅 misprinted for 算
    assert exact is not None and near is not None and near.form.id == exact.form.id == "fiscal_total"
    assert near.by == "fuzzy title" and near.score < exact.score


@pytest.mark.parametrize("title", [None, "项目", "经济分类", "合并资产负债表", "利润表", "主要会计数据和财务指标"])
def test_tables_no_form_fits(title: str | None) -> None:
    assert recognise(make_table([["项目", "本期"]], [["营业收入", "1"]], title=title)) is None


def test_title_left_in_the_first_body_row() -> None:
    # As ingest read a 2026 单位预算 table whose title sits inside the ruled area.
    t = make_table([["", "", "", ""]], [["2026年预算单位财政拨款收支预算总表", "", "", ""],
                                       ["编制单位：上海市普陀区司法局", "", "", "单位：元"],
                                       ["财政拨款收入", "", "财政拨款支出", ""]], title=None)
    assert form_id(t) == "fiscal_total"
    assert form_id(make_table([["项目", "金额"]], [["合计", "1.00"]], title=None)) is None
