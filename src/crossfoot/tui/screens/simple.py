"""Small screens: loading progress, a bad file's message, and a note prompt."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, ProgressBar, Static


class LoadingScreen(Screen[None]):
    """Painted at once; the worker thread reports pages done / total into the bar."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "quit")]

    def __init__(self, name: str) -> None:
        super().__init__(id="loading")
        self.file_name = name

    def compose(self) -> ComposeResult:
        with Middle(), Center(), Vertical(id="loading-box"):
            yield Label(f"crossfoot · {self.file_name}", id="loading-title")
            yield ProgressBar(total=None, show_eta=False, id="loading-bar")
            yield Label("reading…", id="loading-step")
        yield Footer()

    def pages(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#loading-step", Label).update(f"reading page {done} of {total}")

    def step(self, text: str) -> None:
        self.query_one("#loading-step", Label).update(text)


class ErrorScreen(Screen[None]):
    """The input cannot be read: say why in one line, and how to leave."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("q,escape,enter", "leave", "quit"), Binding("ctrl+q", "leave", "quit", show=False)]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(id="error")
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center(), Vertical(id="error-box"):
            yield Label(self.title_text, id="error-title")
            yield Static(self.message, id="error-message", markup=False)
            yield Label("Press q to quit.", id="error-hint")
        yield Footer()

    def action_leave(self) -> None:
        self.app.exit(return_code=2)  # the same exit code the command line gives an unreadable input


class NoteScreen(ModalScreen[str | None]):
    """A note on a finding: shows the figure it annotates (stated, page, check) and its sentence."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, target: str, quote: str = "") -> None:
        super().__init__()
        self.target = target
        self.quote = quote

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(f"Note on {self.target}", markup=False, id="note-target")
            if self.quote:
                yield Static(f"“{self.quote[:160]}”", markup=False, id="note-quote")
            yield Input(placeholder="note (enter: save, esc: cancel)", id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
