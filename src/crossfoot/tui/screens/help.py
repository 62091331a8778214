"""? — every key, grouped by what it is for."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Move", (
        ("j k ↓ ↑", "next / previous figure, row or finding"),
        ("h l ← →", "previous / next column in a table (moves by whole columns)"),
        ("gg  G", "first / last"),
        ("tab  shift+tab", "next / previous pane"),
        ("[  ]", "previous / next table"),
        ("t", "the current table's page text, as read (compare with the grid)"),
        ("z", "zoom the pane (again: restore)"),
    )),
    ("Follow the evidence", (
        ("enter", "figure → its cell · finding → its cell · cell → the narrative that uses it"),
        ("backspace  ctrl+o", "back to where you were before the jump"),
        ("n  N", "next / previous finding (search hits while a search is active)"),
        ("/", "search text or a number (1144.45 finds 1,144.45); esc clears"),
        ("a", "also list consistent and rounding results"),
    )),
    ("Review", (
        ("c  d  x", "mark the finding confirmed / dismissed / open (c, d: on to the next open one)"),
        ("m", "add a note to the finding"),
        ("u", "undo your last review action"),
        ("r", "raise your own finding on the selected figure, cell or sentence"),
        ("y", "copy the selection's id and evidence (OSC 52)"),
        ("e", "export the working paper: format, scope, file"),
    )),
    ("Views", (
        ("ctrl+p", "commands: filter by check, severity, verdict, page; jump to a page or table"),
        ("o", "overview (report, counts, page strip)"),
        ("?", "this help"),
        ("q", "close the view"),
        ("ctrl+q", "quit"),
    )),
    ("Marks", (
        ("✗", "does not hold"),
        ("≈", "holds only within rounding"),
        ("✓", "matched and consistent"),
        ("?", "no table cell found for the figure"),
        ("!", "page could not be read (page strip)"),
        ("high", "a figure or total the report gets wrong (amount, total, growth of a main indicator)"),
        ("med", "a wrong rate, share or label"),
        ("low", "cosmetic or convention"),
        ("med?", "a severity followed by ?: low confidence (the finding rests on a shaky reading)"),
    )),
)


def help_content() -> Content:
    lines: list[Content] = []
    for group, keys in KEYS:
        lines.append(Content.styled(group, "bold $accent"))
        for key, what in keys:
            lines.append(Content.assemble(("  " + key.ljust(18), "bold"), what))
        lines.append(Content(""))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,question_mark", "dismiss", "close"),
        Binding("j,down", "scroll(1)", "down", show=False),
        Binding("k,up", "scroll(-1)", "up", show=False),
        Binding("G,end", "end", "last", show=False),
        Binding("g,home", "home", "first", show=False),
        Binding("space,pagedown", "page(1)", "page down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "keys · j/k/G scroll · q closes"
            # A grid keeps wrapped descriptions in their column at 80 columns.
            for group, keys in KEYS:
                yield Static(Content.styled(group, "bold $accent"), classes="help-group")
                with Grid(classes="help-grid"):
                    for key, what in keys:
                        yield Static(Content.styled(key, "bold"), classes="help-key")
                        yield Static(what, classes="help-what", markup=False)

    @property
    def box(self) -> VerticalScroll:
        return self.query_one("#help-box", VerticalScroll)

    def action_scroll(self, dy: int) -> None:
        self.box.scroll_relative(y=dy, animate=False)

    def action_page(self, sign: int) -> None:
        self.box.scroll_relative(y=sign * max(1, self.box.scrollable_content_region.height - 1), animate=False)

    def action_end(self) -> None:
        self.box.scroll_end(animate=False)

    def action_home(self) -> None:
        self.box.scroll_home(animate=False)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
