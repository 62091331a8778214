"""Command palette entries: filter findings (check, severity, page), jump to a page or a table."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from crossfoot.tui.present import table_title


class ReviewCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from crossfoot.tui.app import CrossfootApp

        app = self.app
        if not isinstance(app, CrossfootApp) or app.state is None:
            return []
        st = app.state
        out: list[tuple[str, Callable[[], object], str]] = [
            ("filter: clear all filters", partial(app.apply_filter, clear=True), "show every finding again"),
            ("view: toggle consistent / rounding results", app.toggle_all, "a"),
            ("view: overview", app.action_overview, "o"),
            ("view: review", app.action_review, ""),
            ("view: help", app.action_help, "?"),
            ("export: working paper (markdown)", partial(app.action_export, "md"), "e"),
            ("export: working paper (csv)", partial(app.action_export, "csv"), ""),
            ("export: working paper (xlsx)", partial(app.action_export, "xlsx"), ""),
        ]
        for c in st.checks():
            out.append((f"filter: check {c}", partial(app.apply_filter, check=c), "findings of this check only"))
        for s in ("high", "medium", "low"):
            out.append((f"filter: severity {s}", partial(app.apply_filter, severity=s), ""))
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

