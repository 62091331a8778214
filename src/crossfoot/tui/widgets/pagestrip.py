"""One cell per page, symbol and colour of the worst result on it; enter or a click opens the page."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from crossfoot.tui.present import MARK_STYLE
from crossfoot.tui.state import SYMBOL, ReviewState


class PageStrip(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "move(1)", "next page", show=False),
        Binding("left,h", "move(-1)", "prev page", show=False),
        Binding("down,j", "move(10)", show=False),
        Binding("up,k", "move(-10)", show=False),
        Binding("enter", "choose", "open page"),
    ]
    cursor: reactive[int] = reactive(0)

    class PageChosen(Message):
        def __init__(self, page: int) -> None:
            self.page = page
            super().__init__()

    def __init__(self, state: ReviewState, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.state = state
        self.pages = [p.number for p in state.report.pages] or sorted({b.page for b in state.report.blocks})
        self.marks = {p: state.page_mark(p) for p in self.pages}
        self.unreadable = set(state.report.unreadable_pages())

    def render(self) -> Content:
        parts: list[Content] = []
        for i, p in enumerate(self.pages):
            if p in self.unreadable:
                sym, style = "!", "bold $error"
            else:
                m = self.marks.get(p)
                sym, style = (SYMBOL[m], MARK_STYLE[m]) if m else ("·", "$text-muted")
            cell = Content.styled(f"{p:>3}{sym}", f"{style} @click=open_page({p})")
            if i == self.cursor and self.has_focus:
                cell = cell.stylize("reverse")
            parts.append(cell)
        return Content(" ").join(parts)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, delta: int) -> None:
        if self.pages:
            self.cursor = max(0, min(self.cursor + delta, len(self.pages) - 1))

    def action_choose(self) -> None:
        if self.pages:
            self.post_message(self.PageChosen(self.pages[self.cursor]))

    def action_open_page(self, page: int) -> None:
        if page in self.pages:
            self.cursor = self.pages.index(page)
        self.post_message(self.PageChosen(page))
