"""The detail panel: the evidence for whatever is selected (finding, figure or cell)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static


class DetailPanel(VerticalScroll, can_focus=False):
    def compose(self) -> ComposeResult:
        yield Static("", id="detail-body")

    def show(self, content: Content | str) -> None:
        self.query_one("#detail-body", Static).update(content)
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        body = self.query_one("#detail-body", Static)
        return str(body.visual) if hasattr(body, "visual") else ""
