"""The first screen: what the report is, what was found, what could not be checked, a page strip."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from crossfoot.tui.present import MARK_STYLE, SEV_STYLE, mark_label
from crossfoot.tui.state import SYMBOL, ReviewState
from crossfoot.tui.widgets.pagestrip import PageStrip


class OverviewScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,tab", "app.review", "review"),
        Binding("q", "app.quit", "quit"),
    ]

    def __init__(self, state: ReviewState, failed: tuple[str, ...], held_back: int = 0,
                 shaky_tables: tuple[str, ...] = ()) -> None:
        super().__init__(id="overview")
        self.state = state
        self.failed = failed
        self.held_back = held_back
        self.shaky_tables = shaky_tables

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-body"):
            # The page strip first: at 80x24 it is the part that must not need scrolling.
            strip = PageStrip(self.state, id="pagestrip", classes="ov-box")
            strip.border_title = "pages · ← → choose · enter opens"
            yield strip
            yield Static(self._unchecked(), id="unchecked", classes="ov-box")
            with Horizontal(id="overview-top"):
                yield Static(self._identity(), id="identity", classes="ov-box")
                yield Static(self._counts(), id="counts", classes="ov-box")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#identity").border_title = "report"
        self.query_one("#counts").border_title = "findings"
        self.query_one("#unchecked").border_title = "not checked"
        self.query_one(PageStrip).focus()

    def _identity(self) -> Content:
        r = self.state.report
        rows = [
            ("file", Path(r.path).name),
            ("department", r.department or "?"),
            ("year", str(r.year or "?")),
            ("kind", r.kind),
            ("unit", r.unit or "?"),
            ("pages", str(r.n_pages)),
            ("tables", str(len(r.tables))),
            ("figures", f"{len(self.state.figures)}"),
            ("links", _coverage_text(self.state.coverage())),
        ]
        lines = [Content.assemble((k.ljust(11), "$text-muted"), v) for k, v in rows]
        if r.tables:
            lines.append(Content.styled("tables found", "$text-muted"))
            for t in r.tables[:12]:
                lines.append(Content(f"  {t.code or t.id} {t.title or '(untitled)'}"))
            if len(r.tables) > 12:
                lines.append(Content(f"  … and {len(r.tables) - 12} more"))
        return Content("\n").join(lines)

    def _counts(self) -> Content:
        st = self.state
        v = st.counts_by_verdict()
        lines = [Content.assemble(mark_label(m), f" {m.ljust(13)}{v.get(m, 0):>4}")
                 for m in ("inconsistent", "rounding", "consistent", "unchecked")]
        lines.append(Content(""))
        sev = st.counts_by_severity()
        lines.append(Content.styled("problems by severity", "$text-muted"))
        for s in ("high", "medium", "low"):
            lines.append(Content.assemble("  ", (s.ljust(8), SEV_STYLE[s]), f"{sev.get(s, 0):>4}"))
        by_check = st.counts_by_check()
        if by_check:
            lines.append(Content.styled("problems by check", "$text-muted"))
            for check, n in by_check.most_common():
                lines.append(Content.assemble("  ", (SYMBOL["inconsistent"], MARK_STYLE["inconsistent"]),
                                              f" {check.ljust(22)}{n:>4}"))
        elif not st.findings:
            lines.append(Content.styled("no findings", "italic"))
        return Content("\n").join(lines)

    def _unchecked(self) -> Content:
        r = self.state.report
        lines: list[Content] = []
        for p in r.pages:
            if not p.readable:
                lines.append(Content(f"! page {p.number} could not be read{': ' + p.note if p.note else ''}"))
        for c in self.failed:
            lines.append(Content(f"! check {c} failed: its findings are missing"))
        if self.held_back:
            lines.append(Content(f"! {self.held_back} possible problems held back: they rest on tables whose "
                                 f"shape could not be read reliably; check those by eye"))
            lines += [Content(f"  {note}") for note in self.shaky_tables]  # one line per table, named
        if self.state.figure_note:
            lines.append(Content(f"! {self.state.figure_note}"))
        lines += [Content(f"· {n}") for n in r.notes]
        if not lines:
            lines.append(Content.styled("every page was read and every check ran", "$text-muted"))
        return Content("\n").join(lines)

    @on(PageStrip.PageChosen)
    def _page(self, event: PageStrip.PageChosen) -> None:
        self.app.call_later(self.app.run_action, f"open_page({event.page})")


def _coverage_text(c: dict[str, int]) -> str:
    return (f"{c['linked']} of {c['figures']} amounts tied to a cell ({c['held']} hold, {c['differed']} differ), "
            f"{c['unlinked']} unlinked (?)")
