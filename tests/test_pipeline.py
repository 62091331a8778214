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


def test_report_wide_problems_lose_confidence_when_pages_are_unreadable() -> None:
    report = make_report([_bad_total_table()])
    pages = (replace(report.pages[0], readable=False, note="scanned page: needs OCR"), *report.pages[1:])
    a = analyse(replace(report, pages=pages), only=["table_sum"])
    problems = [f for f in a.findings if f.is_problem]
    assert problems and all(f.confidence == "low" and "pages 1 could not be read" in f.message for f in problems)
    full = analyse(report, only=["table_sum"])
    assert full.findings and not any("could not be read" in f.message for f in full.findings)


def test_the_pipeline_applies_the_severity_policy() -> None:
    from crossfoot.severity import assess

    a = analyse(make_report([_bad_total_table()]), only=["table_sum"])
    problems = [f for f in a.findings if f.is_problem]
    assert problems and all(f.severity == "high" for f in problems)  # a wrong total
    assert all(assess(f) == f for f in a.findings)
