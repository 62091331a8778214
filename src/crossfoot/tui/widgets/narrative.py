"""The narrative pane: the report's text, page by page, with every figure marked and a figure cursor.

Drawn with the Line API (one ScrollView, lines rendered on demand) rather than one widget per block:
a 100-page report has over a thousand paragraphs, and a widget each makes every cursor move re-arrange
them all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from crossfoot.linebreak import break_points
from crossfoot.tui.present import block_content
from crossfoot.tui.state import Hit, ReviewState

_NULL = Style.null()


def _styled(strip: Strip) -> Strip:
    """The strip with every segment carrying a style: NO_COLOR's monochrome filter reads each one's colour."""
    segs = list(strip)
    if all(seg.style is not None for seg in segs):
        return strip
    return Strip([Segment(t, st if st is not None else _NULL, c) for t, st, c in segs], strip.cell_length)


def _blank() -> Strip:
    return Strip([Segment("", _NULL)], 0)


class NarrativeView(ScrollView, can_focus=True):
    """The cursor moves between figures, the unit a reviewer checks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "next_figure", "next figure", show=False),
        Binding("k,up", "prev_figure", "prev figure", show=False),
        Binding("G,end", "last_figure", "last", show=False),
        Binding("home", "first_figure", "first", show=False),
        Binding("pagedown,space", "page_down", "page down", show=False),
        Binding("pageup", "page_up", "page up", show=False),
    ]

    class FigureSelected(Message):
        def __init__(self, figure: int | None) -> None:
            self.figure = figure
            super().__init__()

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.state: ReviewState | None = None
        self.cursor: int | None = None
        self.order: list[int] = []
        self.hits: list[Hit] = []
        self._width = 0
        self._relayout_queued = False
        self._lines: list[Strip] = []
        self._block_span: dict[int, tuple[int, int]] = {}  # block -> (first line, line count)
        self._block_starts: dict[int, list[int]] = {}  # block -> content offset where each of its lines starts
        self._page_line: dict[int, int] = {}  # page -> line of its rule
        self._pending: Callable[[], None] | None = None  # a scroll waiting for the first layout

    # --- content and layout ---------------------------------------------------------------

    def load(self, state: ReviewState) -> None:
        self.state = state
        self.order = state.figure_order()
        self._width = 0
        self._relayout()

    def _render_block(self, b: int, width: int) -> list[Strip]:
        """The block's lines, broken where the CJK rules allow and never inside a number."""
        assert self.state is not None
        content = block_content(self.state, b, self.cursor, self.hits)
        offsets = break_points(content.plain, width, cell_len)
        strips: list[Strip] = []
        starts: list[int] = []
        for start, line in zip([0, *offsets], content.divide(offsets), strict=False):
            if line.plain.endswith("\n"):
                line = line.right_crop(1)
            for strip in Visual.to_strips(self, line, width, None, self.visual_style) or [_blank()]:
                strips.append(_styled(strip))
                starts.append(start)
        self._block_starts[b] = starts
        return strips or [_blank()]

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if self.state is None or width <= 0:
            return
        self._width = width
        self._relayout_queued = False
        lines: list[Strip] = []
        self._block_span.clear()
        self._page_line.clear()
        note = self.state.figure_note
        blocks = self.state.report.blocks
        muted = self.visual_style

        def text_line(text: str, style: str) -> None:
            lines.extend(_styled(s) for s in Visual.to_strips(self, Content.styled(text, style), width, None, muted))

        if not blocks:
            text_line("No narrative text was found in this report.", "italic $text-muted")
        elif note:
            text_line(f"No figures marked: {note}.", "italic $text-muted")
        page = None
        for b, block in enumerate(blocks):
            if block.page != page:
                page = block.page
                lines.append(_blank())
                self._page_line[page] = len(lines)
                text_line(f"── p{page} ──", "bold $text-muted")
            strips = self._render_block(b, width)
            self._block_span[b] = (len(lines), len(strips))
            lines.extend(strips)
            lines.append(_blank())
        self._lines = lines
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._relayout()
        if self._pending is not None and self._width > 0:
            pending, self._pending = self._pending, None
            pending()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        i = scroll_y + y
        width = self.scrollable_content_region.width
        if width != self._width and width > 0 and not self._relayout_queued:
            # The width changed without a resize (a scrollbar came or went): wrap again.
            self._relayout_queued = True
            self.call_later(self._relayout)
        if i >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[i].crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def refresh_block(self, b: int) -> None:
        """Re-render one block in place: only styles change (cursor, hits), so its line count does not."""
        span = self._block_span.get(b)
        if span is None or self._width <= 0:
            return
        first, count = span
        strips = self._render_block(b, self._width)
        if len(strips) != count:  # cannot happen unless the text changed; stay correct regardless
            self._relayout()
            return
        self._lines[first:first + count] = strips
        self.refresh()

    def refresh_all(self) -> None:
        self._relayout()

    # --- cursor, scrolling, search --------------------------------------------------------

    def set_cursor(self, k: int | None, *, notify: bool = True) -> None:
        if self.state is None:
            return
        old = self.state.figure(self.cursor) if self.cursor is not None else None
        self.cursor = k
        new = self.state.figure(k) if k is not None else None
        if old is not None:
            self.refresh_block(old.block)
        if new is not None:
            if old is None or new.block != old.block:
                self.refresh_block(new.block)
            self.scroll_to_offset(new.block, new.start)
        if notify:
            self.post_message(self.FigureSelected(k))

    def line_of(self, b: int, start: int) -> int | None:
        """The line showing character `start` of block b (the marks inserted before it counted in)."""
        span = self._block_span.get(b)
        if span is None or self.state is None:
            return None
        first, count = span
        # Offsets in the rendered content are shifted by one verdict symbol per figure before `start`.
        marks_before = sum(1 for f in self.state.figures_in_block(b) if f.end <= start)
        starts = self._block_starts.get(b, [0])
        i = max(0, bisect_right(starts, start + marks_before) - 1)
        return first + min(i, count - 1)

    def scroll_to_offset(self, b: int, start: int) -> None:
        """Scroll so the line holding character `start` of block b is in view, centred if it was not."""
        if self._width <= 0:
            self._pending = lambda: self.scroll_to_offset(b, start)
            return
        y = self.line_of(b, start)
        if y is None:
            return
        if not (self.scroll_y <= y < self.scroll_y + self.scrollable_content_region.height):
            self.scroll_to_region(Region(0, y, 1, 1), center=True, animate=False, immediate=True)

    def scroll_to_page(self, page: int) -> None:
        """Scroll to a page's text, or to the last page with text before it (table pages have none)."""
        if self._width <= 0:
            self._pending = lambda: self.scroll_to_page(page)
            return
        before = [p for p in self._page_line if p <= page]
        if before:
            y = self._page_line[max(before)]
            self.scroll_to(y=max(0, y - 1), animate=False, immediate=True)

    def set_hits(self, hits: list[Hit]) -> None:
        touched = {h.block for h in self.hits + hits if h.kind == "block"}
        self.hits = hits
        for b in touched:
            self.refresh_block(b)

    # --- keys -----------------------------------------------------------------------------

    def _step(self, delta: int) -> None:
        if not self.order:
            self.scroll_to(y=self.scroll_y + delta, animate=False)
            return
        if self.cursor not in self.order:
            self.set_cursor(self.order[0 if delta > 0 else -1])
            return
        i = self.order.index(self.cursor) + delta
        self.set_cursor(self.order[max(0, min(i, len(self.order) - 1))])

    def action_next_figure(self) -> None:
        self._step(1)

    def action_prev_figure(self) -> None:
        self._step(-1)

    def action_first_figure(self) -> None:
        if self.order:
            self.set_cursor(self.order[0])
        else:
            self.scroll_home(animate=False)

    def action_last_figure(self) -> None:
        if self.order:
            self.set_cursor(self.order[-1])
        else:
            self.scroll_end(animate=False)

    def first_figure_on_page(self, page: int) -> int | None:
        if self.state is None:
            return None
        return next((k for k in self.order if (f := self.state.figure(k)) is not None and f.page == page), None)

    def plain_lines(self) -> list[str]:
        """The rendered text, line by line (for tests and copy)."""
        return [s.text for s in self._lines]
