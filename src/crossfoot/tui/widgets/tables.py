"""The table pane: one parsed table at a time ([ and ] switch), cells marked like the narrative.

The grid shows whole columns only. Its label columns (codes, names) stay pinned on the left, and the
columns right of them form a window that h/l (or a jump to a cell) moves by whole columns: a number is
never shown in part ("46.25" for 2,946.25) because a column either fits or is not drawn. Long labels
are cut in the grid, so the line under the title spells out the current row's label and column path.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from crossfoot.model import Table
from crossfoot.tui.present import cell_text, table_title
from crossfoot.tui.state import CellKey, ReviewState

HEADER_LINE_CELLS = 14
LABEL_CELLS = 16  # a pinned label column wider than this is cut: the numbers keep most of the pane
MAX_PINNED = 4  # 类 | 款 | 项 | 科目名称 at most
CELL_PADDING = 2  # DataTable draws one cell of padding each side of a column


def _cut(s: str, width: int) -> str:
    if cell_len(s) <= width:
        return s
    out = ""
    for ch in s:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _label_columns(t: Table) -> int:
    """Leading columns that hold row labels (names, codes): pinned so a far-right cell keeps its row's name.

    A column is a label column when most of its cells are text, or when it sits under the same header
    as the first column (类 | 款 | 项 under one 科目编码 heading: short codes, but labels all the same).
    """
    n = 0
    first_path = t.column_path(0) if t.n_cols else ()
    for j in range(min(t.n_cols - 1, MAX_PINNED)):
        texts = [row[j].text.strip() for row in t.rows if j < len(row) and row[j].text.strip()]
        numeric = sum(1 for r in range(len(t.rows)) if t.rows[r][j].num is not None
                      and t.rows[r][j].text.strip() not in t.row_label(r))
        same_head = j > 0 and first_path and t.column_path(j) == first_path
        if not texts or (numeric * 2 > len(texts) and not same_head):
            break
        n += 1
    return n


def row_name(t: Table, r: int, pinned: int) -> str:
    """A row's whole label: its pinned cells (code parts and name) joined, else the model's row label."""
    if pinned:
        parts = [c.text.strip() for c in t.rows[r][:pinned] if c.text.strip()]
        if parts:
            return " ".join(parts)
    return t.row_label(r)


def column_widths(t: Table, pinned: int, header_height: int) -> list[int]:
    """Each column's width in cells: wide enough for its header lines and, unless a label, every value.

    Label columns are capped (their full text is on the row line); value columns never are, so a
    number is always drawn whole. One cell is kept for the verdict symbol after a value.
    """
    out: list[int] = []
    for j in range(t.n_cols):
        path = t.column_path(j)[-header_height:] or (f"col{j + 1}",)
        head = max(cell_len(_cut(p, HEADER_LINE_CELLS)) for p in path)
        body = max((cell_len(r[j].text) for r in t.rows if j < len(r)), default=0) + 1
        if j < pinned:
            # Pinned labels: as wide as their values (a header line is cut to fit, never wrapped).
            width = max(min(body, LABEL_CELLS), 4)
        else:
            textual = sum(1 for r in t.rows if j < len(r) and r[j].text.strip() and r[j].num is None) * 2 \
                > len(t.rows)
            width = max(head, min(body, LABEL_CELLS) if textual else body, 2)
        out.append(width)
    return out


def column_window(widths: list[int], pinned: int, first: int, room: int) -> list[int]:
    """The columns drawn: the pinned ones, then whole columns from `first` while they fit in `room`.

    At least one column right of the pinned ones is drawn even when it alone is too wide.
    """
    cols = list(range(min(pinned, len(widths))))
    used = sum(widths[j] + CELL_PADDING for j in cols)
    for j in range(max(first, pinned), len(widths)):
        w = widths[j] + CELL_PADDING
        if used + w > room and len(cols) > pinned:
            break
        cols.append(j)
        used += w
    return cols


class CellTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "follow"),
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
        Binding("h", "cursor_left", "left", show=False),
        Binding("l", "cursor_right", "right", show=False),
        Binding("G", "scroll_bottom", "last row", show=False),
    ]

    def on_resize(self, event: events.Resize) -> None:
        pane = self.parent
        if isinstance(pane, TablePane):  # zoom resizes the grid: fit the column window again
            pane.call_after_refresh(pane.fit)

    def action_cursor_right(self) -> None:
        pane = self.parent
        if isinstance(pane, TablePane) and self.cursor_column >= len(self.columns) - 1:
            pane.shift_window(1)
            return
        super().action_cursor_right()

    def action_cursor_left(self) -> None:
        pane = self.parent
        if isinstance(pane, TablePane) and self.cursor_column <= pane.pinned and pane.first > pane.pinned:
            pane.shift_window(-1)
            return
        super().action_cursor_left()


class TablePane(Vertical):
    ALLOW_MAXIMIZE = True  # z zooms the table, not only the focused grid inside it

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.state: ReviewState | None = None
        self.table_id: str | None = None
        self.evidence: set[CellKey] = set()
        self.hits: set[CellKey] = set()
        self._label_cols = 0  # leading label columns of the table
        self.pinned = 0  # of which pinned at the current width
        self.first = 0  # the first column of the window right of the pinned ones
        self.cols: list[int] = []  # table columns drawn, in order (grid column i is table column cols[i])
        self.widths: list[int] = []
        self._room = 0

    def compose(self) -> ComposeResult:
        yield Static("", id="table-title")
        yield Static("", id="row-line")
        yield CellTable(id="cells", cursor_type="cell", zebra_stripes=True)

    @property
    def grid(self) -> CellTable:
        return self.query_one(CellTable)

    @property
    def table(self) -> Table | None:
        if self.state is None or self.table_id is None:
            return None
        return self.state.report.table(self.table_id)

    def load(self, state: ReviewState) -> None:
        self.state = state
        if state.report.tables:
            self.show(state.report.tables[0].id)
        else:
            self.query_one("#table-title", Static).update("No tables were found in this report.")

    def show(self, table_id: str) -> bool:
        """Show a table (rebuilding the grid only when it changes). False when there is no such table."""
        if self.state is None or self.state.report.table(table_id) is None:
            return False
        if table_id == self.table_id:
            return True
        self.table_id = table_id
        t = self.table
        assert t is not None
        self._label_cols = _label_columns(t)
        self.pinned = self.first = self._label_cols
        self._rebuild()
        return True

    def _room_now(self) -> int:
        """Cells the grid can draw columns in: the pane's width less the grid's vertical scrollbar."""
        width = self.content_size.width
        if width <= 0:  # before the first layout: assume a wide pane, the resize fits it again
            return 200
        return max(10, width - (self.grid.styles.scrollbar_size_vertical or 0))

    def _rebuild(self, cursor: Coordinate | None = None) -> None:
        t = self.table
        assert t is not None and self.state is not None
        n = self.state.table_index(t.id)
        total = len(self.state.report.tables)
        pages = f"p{t.pages[0]}" + (f"-{t.pages[-1]}" if len(t.pages) > 1 else "") if t.pages else ""
        title = Text.assemble(("◀ ", "dim"), (f"{n + 1}/{total} ", "dim"), (table_title(t), "bold"),
                              (f" · {t.unit or '?'} · {pages} · {len(t.rows)} rows", "dim"), (" ▶", "dim"),
                              no_wrap=True, overflow="ellipsis")
        self.query_one("#table-title", Static).update(title)
        grid = self.grid
        depth = max((len(t.column_path(j)) for j in range(t.n_cols)), default=1)
        header_height = max(1, min(depth, 3))
        self._room = self._room_now()
        # Pinned labels never take more than 60% of the pane: the row line spells out the rest.
        widths = column_widths(t, self._label_cols, header_height)
        pinned = self._label_cols
        while pinned > 1 and sum(widths[j] + CELL_PADDING for j in range(pinned)) > self._room * 0.6:
            pinned -= 1
        at_start = self.first <= self.pinned
        self.pinned = pinned
        self.first = pinned if at_start else max(self.first, pinned)
        self.widths = column_widths(t, pinned, header_height)
        self.cols = column_window(self.widths, self.pinned, self.first, self._room)
        grid.clear(columns=True)
        grid.header_height = header_height
        for j in self.cols:
            path = t.column_path(j)[-header_height:] or (f"col{j + 1}",)
            cut = min(HEADER_LINE_CELLS, self.widths[j])
            label = Text("\n".join(_cut(p, cut) for p in path), no_wrap=True, overflow="ellipsis")
            grid.add_column(label, key=str(j), width=self.widths[j])
        grid.fixed_columns = min(self.pinned, len(self.cols))
        for r in range(len(t.rows)):
            grid.add_row(*(self._cell(t, r, c) for c in self.cols), key=str(r))
        if cursor is not None and t.rows:
            grid.move_cursor(row=min(cursor.row, len(t.rows) - 1),
                             column=min(cursor.column, len(self.cols) - 1), scroll=True)
        self._update_row_line()

    def _cell(self, t: Table, r: int, c: int) -> Text:
        assert self.state is not None
        text = cell_text(self.state, t, r, c, self.evidence, self.hits)
        if t.rows[r][c].num is None and cell_len(text.plain) > self.widths[c]:
            text.truncate(self.widths[c], overflow="ellipsis")  # a label, never a number, is cut
        return text

    def on_resize(self, event: events.Resize) -> None:
        # The grid is laid out after the pane: measure the room it really has once that is done.
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Rebuild the column window when the room for it changed (resize, zoom)."""
        if self.table is not None and self._room_now() != self._room:
            self._rebuild(self.grid.cursor_coordinate)

    # --- the column window ----------------------------------------------------------------

    def shift_window(self, delta: int) -> None:
        """Move the window one whole column right (+1) or left (-1), keeping the cursor on the edge."""
        t = self.table
        if t is None:
            return
        new_first = max(self.pinned, min(self.first + delta, t.n_cols - 1))
        if new_first == self.first or (delta > 0 and self.cols and self.cols[-1] >= t.n_cols - 1):
            return
        self.first = new_first
        row = self.grid.cursor_coordinate.row
        self._rebuild()
        col = len(self.cols) - 1 if delta > 0 else self.pinned
        self.grid.move_cursor(row=row, column=col, scroll=True)

    def _reveal(self, col: int) -> int:
        """Bring table column `col` into the window; its grid column index."""
        if col in self.cols:
            return self.cols.index(col)
        t = self.table
        assert t is not None
        if col < self.first:
            self.first = col
        else:
            # The smallest window start that still draws `col`, so the columns left of it stay in view.
            self.first = col
            while self.first > self.pinned and col in column_window(self.widths, self.pinned, self.first - 1,
                                                                   self._room):
                self.first -= 1
        self._rebuild()
        return self.cols.index(col) if col in self.cols else len(self.cols) - 1

    # --- cells ----------------------------------------------------------------------------

    def refresh_cells(self, keys: set[CellKey]) -> None:
        t = self.table
        if t is None or self.state is None:
            return
        for tid, r, c in keys:
            if tid == t.id and r < len(t.rows) and c in self.cols:
                self.grid.update_cell_at(Coordinate(r, self.cols.index(c)), self._cell(t, r, c))

    def set_evidence(self, keys: set[CellKey]) -> None:
        changed = keys ^ self.evidence
        self.evidence = keys
        self.refresh_cells(changed)

    def set_hits(self, keys: set[CellKey]) -> None:
        changed = keys ^ self.hits
        self.hits = keys
        self.refresh_cells(changed)

    def goto(self, key: CellKey) -> bool:
        if not self.show(key[0]):
            return False
        t = self.table
        assert t is not None
        if not (0 <= key[1] < len(t.rows) and 0 <= key[2] < t.n_cols):
            return False
        gc = self._reveal(key[2])
        self.grid.move_cursor(row=key[1], column=gc, scroll=True)
        self._update_row_line()
        return True

    @property
    def cursor_key(self) -> CellKey | None:
        if self.table_id is None or self.table is None or not self.table.rows or not self.cols:
            return None
        c = self.grid.cursor_coordinate
        return (self.table_id, c.row, self.cols[min(c.column, len(self.cols) - 1)])

    @on(DataTable.CellHighlighted, "#cells")
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._update_row_line()

    def _update_row_line(self) -> None:
        """The current row's whole label and column path: the grid cuts them, this line does not."""
        t, key = self.table, self.cursor_key
        line = self.query_one("#row-line", Static)
        if t is None or key is None or key[1] >= len(t.rows):
            line.update("")
            return
        more = ""
        if len(self.cols) < t.n_cols and len(self.cols) > self.pinned:  # say that h/l reveal more columns
            more = f" · columns {self.cols[self.pinned] + 1}–{self.cols[-1] + 1} of {t.n_cols}"
        line.update(Text.assemble((row_name(t, key[1], self._label_cols) or f"row {key[1] + 1}", "bold"), " · ",
                                  t.column_label(key[2]), (more, "dim"), no_wrap=True, overflow="ellipsis"))

    def step_table(self, delta: int) -> None:
        if self.state is None or not self.state.report.tables:
            return
        tables = self.state.report.tables
        i = (self.state.table_index(self.table_id or "") + delta) % len(tables)
        self.show(tables[i].id)
