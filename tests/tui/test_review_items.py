"""Issue 16, item by item: what an auditor needs from the review screen (one Pilot test or more each)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.coordinate import Coordinate
from textual.widgets import Select

from crossfoot.findings import Finding
from crossfoot.linebreak import NO_START
from crossfoot.model import Cell, Table
from crossfoot.pipeline import Analysis
from crossfoot.tui.app import CrossfootApp
from crossfoot.tui.screens.dialogs import ExportScreen, PageTextScreen, RaiseScreen
from crossfoot.tui.screens.help import HelpScreen
from crossfoot.tui.screens.review import ReviewScreen
from crossfoot.tui.screens.simple import NoteScreen
from crossfoot.tui.widgets.tables import CELL_PADDING

from .factory import T1, make_analysis

T4 = "t4"
AMOUNTS = ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "其他收入")


def _split_code_table() -> Table:
    """A 收入决算表 whose 科目编码 is split into 类 | 款 | 项 under one heading, with six amount columns."""
    rows = [("201", "", "", "一般公共服务支出", "2,946.25", "2,940.05", "", "", "", "6.20"),
            ("201", "06", "", "财政事务", "2,112.86", "2,106.66", "", "", "", "6.20"),
            ("201", "06", "01", "行政运行", "1,511.90", "1,511.89", "", "", "", "0.01")]
    header = (("项目", "项目", "项目", "项目", *AMOUNTS),
              ("支出功能分类科目编码", "支出功能分类科目编码", "支出功能分类科目编码", "科目名称", *AMOUNTS))
    return Table(T4, "公开03表", "收入决算表", "万元", (8,), header,
                 tuple(tuple(Cell(t, 8) for t in r) for r in rows))


def _analysis(extra: tuple[Finding, ...] = ()) -> Analysis:
    a = make_analysis()
    report = replace(a.report, tables=(*a.report.tables, _split_code_table()))
    return Analysis(report, a.findings + extra, a.failed_checks, a.context)


def _app(tmp_path: Path | None = None, extra: tuple[Finding, ...] = ()) -> CrossfootApp:
    if tmp_path is None:
        return CrossfootApp(analysis=_analysis(extra), use_store=False)
    return CrossfootApp(analysis=_analysis(extra), review_db=str(tmp_path / "r.sqlite3"), reviewer="ann")


def review(app: CrossfootApp) -> ReviewScreen:
    assert isinstance(app.screen, ReviewScreen), app.screen
    return app.screen


# 1. NO_COLOR ------------------------------------------------------------------------------------


async def test_1_no_color_review_screen_renders_and_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        s = review(app)
        s.narrative.focus()
        await pilot.press("j", "j", "enter", "l", "z", "z", "tab", "n", "question_mark", "q")
        await pilot.pause()
        assert s.narrative.plain_lines()  # the blank lines between blocks rendered without a crash


# 2. opens where the work is: covered in test_app (first problem selected, o for the overview) ---


# 3. the table pane -------------------------------------------------------------------------------


async def test_3_split_codes_are_shown_pinned_and_the_row_line_spells_the_label() -> None:
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        s = review(app)
        assert s.tables.goto((T4, 2, 4))
        await pilot.pause()
        grid = s.tables.grid
        assert s.tables.pinned == 4 and grid.fixed_columns == 4
        assert [grid.get_cell_at(Coordinate(2, c)).plain for c in range(3)] == ["201", "06", "01"]
        assert grid.get_cell_at(Coordinate(1, 1)).plain == "06"  # the 款 column is not blank
        assert grid.header_height <= 2  # a long header is cut to its column, never one character per line
        row_line = str(s.query_one("#row-line").render())
        assert "201 06 01 行政运行" in row_line and "本年收入合计" in row_line


async def test_3_columns_scroll_whole_and_numbers_are_never_cut() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = review(app)
        s.open_table(T4)
        await pilot.pause()
        tp = s.tables
        seen: set[int] = set()
        for _ in range(12):
            await pilot.press("l")
            await pilot.pause()
            drawn = sum(tp.widths[j] + CELL_PADDING for j in tp.cols)
            assert drawn <= tp._room or len(tp.cols) == tp.pinned + 1  # whole columns only
            for j in tp.cols:  # a drawn number is never wider than its column
                for r, row in enumerate(tp.table.rows):  # type: ignore[union-attr]
                    assert len(row[j].text) < tp.widths[j] + 1 or row[j].num is None, (r, j)
            key = s.highlighted_cell
            assert key is not None
            seen.add(key[2])
        assert tp.table is not None and tp.table.n_cols - 1 in seen  # l reached the last column
        await pilot.press("h")
        assert s.highlighted_cell is not None and s.highlighted_cell[2] == tp.table.n_cols - 2


async def test_3_zoom_works_on_the_tables_pane_and_rewraps_the_narrative() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = review(app)
        s.open_table(T4)
        await pilot.pause()
        before = len(s.tables.cols)
        await pilot.press("z")
        await pilot.pause()
        await pilot.pause()
        assert s.maximized is s.tables
        assert len(s.tables.cols) > before and s.tables.region.width == 80
        await pilot.press("z")
        s.narrative.focus()
        width = s.narrative._width
        await pilot.press("z")
        await pilot.pause()
        assert s.maximized is s.narrative and s.narrative._width > width


async def test_3_t_shows_the_tables_page_text() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        s = review(app)
        s.open_table(T1)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PageTextScreen) and app.screen.pages[0][0] == 3
        await pilot.press("q")
        assert isinstance(app.screen, ReviewScreen)


# 4. the narrative pane ---------------------------------------------------------------------------


async def test_4_narrative_never_splits_a_number_nor_starts_a_line_with_punctuation() -> None:
    for size in ((80, 24), (120, 40), (60, 24)):
        app = _app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            s = review(app)
            lines = [ln.rstrip() for ln in s.narrative.plain_lines()]
            for ln in lines:
                assert not ln or ln[0] not in NO_START, (size, ln)
            for fig in s.state.figures:
                assert any(fig.text in ln for ln in lines), (size, fig.text)


# 5. severities ranked, low confidence marked -----------------------------------------------------


async def test_5_findings_sorted_by_severity_then_confidence_and_low_confidence_marked() -> None:
    shaky = Finding("table_sum", "high", "inconsistent", 1, "合计 9.99", "9.99", "10.00", "arith", (),
                    confidence="low")
    app = _app(extra=(shaky,))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        s = review(app)
        rows = s.findings.rows_shown
        sev = [s.state.findings[i].severity for i in rows]
        assert sev == sorted(sev, key=lambda x: {"high": 0, "medium": 1, "low": 2}.get(x, 3))
        i = len(s.state.findings) - 1
        assert rows.index(i) == 2  # the low-confidence high problem after the two sure ones
        cell = s.findings.get_cell_at(Coordinate(rows.index(i), 2)).plain
        assert cell == "high?"


# 6. a reviewer raises a finding ------------------------------------------------------------------


async def test_6_raise_a_finding_on_a_cell_with_a_note_and_export_it(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = review(app)
        assert s.goto_cell((T1, 2, 1))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RaiseScreen) and "144.45" in app.screen.what
        await pilot.press(*"与明细表不符", "enter")
        await pilot.pause()
        assert app.session is not None and len(app.session.manual) == 1
        f = app.session.manual[0]
        assert f.refs[0].table == T1 and f.message == "与明细表不符" and f.stated == "144.45"
        assert s.selected_finding is not None and s.state.findings[s.selected_finding].key == f.key
        assert b"\xe4\xb8\x8e\xe6\x98\x8e\xe7\xbb\x86" in app.session.export("md", "problems")  # 与明细


async def test_6_raise_is_in_the_palette(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"raise a finding")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RaiseScreen)


# 7 (app side). the export dialog -----------------------------------------------------------------


async def test_7_export_dialog_format_scope_and_no_silent_overwrite(tmp_path: Path) -> None:
    app = _app(tmp_path)
    out = tmp_path / "paper.xlsx"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        dlg = app.screen
        assert isinstance(dlg, ExportScreen)
        dlg.query_one("#export-format", Select).value = "xlsx"
        dlg.query_one("#export-scope", Select).value = "view"
        await pilot.pause()
        box = dlg.query_one("#export-path")
        box.value = str(tmp_path / "paper.md")  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("enter")  # the name says md, the format xlsx: refused
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and not out.exists()
        box.value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert out.read_bytes()[:2] == b"PK"
        out.write_bytes(b"keep me")
        await pilot.press("e")
        await pilot.pause()
        dlg = app.screen
        assert isinstance(dlg, ExportScreen)
        dlg.query_one("#export-format", Select).value = "xlsx"
        dlg.query_one("#export-path").value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert out.read_bytes() == b"keep me" and "exists" in str(dlg.query_one("#export-warning").render())
        await pilot.press("enter")  # the second enter overwrites
        await pilot.pause()
        assert out.read_bytes()[:2] == b"PK"


# 8. small frictions ------------------------------------------------------------------------------


async def test_8_copy_gives_the_id_and_evidence_without_key_hints() -> None:
    app = _app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        s = review(app)
        f = s.state.findings[0]
        assert copied and f"id: {f.key}" in copied[0] and "9.6%" in copied[0]
        assert "enter:" not in copied[0] and "backspace" not in copied[0]


async def test_8_help_scrolls_with_j_k_and_G() -> None:
    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        box = app.screen.box
        await pilot.press("j", "j")
        await pilot.pause()
        assert box.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y > 2
        await pilot.press("k")
        await pilot.pause()
        assert box.scroll_y == box.max_scroll_y - 1


async def test_8_palette_filters_by_verdict() -> None:
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"verdict rounding")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        s = review(app)
        assert s.state.filters.verdict == "rounding" and s.findings.rows_shown == [1]


async def test_8_detail_offers_go_to_cell_only_when_there_is_one() -> None:
    app = _app()
    async with app.run_test(size=(120, 40)) as pilot:
        s = review(app)
        s.narrative.focus()
        await pilot.press("G")  # 12.30万元: no matched cell
        await pilot.pause()
        assert "go to the matched cell" not in s.detail.text
        await pilot.press("home")
        await pilot.pause()
        assert "go to the matched cell" in s.detail.text


async def test_8_note_dialog_shows_the_figure_it_annotates(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert "10.5%" in app.screen.target and "p2" in app.screen.target
        await pilot.press("escape")


def test_8_open_a_missing_file_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from crossfoot.cli import main

    assert main(["open", str(tmp_path / "missing.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


# 9. 80×24 ----------------------------------------------------------------------------------------


async def test_9_small_terminal_shows_8_findings_rows_with_stated_and_recomputed_and_help() -> None:
    from textual.widgets._footer import FooterKey

    app = _app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        s = review(app)
        fl = s.findings
        assert fl.scrollable_content_region.height - fl.header_height >= 8
        widths = [c.get_render_width(fl) for c in fl.ordered_columns]
        keys = [c.key.value for c in fl.ordered_columns]
        right = sum(widths[: keys.index("expected") + 1])
        assert right <= fl.scrollable_content_region.width  # stated and recomputed in view
        footer = [k for k in app.screen.query(FooterKey) if k.region.right <= 80 and k.region.width > 0]
        assert any(k.description == "help" for k in footer)


async def test_6_undo_withdraws_a_raised_finding(tmp_path: Path) -> None:
    app = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        s = review(app)
        n = len(s.state.findings)
        s.goto_cell((T1, 1, 1))
        await pilot.press("r", *"口径", "enter")
        await pilot.pause()
        assert len(s.state.findings) == n + 1 and (T1, 1, 1) in s.state.cell_findings
        await pilot.press("u")
        await pilot.pause()
        assert len(s.state.findings) == n and n not in s.state.cell_findings.get((T1, 1, 1), [])
        assert all(i < n for i in s.findings.rows_shown)
