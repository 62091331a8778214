"""The analysis context owns every derived artefact: worked out once, asked for by value, never left behind."""

from __future__ import annotations

import pytest
from narrative_helpers import report, table
from tests.conftest import load_sample

import crossfoot.tables.scoretable
from crossfoot.checks.context import Context
from crossfoot.pipeline import analyse

_TOTAL = ["“三公”经费支出决算0.00元，比上年度减少37,849.00元，下降100%。主要原因是压减支出。其中：",
          "公务接待费支出0.00元；", "公务用车运行维护费支出20,980.00元。", "（二）具体情况"]
_ITEMS = table("T07", "“三公”经费支出决算表", ["项目", "决算数"],
               [["公务接待费", "0.00"], ["公务用车运行维护费", "20890.00"]], unit="元")


def test_score_tables_read_once_per_report(monkeypatch: pytest.MonkeyPatch) -> None:
    rep = load_sample("003.pdf")
    calls: list[int] = []
    real = crossfoot.tables.scoretable.score_tables

    def counted(r: object) -> list[crossfoot.tables.scoretable.ScoreTable]:
        calls.append(1)
        return real(r)  # type: ignore[arg-type]

    monkeypatch.setattr(crossfoot.tables.scoretable, "score_tables", counted)
    a = analyse(rep)
    # Six checks read the scoring tables (score_sum, score_cap, duplicate_code, score_rule, self_conflict,
    # table_sum): one read serves them all.
    assert calls == [1]
    assert a.context.score_tables and not a.failed_checks


def test_contradicted_totals_ask_the_amount_evaluation() -> None:
    # Without a table the item list exceeds its total: the total is what is wrong.
    assert list(Context(report(_TOTAL, unit="元")).contradicted_totals) == [0]
    # With the table the item itself is wrong (20,980 printed, 20,890 in the table): the amount evaluation
    # flags it and the total is left alone — on a fresh context, with nothing evaluated before.
    ctx = Context(report(_TOTAL, (_ITEMS,), unit="元"))
    assert ctx.contradicted_totals == {}
    assert ctx.amounts.flagged == frozenset({4})


def test_evaluations_run_once_per_context() -> None:
    ctx = Context(report(_TOTAL, (_ITEMS,), unit="元"))
    assert ctx.rates is ctx.rates and ctx.amounts is ctx.amounts and ctx.claims is ctx.claims
    assert ctx.budget_items is ctx.budget_items and ctx.budget_stream.text.startswith("“三公”")
