"""Command palette entries: filter findings (check, severity, verdict, page), jump, raise, export.

The provider talks to the app through the small `ReviewHost` protocol rather than importing the app,
so the app, its screens and the palette do not import each other in a circle.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from crossfoot.tui.present import table_title
from crossfoot.tui.state import ReviewState


@runtime_checkable
class ReviewHost(Protocol):
    """What the palette needs from the app: the review state and the navigation it offers."""

    state: ReviewState | None

    def apply_filter(self, *, check: str | None = None, severity: str | None = None,
                     page: int | None = None, verdict: str | None = None,
                     clear: bool = False) -> Awaitable[None]: ...
    def toggle_all(self) -> Awaitable[None]: ...
    def action_overview(self) -> Awaitable[None]: ...
    def action_review(self) -> Awaitable[None]: ...
    def action_help(self) -> None: ...
    def action_open_page(self, page: int) -> Awaitable[None]: ...
    def open_table(self, table_id: str) -> Awaitable[None]: ...
    def review_action(self, action: str) -> Awaitable[None]: ...


class ReviewCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = self.app
        if not isinstance(app, ReviewHost) or app.state is None:
            return []
        st = app.state
        out: list[tuple[str, Callable[[], object], str]] = [
            ("filter: clear all filters", partial(app.apply_filter, clear=True), "show every finding again"),
            ("view: toggle consistent / rounding results", app.toggle_all, "a"),
            ("view: overview", app.action_overview, "o"),
            ("view: review", app.action_review, ""),
            ("view: help", app.action_help, "?"),
            ("review: raise a finding on the selection", partial(app.review_action, "raise_finding"), "r"),
            ("view: page text of the current table", partial(app.review_action, "page_text"), "t"),
            ("export: working paper…", partial(app.review_action, "export"), "e"),
        ]
        for c in st.checks():
            out.append((f"filter: check {c}", partial(app.apply_filter, check=c), "findings of this check only"))
        for s in ("high", "medium", "low"):
            out.append((f"filter: severity {s}", partial(app.apply_filter, severity=s), ""))
        for v in ("inconsistent", "rounding", "consistent", "unchecked"):
            out.append((f"filter: verdict {v}", partial(app.apply_filter, verdict=v), "shows this verdict only"))
        pages = sorted({f.page for f in st.findings if f.page is not None})
        for p in pages:
            out.append((f"filter: page {p}", partial(app.apply_filter, page=p), "findings on this page only"))
        for pg in st.report.pages:
            out.append((f"go: page {pg.number}", partial(app.action_open_page, pg.number), ""))
        for t in st.report.tables:
            out.append((f"go: table {table_title(t)}", partial(app.open_table, t.id), f"{len(t.rows)} rows"))
        return out

    async def discover(self) -> Hits:
        for text, cmd, help_ in self._commands():
            if not text.startswith("go: page"):
                yield DiscoveryHit(text, cmd, help=help_ or None)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, cmd, help_ in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), cmd, text=text, help=help_ or None)
