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


def test_unknown_document_holds_back_problems_on_tables_no_form_fits() -> None:
    # A company's balance sheet: its sections are not the 合计-of-the-rows-above of public-finance tables.
    sheet = make_table([["项目", "期末余额"]], [["货币资金", "60.00"], ["应收账款", "40.00"], ["流动资产合计", "100.00"],
                                            ["长期股权投资", "50.00"], ["非流动资产合计", "50.00"],
                                            ["资产总计", "150.00"]], title="合并资产负债表", id="T09")
    a = analyse(make_report([sheet, _bad_total_table()], kind="unknown"), only=["table_sum"])
    assert not any(f.is_problem and f.refs and f.refs[0].table == "T09" for f in a.findings)
    assert any(f.refs[0].table == "T09" for f in a.held_back)
    # a table of a standard form is still read by its rules, whatever the document
    assert any(f.is_problem and f.refs[0].table == "T01" for f in a.findings)
    same = analyse(make_report([sheet], kind="决算"), only=["table_sum"])
    assert same.held_back == () and any(f.is_problem for f in same.findings)


def test_the_pipeline_applies_the_severity_policy() -> None:
    from crossfoot.severity import assess

    a = analyse(make_report([_bad_total_table()]), only=["table_sum"])
    problems = [f for f in a.findings if f.is_problem]
    assert problems and all(f.severity == "high" for f in problems)  # a wrong total
    assert all(assess(f) == f for f in a.findings)
