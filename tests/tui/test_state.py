"""The linking rules the app presents: figure ↔ finding ↔ cell, marks, filters, search."""

from __future__ import annotations

from crossfoot.tui.state import ReviewState

from .factory import T1, T2, empty_analysis, make_analysis


def test_findings_tie_to_the_figure_they_quote() -> None:
    st = ReviewState.build(make_analysis())
    assert st.finding_figs[0] == [2]  # growth_rate 10.5% → the "增长10.5%" figure
    assert st.finding_figs[2] == [6]  # share_base 70.0%
    assert 3 not in st.finding_figs  # a table-sum finding quotes no narrative figure


def test_marks_follow_the_worst_verdict() -> None:
    st = ReviewState.build(make_analysis())
    assert st.figure_mark(2) == "inconsistent"
    assert st.figure_mark(4) == "rounding"
    assert st.figure_mark(0) == "consistent"  # matched, no finding against it
    assert st.figure_mark(8) == "unmatched"
    assert st.cell_mark((T1, 0, 1)) == "inconsistent"  # cited by the growth-rate finding
    assert st.cell_mark((T2, 1, 1)) == "consistent"
    assert st.cell_mark((T2, 2, 0)) is None
    assert st.page_mark(2) == "inconsistent"
    assert st.page_mark(1) is None


def test_cells_know_the_narrative_places_that_use_them() -> None:
    st = ReviewState.build(make_analysis())
    assert st.cell_figs[(T1, 0, 1)] == [0, 1]
    assert st.cell_findings[(T1, 0, 1)] == [0, 1]


def test_filters_hide_consistent_results_until_asked() -> None:
    st = ReviewState.build(make_analysis())
    assert st.visible_findings() == [0, 2]
    st.filters.show_all = True
    assert st.visible_findings() == [0, 2, 1, 3]  # by severity, then page
    st.filters.check = "share"
    assert st.visible_findings() == [1]
    st.filters.check, st.filters.page = None, 4
    assert st.visible_findings() == [3]


def test_search_finds_numbers_without_thousands_separators() -> None:
    st = ReviewState.build(make_analysis())
    hits = st.search("1144.45")
    blocks = [h for h in hits if h.kind == "block"]
    assert blocks[0].block == 1
    text = st.report.blocks[1].text
    assert text[blocks[0].start:blocks[0].end] == "1,144.45"
    assert any(h.cell == (T1, 0, 1) for h in hits)
    assert [h.block for h in st.search("三公") if h.kind == "block"] == [4]
    assert st.search("   ") == []


def test_no_figures_is_not_an_error() -> None:
    st = ReviewState.build(empty_analysis())
    assert st.figures == [] and st.matches == {}
    assert "not available" in st.figure_note
