"""Dialogs of the review screen: raise a finding, export the working paper, a table's page text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from crossfoot.review.session import ExportScope

SEVERITIES = (("high — a wrong amount or total", "high"), ("medium — a wrong rate, share or label", "medium"),
              ("low — cosmetic or convention", "low"))
FORMAT_CHOICES = (("Markdown 审计底稿 (.md)", "md"), ("Excel workbook (.xlsx)", "xlsx"), ("CSV (.csv)", "csv"),
                  ("JSON (.json)", "json"))
SCOPE_CHOICES = (("the current view (as filtered)", "view"), ("problems", "problems"),
                 ("everything (consistent and rounding too)", "all"))


class RaiseScreen(ModalScreen[tuple[str, str] | None]):
    """What the reviewer saw wrong and how serious it is; enter raises, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="raise-box", classes="dialog"):
            yield Static(f"Raise a finding on {self.what}", markup=False, id="raise-what")
            yield Select(SEVERITIES, value="medium", allow_blank=False, id="raise-severity")
            yield Input(placeholder="what is wrong (enter: raise, esc: cancel)", id="raise-note")

    def on_mount(self) -> None:
        self.query_one("#raise-note", Input).focus()

    @on(Input.Submitted, "#raise-note")
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.notify("Say what is wrong first.", timeout=2)
            return
        sev = self.query_one("#raise-severity", Select).value
        self.dismiss((text, str(sev)))

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class ExportRequest:
    fmt: str
    scope: ExportScope
    path: str


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Format, scope and path; an existing file is overwritten only after a second enter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, default_path: str, *, web: bool = False) -> None:
        super().__init__()
        self.default_path = default_path
        self.web = web
        self._confirm_for: str | None = None  # the path an overwrite was asked for

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="dialog"):
            yield Static("Export the working paper", classes="dialog-title")
            with Horizontal(classes="dialog-row"):
                yield Label("format ", classes="dialog-label")
                yield Select(FORMAT_CHOICES, value="md", allow_blank=False, id="export-format")
            with Horizontal(classes="dialog-row"):
                yield Label("scope  ", classes="dialog-label")
                yield Select(SCOPE_CHOICES, value="problems", allow_blank=False, id="export-scope")
            yield Input(self.default_path, placeholder="file (enter: write, esc: cancel)", id="export-path")
            yield Static("", id="export-warning", markup=False)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # The suffix follows the format, so the file name always says what is in it.
        box = self.query_one("#export-path", Input)
        p = Path(box.value)
        if p.suffix.lstrip(".") in {v for _, v in FORMAT_CHOICES}:
            box.value = str(p.with_suffix(f".{event.value}"))

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        if self._confirm_for is not None and event.value != self._confirm_for:
            self._confirm_for = None
            self.query_one("#export-warning", Static).update("")

    @on(Input.Submitted, "#export-path")
    def _submit(self, event: Input.Submitted) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        scope = cast(ExportScope, str(self.query_one("#export-scope", Select).value))
        path = event.value.strip()
        warn = self.query_one("#export-warning", Static)
        if not path:
            warn.update("Give a file name.")
            return
        suffix = Path(path).suffix.lstrip(".").lower()
        if suffix != fmt:
            warn.update(f"The file name ends in .{suffix or '(nothing)'} but the format is {fmt}: "
                        f"change one so they agree.")
            return
        if not self.web and Path(path).exists() and self._confirm_for != path:
            self._confirm_for = path
            warn.update(f"{path} exists. Press enter again to overwrite it, or change the name.")
            return
        self.dismiss(ExportRequest(fmt, scope, path))

    def action_cancel(self) -> None:
        self.dismiss(None)


class PageTextScreen(ModalScreen[None]):
    """The text of a table's pages as the parser read it, line by line: the grid's source, by eye."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,t", "close", "close"),
        Binding("j,down", "scroll_by(1)", "down", show=False),
        Binding("k,up", "scroll_by(-1)", "up", show=False),
        Binding("G,end", "end", "last", show=False),
        Binding("g,home", "home", "first", show=False),
    ]

    def __init__(self, title: str, pages: list[tuple[int, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.pages = pages

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="pagetext-box", classes="dialog") as box:
            box.border_title = f"page text · {self.title_text} · q closes"
            if not self.pages:
                yield Static("No page text was kept for this table.", markup=False)
            for number, text in self.pages:
                yield Static(f"── p{number} ──", classes="dialog-title")
                yield Static(text or "(no text on this page)", markup=False, classes="pagetext")

    @property
    def box(self) -> VerticalScroll:
        return self.query_one("#pagetext-box", VerticalScroll)

    def action_scroll_by(self, dy: int) -> None:
        self.box.scroll_relative(y=dy, animate=False)

    def action_end(self) -> None:
        self.box.scroll_end(animate=False)

    def action_home(self) -> None:
        self.box.scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
