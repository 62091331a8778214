"""Drive the app like a reviewer with Pilot and assert on what it shows (selection, cell, table, screen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from crossfoot.tui.app import CrossfootApp
from crossfoot.tui.screens.help import HelpScreen
from crossfoot.tui.screens.overview import OverviewScreen
from crossfoot.tui.screens.review import ReviewScreen
from crossfoot.tui.screens.simple import ErrorScreen
from crossfoot.tui.widgets.pagestrip import PageStrip

from .factory import T1, T2, T3, empty_analysis

SIZE = (120, 40)


def review(app: CrossfootApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), app.screen
    return app.screen


async def test_opens_on_the_review_with_the_first_problem_and_o_shows_the_overview(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        assert s.selected_finding == 0 and s.pane == "findings"
        assert "✗2" in str(s.query_one("#status").render())  # the summary line stays on top
        await pilot.press("o")
        assert isinstance(app.screen, OverviewScreen)
        identity = str(app.screen.query_one("#identity").render())
        assert "某某区民政局" in identity and "2024" in identity and "决算" in identity
        assert "公开01表 收入支出决算总表" in identity
        unchecked = str(app.screen.query_one("#unchecked").render())
        assert "page 7 could not be read" in unchecked and "check scores failed" in unchecked
        strip = app.screen.query_one(PageStrip)
        assert strip.marks[2] == "inconsistent" and 7 in strip.unreadable


async def test_page_strip_opens_the_page(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("right", "right", "enter")  # page 3
        await pilot.pause()
        s = review(app)
        assert s.narrative.cursor == 5  # first figure printed on page 3
        assert s.pane == "narrative"


async def test_first_finding_follow_to_cell_and_back(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        assert s.selected_finding == 0  # worst first: the growth-rate finding on page 2
        assert s.narrative.cursor == 2  # its figure is shown in the narrative
        await pilot.press("n")
        assert s.selected_finding == 2
        await pilot.press("N")
        assert s.selected_finding == 0
        await pilot.press("enter")
        await pilot.pause()
        assert s.pane == "cells"
        assert s.table_shown == T1
        assert s.highlighted_cell == (T1, 0, 1)  # 收入总计 / 本年
        await pilot.press("backspace")
        await pilot.pause()
        assert s.pane == "findings"
        assert s.selected_finding == 0


async def test_figure_opens_its_table_and_cell_leads_back_to_the_narrative(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        s.narrative.focus()
        s.narrative.set_cursor(None, notify=False)
        await pilot.press("j")  # first figure: 1,144.45万元
        await pilot.pause()
        assert s.narrative.cursor == 0
        assert s.table_shown == T1 and s.highlighted_cell == (T1, 0, 1)  # opened without leaving the text
        assert "runners-up" in s.detail.text
        await pilot.press("j", "j", "j", "j", "j")  # → 800.00万元 on page 3, matched in 公开05表
        await pilot.pause()
        assert s.narrative.cursor == 5
        assert s.table_shown == T2 and s.highlighted_cell == (T2, 0, 2)
        await pilot.press("enter")
        await pilot.pause()
        assert s.pane == "cells"
        assert "used in the narrative (1)" in s.detail.text
        s.narrative.set_cursor(None, notify=False)
        await pilot.press("enter")  # the cell → the narrative place that uses it
        await pilot.pause()
        assert s.pane == "narrative" and s.narrative.cursor == 5
        await pilot.press("backspace")
        await pilot.pause()
        assert s.pane == "cells" and s.highlighted_cell == (T2, 0, 2)


async def test_unmatched_figure_says_so_and_stays(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        s.narrative.focus()
        await pilot.press("G")  # last figure: 12.30万元, no cell
        await pilot.pause()
        assert s.narrative.cursor == 8
        assert "no table cell matched" in s.detail.text
        await pilot.press("enter")
        await pilot.pause()
        assert s.pane == "narrative" and s.history == []


async def test_toggle_shows_consistent_and_rounding_results(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        assert s.findings.rows_shown == [0, 2]
        await pilot.press("a")
        assert s.findings.rows_shown == [0, 2, 1, 3]  # by severity: the two high ones first
        await pilot.press("a")
        assert s.findings.rows_shown == [0, 2]


async def test_gg_and_G_in_the_findings_list(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        s = review(app)
        await pilot.press("G")
        assert s.selected_finding == 3  # the last row: medium, page 4
        await pilot.press("g", "j", "g")  # an interrupted gg is not gg
        assert s.selected_finding == 3
        await pilot.press("g", "g")
        assert s.selected_finding == 0


async def test_filter_from_the_command_palette(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"check share_base")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        s = review(app)
        assert s.state.filters.check == "share_base"
        assert s.findings.rows_shown == [2]
        assert s.selected_finding == 2
        s.set_filter(clear=True)
        assert s.findings.rows_shown == [0, 2]


async def test_palette_jumps_to_a_table(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go: table 公开07表")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        s = review(app)
        assert s.table_shown == T3 and s.pane == "cells"


async def test_search_text_and_numbers_with_n(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        s = review(app)
        assert isinstance(app.focused, Input)
        await pilot.press(*"1144.45", "enter")
        await pilot.pause()
        assert len(s.hits) >= 3
        assert s.pane == "narrative" and s.narrative.cursor == 0  # the hit is a marked figure
        await pilot.press("n")
        await pilot.pause()
        assert s.hit_pos == 1
        last = len(s.hits) - 1
        await pilot.press("N", "N")
        await pilot.pause()
        assert s.hit_pos == last
        assert s.pane == "cells" and s.highlighted_cell == s.hits[last].cell
        await pilot.press("escape")
        assert s.hits == []
        await pilot.press("n")  # with the search cleared, n walks findings again
        assert s.pane == "findings"


async def test_search_without_match_keeps_position(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"不存在的文字", "enter")
        await pilot.pause()
        s = review(app)
        assert s.hits == [] and s.selected_finding == 0


async def test_help_lists_every_key_and_q_closes_it(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from crossfoot.tui.screens.help import help_content

        text = help_content().plain
        shown = " ".join(str(w.render()) for w in app.screen.query(".help-key"))
        assert "gg  G" in shown and "ctrl+p" in shown
        for key in ("gg", "backspace", "ctrl+p", "n  N", "/", "ctrl+q", "✗", "≈"):
            assert key in text
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_o_returns_to_the_overview_and_q_closes_the_review(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.press("o")
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("tab")
        assert review(app).selected_finding == 2  # the review screen kept its place
        await pilot.press("q")
        assert isinstance(app.screen, OverviewScreen)


async def test_tables_switch_and_a_300_row_table_scrolls_to_its_end(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        s.open_table(T3)
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        assert s.highlighted_cell is not None and s.highlighted_cell[1] == 299
        grid = s.tables.grid
        assert grid.scroll_y > 250  # the last row is in view, not just selected
        await pilot.press("right_square_bracket")
        assert s.table_shown == T1  # wraps around


async def test_triage_marks_undo_and_counts(store_app: CrossfootApp) -> None:
    async with store_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(store_app)
        session = store_app.session
        assert session is not None
        key = s.state.findings[0].key
        await pilot.press("c")
        assert session.decisions()[key] == "confirmed"
        assert session.triage_counts() == {"open": 1, "confirmed": 1, "dismissed": 0}
        assert "confirmed 1" in str(s.query_one("#status").render())
        assert s.selected_finding == 2  # moved on to the next open finding
        await pilot.press("u")
        assert session.decision(key) == "open"
        s.show_finding(0)
        await pilot.press("d")
        assert session.decisions()[key] == "dismissed"
        s.show_finding(0)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"已与财务科核对", "enter")
        await pilot.pause()
        assert "已与财务科核对" in s.detail.text


async def test_triage_keys_are_offered_only_with_a_store(app: CrossfootApp, store_app: CrossfootApp) -> None:
    from textual.widgets._footer import FooterKey

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert app.session is not None and app.session.decisions() == {}
        labels = {k.description for k in app.screen.query(FooterKey)}
        assert "follow" in labels and "confirm" not in labels
    async with store_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        labels = {k.description for k in store_app.screen.query(FooterKey)}
        assert {"confirm", "dismiss", "note"} <= labels


async def test_export_writes_the_working_paper(store_app: CrossfootApp, tmp_path: Path,
                                               monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.chdir(tmp_path)
    try:
        async with store_app.run_test(size=SIZE) as pilot:
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("enter")  # the dialog's defaults: Markdown, problems, in the working directory
            await pilot.pause()
        out = tmp_path / "minzheng-2024.review.md"
        assert out.exists() and "growth_rate" in out.read_text(encoding="utf-8")
    finally:
        mp.undo()


async def test_empty_report_is_usable() -> None:
    app = CrossfootApp(analysis=empty_analysis(), use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "enter", "j", "slash", *"无", "enter")
        await pilot.pause()
        s = review(app)
        assert s.selected_finding is None and s.table_shown is None
        assert len(s.hits) == 1


async def test_bad_file_shows_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "report.pdf"
    bad.write_bytes(b"this is not a pdf at all")
    app = CrossfootApp(str(bad), use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, ErrorScreen):
                break
        assert isinstance(app.screen, ErrorScreen)
        assert "not a PDF" in app.screen.message
        await pilot.press("q")
    assert app.return_code == 2


async def test_small_terminal_keeps_every_pane(app: CrossfootApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = review(app)
        for pane in (s.narrative, s.tables, s.findings, s.detail):
            assert pane.region.height >= 4 and pane.region.width >= 20
        await pilot.press("z")
        assert s.maximized is s.findings
        await pilot.press("z")
        assert s.maximized is None


async def test_mouse_click_on_a_figure_selects_it_and_opens_its_cell(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        s = review(app)
        s.narrative.set_cursor(None, notify=False)
        await pilot.pause()
        nv = s.narrative
        y = nv.line_of(1, 10)
        assert y is not None
        # "2024年度收入总计" is 16 cells wide; the figure 1,144.45万元 starts right after it.
        # The pane has a border and one cell of padding.
        assert await pilot.click("#narrative", offset=(2 + 18, 1 + y - nv.scroll_y))
        await pilot.pause()
        assert s.narrative.cursor == 0
        assert s.pane == "narrative" and s.highlighted_cell == (T1, 0, 1)


async def test_mouse_click_on_the_page_strip_opens_the_page(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        # Each page takes five cells ("  3✗ "); page 3 starts at x = 10.
        assert await pilot.click("#pagestrip", offset=(1 + 10 + 2, 1))
        await pilot.pause()
        s = review(app)
        assert s.narrative.cursor == 5


async def test_copy_puts_the_evidence_on_the_clipboard(app: CrossfootApp) -> None:
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert copied and "10.5%" in copied[0] and "9.6%" in copied[0] and "公开01表" in copied[0]


async def test_escape_cancels_the_search_prompt(app: CrossfootApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "1", "escape")
        s = review(app)
        assert not s.query_one("#search", Input).display
        assert s.pane == "findings" and s.hits == []


@pytest.mark.slow
async def test_opens_a_sample_pdf_through_the_loading_worker(samples: Path) -> None:
    from multiprocessing import resource_tracker

    # The page parser's process pool starts multiprocessing's resource tracker, which hands it our stderr;
    # under run_test stderr is Textual's capture object, so start the tracker while it is the real one.
    resource_tracker.ensure_running()
    app = CrossfootApp(str(samples / "national-template-2024.pdf"), use_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):
            if app.state is not None or isinstance(app.screen, ErrorScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, ReviewScreen)
        assert app.state is not None and len(app.state.report.tables) > 0
        await pilot.press("n", "enter")
        await pilot.pause()
        s = review(app)
        assert s.selected_finding is not None


async def test_overview_names_findings_held_back_on_uncertain_tables() -> None:
    from dataclasses import replace

    from crossfoot.pipeline import Analysis

    from .factory import make_analysis

    a = make_analysis()
    shaky = replace(a.report.tables[0], uncertain="columns rebuilt from text")
    report = replace(a.report, tables=(shaky, *a.report.tables[1:]))
    held = tuple(f for f in a.findings if f.is_problem)[:1]
    a = Analysis(report, a.findings, a.failed_checks, a.context, held)
    app = CrossfootApp(analysis=a, use_store=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        unchecked = str(app.screen.query_one("#unchecked").render())
        assert "1 possible problems held back" in unchecked and shaky.id in unchecked
