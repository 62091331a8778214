"""The review screen's search: / asks for text or a number, hits are marked, n/N walk them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.screen import Screen
from textual.widgets import Input

if TYPE_CHECKING:
    from crossfoot.tui.state import Hit, ReviewState
    from crossfoot.tui.widgets.findings import FindingsList
    from crossfoot.tui.widgets.narrative import NarrativeView
    from crossfoot.tui.widgets.tables import TablePane


class ReviewSearch(Screen[None]):
    """Mixed into ReviewScreen, which provides the panes, the history and the status line."""

    state: ReviewState
    query_text: str
    hits: list[Hit]
    hit_pos: int

    if TYPE_CHECKING:
        @property
        def findings(self) -> FindingsList: ...
        @property
        def tables(self) -> TablePane: ...
        @property
        def narrative(self) -> NarrativeView: ...
        def update_status(self) -> None: ...
        def _push(self) -> None: ...
        def _step(self, delta: int) -> None: ...

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.value = self.query_text
        box.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.input.display = False
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        self.query_text = query.strip()
        self.hits = self.state.search(self.query_text) if self.query_text else []
        self.narrative.set_hits(self.hits)
        self.tables.set_hits({h.cell for h in self.hits if h.cell is not None})
        self.hit_pos = -1
        if self.hits:
            self._push()
            self._step(1)
        else:
            if self.query_text:
                self.notify(f"No match for “{self.query_text}”.", timeout=3)
            self.findings.focus()
        self.update_status()

    def _show_hit(self, h: Hit) -> None:
        if h.kind == "cell" and h.cell is not None:
            self.tables.goto(h.cell)
            self.tables.grid.focus()
            return
        figs = [f for f in self.state.figures_in_block(h.block) if f.start < h.end and h.start < f.end]
        self.narrative.focus()
        if figs:
            self.narrative.set_cursor(figs[0].index)
        else:
            self.narrative.scroll_to_offset(h.block, h.start)
