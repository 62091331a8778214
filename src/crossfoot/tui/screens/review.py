"""The main review screen: narrative | table on top, findings | detail below, a status line and footer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.events import Key
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Input, Static

from crossfoot.tui.present import cell_detail, figure_detail, finding_detail
from crossfoot.tui.screens.review_actions import ReviewActions
from crossfoot.tui.screens.review_search import ReviewSearch
from crossfoot.tui.state import SYMBOL, CellKey, Hit, ReviewState
from crossfoot.tui.widgets.detail import DetailPanel
from crossfoot.tui.widgets.findings import FindingsList
from crossfoot.tui.widgets.narrative import NarrativeView
from crossfoot.tui.widgets.tables import CellTable, TablePane

if TYPE_CHECKING:
    from crossfoot.review.session import ReviewSession

Pane = Literal["narrative", "cells", "findings"]


@dataclass(frozen=True)
class Location:
    """Where the reviewer was before a jump: restored by the back key."""

    pane: Pane
    figure: int | None
    table: str | None
    cell: tuple[int, int] | None
    finding: int | None


class ReviewScreen(ReviewActions, ReviewSearch):
    AUTO_FOCUS = None  # on_mount chooses: the findings list when there is something to review
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (Screen declares it unannotated)
    BINDINGS: ClassVar[list[BindingType]] = [
        # Footer order is what survives at 80 columns: help first, then the keys of the review loop.
        Binding("question_mark", "app.help", "help", key_display="?"),
        Binding("enter", "follow", "follow", show=False),
        Binding("backspace,ctrl+o", "back", "back", show=False),
        Binding("n", "next", "next"),
        Binding("N", "prev", "prev", key_display="N"),
        Binding("slash", "search", "search", key_display="/"),
        Binding("escape", "clear", "clear", show=False),
        Binding("a", "toggle_all", "all", show=False),
        Binding("left_square_bracket", "table(-1)", "prev table", show=False, key_display="["),
        Binding("right_square_bracket", "table(1)", "next table", show=False, key_display="]"),
        Binding("g", "g_prefix", "top (gg)", show=False),
        Binding("z", "zoom", "zoom pane", show=False),
        Binding("o", "app.overview", "overview"),
        Binding("q", "app.overview", "close", show=False),
        Binding("c", "triage('confirmed')", "confirm"),
        Binding("d", "triage('dismissed')", "dismiss"),
        Binding("x", "triage('open')", "reopen", show=False),
        Binding("m", "note", "note"),
        Binding("u", "undo", "undo", show=False),
        Binding("y", "copy", "copy", show=False),
        Binding("r", "raise_finding", "raise", show=False),
        Binding("t", "page_text", "page text", show=False),
        Binding("e", "export", "export", show=False),
    ]

    def __init__(self, state: ReviewState, session: ReviewSession) -> None:
        super().__init__(id="review")
        self.state = state
        self.session = session
        self.history: list[Location] = []
        self.query_text = ""
        self.hits: list[Hit] = []
        self.hit_pos = -1
        self._g_pending = False

    # --- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="top"):
            yield NarrativeView(id="narrative")
            yield TablePane(id="tables")
        with Horizontal(id="bottom"):
            yield FindingsList(id="findings")
            yield DetailPanel(id="detail")
        yield Input(placeholder="search text or a number (enter: go, esc: cancel)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        # The breakpoint classes come with the first Resize, which a screen switched to after loading
        # may get a frame late: set them now so 80x24 opens with its 8 findings rows.
        short = self.app.size.height < 30
        self.set_class(short, "-short")
        self.set_class(not short, "-tall")
        self.narrative.border_title = "narrative"
        self.tables.border_title = "tables  [ ]"
        self.findings.border_title = "findings"
        self.detail.border_title = "detail"
        self.narrative.load(self.state)
        self.tables.load(self.state)
        self.reload_findings()
        self.query_one("#search", Input).display = False
        if self.findings.rows_shown:
            self.findings.focus()
            self.show_finding(self.findings.rows_shown[0], focus=False)
        else:
            self.narrative.focus()
            self.detail.show(self._empty_hint())

    def _empty_hint(self) -> str:
        if not self.state.findings:
            return "No findings. j/k moves between the narrative's figures; ? lists every key."
        return "No problems under the current filter; a shows consistent and rounding results too."

    @property
    def narrative(self) -> NarrativeView:
        return self.query_one(NarrativeView)

    @property
    def tables(self) -> TablePane:
        return self.query_one(TablePane)

    @property
    def findings(self) -> FindingsList:
        return self.query_one(FindingsList)

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    # --- what tests and the status line read ----------------------------------------------

    @property
    def selected_finding(self) -> int | None:
        return self.findings.selected

    @property
    def highlighted_cell(self) -> CellKey | None:
        return self.tables.cursor_key

    @property
    def table_shown(self) -> str | None:
        return self.tables.table_id

    @property
    def pane(self) -> Pane:
        f = self.focused
        if isinstance(f, CellTable):
            return "cells"
        if isinstance(f, FindingsList):
            return "findings"
        return "narrative"

    def update_status(self) -> None:
        """Counts, filter and search first: at 80 columns the report's identity is what gets cut."""
        st = self.state
        r = st.report
        v = st.counts_by_verdict()
        parts = [
            f"{SYMBOL['inconsistent']}{v.get('inconsistent', 0)} {SYMBOL['rounding']}{v.get('rounding', 0)} "
            f"{SYMBOL['consistent']}{v.get('consistent', 0)}",
        ]
        shown = "all results" if st.filters.show_all else "problems"
        flt = st.filters.describe()
        parts.append(f"{shown}{' · ' + flt if flt else ''} ({len(self.findings.rows_shown)})")
        if self.hits or self.query_text:
            pos = f"{self.hit_pos + 1}/{len(self.hits)}" if self.hits else "no match"
            parts.append(f"/{self.query_text} {pos}")
        triage = self.session.triage_counts()
        if triage is not None:
            parts.append(" ".join(f"{k} {n}" for k, n in triage.items()))
        parts.append(f"{_name(r.path)} · {r.department or '?'} · {r.year or '?'} · {r.kind}")
        self.query_one("#status", Static).update(" │ ".join(parts))

    # --- selection → detail and live preview ----------------------------------------------

    def reload_findings(self) -> None:
        self.findings.load(self.state, self.session.decisions())
        self.update_status()

    def show_finding(self, i: int, *, focus: bool = True) -> None:
        self.findings.select(i)
        if focus:
            self.findings.focus()
        self._preview_finding(i)

    def _preview_finding(self, i: int) -> None:
        f = self.state.findings[i]
        self.detail.show(finding_detail(self.state, i, self.session.review_line(f.key)))
        keys = {(r.table, r.row, r.col) for r in f.refs}
        self.tables.set_evidence(keys)
        if f.refs:
            self.tables.goto((f.refs[0].table, f.refs[0].row, f.refs[0].col))
        figs = self.state.finding_figs.get(i, [])
        if figs:
            self.narrative.set_cursor(figs[0], notify=False)
        elif f.page is not None:
            self.narrative.scroll_to_page(f.page)

    @on(NarrativeView.FigureSelected)
    def _figure_selected(self, event: NarrativeView.FigureSelected) -> None:
        k = event.figure
        if k is None:
            return
        self.detail.show(figure_detail(self.state, k))
        m = self.state.matches.get(k)
        if m is not None:
            key = (m.best.table, m.best.row, m.best.col)
            self.tables.set_evidence({key})
            self.tables.goto(key)
        else:
            self.tables.set_evidence(set())

    @on(DataTable.RowHighlighted, "#findings")
    def _finding_highlighted(self, event: DataTable.RowHighlighted) -> None:
        i = self.findings.selected
        if i is not None and self.findings.has_focus:
            self._preview_finding(i)

    @on(DataTable.CellHighlighted, "#cells")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        key = self.tables.cursor_key
        if key is None or not self.tables.grid.has_focus:
            return
        self.detail.show(cell_detail(self.state, key))
        uses = self.state.cell_figs.get(key, [])
        if uses:
            self.narrative.set_cursor(uses[0], notify=False)

    def on_descendant_focus(self, event: object) -> None:
        pane = self.pane
        if pane == "findings" and self.findings.selected is not None:
            self._preview_finding(self.findings.selected)
        elif pane == "cells" and self.tables.cursor_key is not None:
            self.detail.show(cell_detail(self.state, self.tables.cursor_key))
        elif pane == "narrative" and self.narrative.cursor is not None:
            self.detail.show(figure_detail(self.state, self.narrative.cursor))

    @on(DataTable.CellSelected, "#cells")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self.action_follow()

    @on(DataTable.RowSelected, "#findings")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_follow()

    def action_select_figure(self, k: int) -> None:
        """A click on a narrative figure."""
        self.narrative.focus()
        self.narrative.set_cursor(k)

    # --- jumps and the way back -----------------------------------------------------------

    def _here(self) -> Location:
        key = self.tables.cursor_key
        return Location(self.pane, self.narrative.cursor, self.tables.table_id,
                        (key[1], key[2]) if key else None, self.findings.selected)

    def _push(self) -> None:
        self.history.append(self._here())
        del self.history[:-100]

    def action_back(self) -> None:
        if not self.history:
            self.notify("Nothing to go back to.", timeout=2)
            return
        loc = self.history.pop()
        if loc.table is not None:
            self.tables.show(loc.table)
            if loc.cell is not None:
                self.tables.goto((loc.table, loc.cell[0], loc.cell[1]))
        if loc.finding is not None:
            self.findings.select(loc.finding)
        self.narrative.set_cursor(loc.figure, notify=False)
        target: Widget = {"narrative": self.narrative, "cells": self.tables.grid,
                          "findings": self.findings}[loc.pane]
        target.focus()
        self.on_descendant_focus(None)

    def goto_cell(self, key: CellKey) -> bool:
        self._push()
        if not self.tables.goto(key):
            self.history.pop()
            self.notify(f"Cell {key} is not in the parsed tables.", severity="warning")
            return False
        self.tables.grid.focus()
        self.detail.show(cell_detail(self.state, key))
        return True

    def goto_figure(self, k: int) -> None:
        self._push()
        self.narrative.focus()
        self.narrative.set_cursor(k)

    def action_follow(self) -> None:
        pane = self.pane
        if pane == "narrative":
            k = self.narrative.cursor
            m = self.state.matches.get(k) if k is not None else None
            if m is None:
                self.notify("This figure has no matched table cell." if k is not None
                            else "Select a figure first (j/k).", timeout=3)
                return
            self.goto_cell((m.best.table, m.best.row, m.best.col))
        elif pane == "findings":
            i = self.findings.selected
            if i is None:
                return
            f = self.state.findings[i]
            if f.refs:
                self.goto_cell((f.refs[0].table, f.refs[0].row, f.refs[0].col))
            elif figs := self.state.finding_figs.get(i):
                self.goto_figure(figs[0])
            else:
                self.notify("This finding cites no cell and no marked figure.", timeout=3)
        else:
            key = self.tables.cursor_key
            if key is None:
                return
            uses = self.state.cell_figs.get(key, [])
            if uses:
                cur = self.narrative.cursor
                # Enter again on the same cell walks through every narrative place that uses it.
                nxt = uses[(uses.index(cur) + 1) % len(uses)] if cur in uses and self.history else uses[0]
                self.goto_figure(nxt)
                return
            fs = self.state.cell_findings.get(key, [])
            if fs:
                self._push()
                if fs[0] not in self.findings.rows_shown:
                    self.state.filters.show_all = True
                    self.reload_findings()
                self.show_finding(fs[0])
            else:
                self.notify("No narrative figure or finding uses this cell.", timeout=3)

    # --- n / N: findings, or search hits while a search is active -------------------------

    def action_next(self) -> None:
        self._step(1)

    def action_prev(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self.hits:
            self.hit_pos = (self.hit_pos + delta) % len(self.hits)
            self._show_hit(self.hits[self.hit_pos])
            self.update_status()
            return
        rows = self.findings.rows_shown
        if not rows:
            self.notify("No findings under the current filter.", timeout=2)
            return
        cur = self.findings.selected
        if cur is None or cur not in rows:
            nxt = rows[0] if delta > 0 else rows[-1]
        else:
            nxt = rows[(rows.index(cur) + delta) % len(rows)]
        self.show_finding(nxt)

    def action_clear(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
            self.findings.focus()
            return
        if self.hits or self.query_text:
            self.query_text = ""
            self.hits = []
            self.narrative.set_hits([])
            self.tables.set_hits(set())
            self.update_status()

    # --- filters and views ----------------------------------------------------------------

    def action_toggle_all(self) -> None:
        self.state.filters.show_all = not self.state.filters.show_all
        self.reload_findings()
        self.notify("Showing all results (consistent and rounding too)." if self.state.filters.show_all
                    else "Showing problems only.", timeout=2)

    def set_filter(self, *, check: str | None = None, severity: str | None = None, page: int | None = None,
                   verdict: str | None = None, clear: bool = False) -> None:
        fl = self.state.filters
        if clear:
            fl.check = fl.severity = fl.page = fl.verdict = None
        if verdict is not None:
            fl.verdict = verdict
        if check is not None:
            fl.check = check
        if severity is not None:
            fl.severity = severity
        if page is not None:
            fl.page = page
        self.reload_findings()
        if self.findings.rows_shown and self.findings.selected is not None:
            self._preview_finding(self.findings.selected)

    def open_page(self, page: int) -> None:
        self._push()
        k = self.narrative.first_figure_on_page(page)
        self.narrative.focus()
        if k is not None:
            self.narrative.set_cursor(k)
        else:
            self.narrative.scroll_to_page(page)
        tables = self.state.tables_on_page(page)
        if tables:
            self.tables.show(tables[0].id)

    def open_table(self, table_id: str) -> None:
        self._push()
        self.tables.show(table_id)
        self.tables.grid.focus()

    def action_table(self, delta: int) -> None:
        self.tables.step_table(delta)

    def action_zoom(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        f = self.focused
        target = {"narrative": self.narrative, "cells": self.tables, "findings": self.findings}[self.pane]
        if f is not None:
            self.maximize(target, container=False)

    def action_g_prefix(self) -> None:
        if not self._g_pending:
            self._g_pending = True
            return
        self._g_pending = False
        pane = self.pane
        if pane == "narrative":
            self.narrative.action_first_figure()
        elif pane == "findings":
            self.findings.move_cursor(row=0)
        else:
            self.tables.grid.move_cursor(row=0)

    def on_key(self, event: Key) -> None:
        if event.key != "g":
            self._g_pending = False


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]
