"""A 收入支出总计 said flat against the prior year, against the stated spending change and the carried balances.

Sentences and table rows as printed by 普陀区财政局 2024 决算 (财政拨款收入支出决算总表, 四、五 of its 说明)."""

from __future__ import annotations

from tests.checks.narrative_helpers import report, run, table

from crossfoot.findings import Finding
from crossfoot.model import Report, Table

_HEADER = ["收入项目", "决算数", "支出项目", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"]


def _fiscal_table(carried_in: str, carried_out: str) -> Table:
    return table("T05", "财政拨款收入支出决算总表", _HEADER, [
        ["一、一般公共预算财政拨款", "2,940.05", "一、一般公共服务支出", "2,106.66", "2,106.66", ""],
        ["二、政府性基金预算财政拨款", "", "八、社会保障和就业支出", "833.39", "833.39", ""],
        ["本年收入合计", "2,940.05", "本年支出合计", "2,940.05", "2,940.05", ""],
        ["年初财政拨款结转和结余", carried_in, "年末财政拨款结转和结余", carried_out, carried_out, ""],
        ["总计", "2,961.68", "总计", "2,961.68", "2,961.68", ""],
    ])


_TEXT = ["四、财政拨款收入支出决算总体情况说明",
         "某局2024年度财政拨款收入支出总计2961.68万元。与2023年度相比，财政拨款收入支出总计持平。主要原因：",
         "五、一般公共预算财政拨款支出决算情况说明",
         "一般公共预算财政拨款支出2940.05万元，占本年支出合计的100.00%。与2023年度相比，"
         "一般公共预算财政拨款支出减少63.14万元，下降2.10%。"]


def _flat(r: Report) -> list[Finding]:
    return [f for f in run("self_conflict", r) if f.stated == "持平"]


def test_flat_total_while_its_only_fund_spent_less() -> None:
    got = _flat(report(_TEXT, (_fiscal_table("21.63", "21.63"),)))
    assert len(got) == 1 and got[0].verdict == "inconsistent" and got[0].severity == "medium"
    assert got[0].expected == "-63.14万元" and "财政拨款收入支出总计持平" in got[0].quote
    assert {r.label for r in got[0].refs} == {"年初财政拨款结转和结余", "年末财政拨款结转和结余"}


def test_flat_total_when_the_carried_balance_took_up_the_change() -> None:
    got = _flat(report(_TEXT, (_fiscal_table("21.63", "84.77"),)))
    assert len(got) == 1 and got[0].verdict == "consistent"


def test_nothing_without_the_balances_or_the_change() -> None:
    assert not _flat(report(_TEXT))
    assert not _flat(report(_TEXT[:2], (_fiscal_table("21.63", "21.63"),)))
