"""The pipeline holds back problems that rest on a table whose parse is uncertain."""

from __future__ import annotations

from dataclasses import replace

from crossfoot.pipeline import analyse
from structural_helpers import make_report, make_table


def _bad_total_table(uncertain: str = ""):  # type: ignore[no-untyped-def]
    t = make_table([["项目", "金额"]], [["合计", "100.00"], ["甲", "40.00"], ["乙", "50.00"]],
                   title="支出决算表", id="T01")
    return replace(t, uncertain=uncertain)


def test_problem_on_trusted_table_is_reported() -> None:
    a = analyse(make_report([_bad_total_table()]), only=["table_sum"])
    assert any(f.is_problem for f in a.findings)
    assert a.held_back == ()


def test_problem_on_uncertain_table_is_held_back() -> None:
    a = analyse(make_report([_bad_total_table("columns rebuilt from text")]), only=["table_sum"])
    assert not any(f.is_problem for f in a.findings)
    assert a.held_back and all(f.refs and f.refs[0].table == "T01" for f in a.held_back)
