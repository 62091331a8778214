"""The one severity policy: by what is wrong (amount, total, main growth > rate, share, label > cosmetic)."""

from __future__ import annotations

from crossfoot.findings import Finding
from crossfoot.severity import assess, kind_of


def _f(check: str, stated: str, quote: str, severity: str = "medium", verdict: str = "inconsistent",
       confidence: str = "high") -> Finding:
    return Finding(check, severity, verdict, 2, quote, stated, "x", "arithmetic", (),  # type: ignore[arg-type]
                   confidence=confidence)  # type: ignore[arg-type]


def test_wrong_amounts_and_totals_are_high() -> None:
    assert assess(_f("narrative_vs_table", "445.69万元", "项目支出445.69万元。")).severity == "high"
    assert assess(_f("table_sum", "1,144.45", "合计 1,144.45")).severity == "high"


def test_growth_is_high_on_a_main_indicator_only() -> None:
    main = _f("growth_rate", "10.5%", "2024年度收入总计1,144.45万元，比上年增加100.00万元，增长10.5%。")
    lesser = _f("growth_rate", "12.0%", "培训费3.20万元，比上年增长12.0%。")
    assert kind_of(main) == "growth_main" and assess(main).severity == "high"
    assert kind_of(lesser) == "growth" and assess(lesser).severity == "medium"


def test_rates_shares_and_labels_are_medium_cosmetic_low() -> None:
    assert assess(_f("share", "87.4%", "占收入总计的87.4%", severity="high")).severity == "medium"
    assert assess(_f("mislabel", "01项", "01项 医疗卫生", severity="high")).severity == "medium"
    assert assess(_f("unit", "12户", "共12户", severity="medium")).severity == "low"


def test_a_checks_own_low_case_stands_but_not_for_an_amount() -> None:
    # A growth rate on a zero base is a convention matter the check itself reports low.
    assert assess(_f("growth_rate", "5.0%", "收入总计增长5.0%", severity="low")).severity == "low"
    assert assess(_f("narrative_vs_table", "9.00万元", "支出9.00万元", severity="low")).severity == "high"


def test_unknown_checks_are_judged_by_their_stated_figure() -> None:
    assert assess(_f("new_check", "3.5%", "占3.5%")).severity == "medium"
    assert assess(_f("new_check", "12.30万元", "12.30万元")).severity == "high"


def test_results_that_hold_and_manual_findings_keep_their_severity() -> None:
    ok = _f("narrative_vs_table", "1.00", "1.00", severity="none", verdict="consistent")
    assert assess(ok) is ok
    mine = _f("manual", "1.00", "q", severity="low")
    assert assess(mine) is mine


def test_low_confidence_is_kept() -> None:
    f = assess(_f("table_sum", "2.00", "合计 2.00", confidence="low"))
    assert f.severity == "high" and f.confidence == "low"
