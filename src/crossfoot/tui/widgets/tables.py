"""The table pane: one parsed table at a time ([ and ] switch), cells marked like the narrative."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from crossfoot.model import Table
from crossfoot.tui.present import cell_text, table_title
from crossfoot.tui.state import CellKey, ReviewState

HEADER_LINE_CELLS = 14
LABEL_CELLS = 16  # a header line wider than this is cut: columns stay narrow enough to compare


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
    """Leading columns that hold row labels (names, codes): pinned so a far-right cell keeps its row's name."""
    n = 0
    for j in range(min(t.n_cols - 1, 2)):
        texts = [row[j].text.strip() for row in t.rows if j < len(row) and row[j].text.strip()]
        numeric = sum(1 for r in range(len(t.rows)) if t.rows[r][j].num is not None
                      and t.rows[r][j].text.strip() not in t.row_label(r))
        if not texts or numeric * 2 > len(texts):
            break
        n += 1
    return n


class CellTable(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "follow"),
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
        Binding("h", "cursor_left", "left", show=False),
        Binding("l", "cursor_right", "right", show=False),
        Binding("G", "scroll_bottom", "last row", show=False),
    ]


class TablePane(Vertical):
    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)  # type: ignore[arg-type]
        self.state: ReviewState | None = None
        self.table_id: str | None = None
        self.evidence: set[CellKey] = set()
        self.hits: set[CellKey] = set()

    def compose(self) -> ComposeResult:
        yield Static("", id="table-title")
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
        self._rebuild()
        return True

    def _rebuild(self) -> None:
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
        grid.clear(columns=True)
        depth = max((len(t.column_path(j)) for j in range(t.n_cols)), default=1)
        grid.header_height = max(1, min(depth, 3))
        pinned = _label_columns(t)
        for j in range(t.n_cols):
            path = t.column_path(j)[-grid.header_height:] or (f"col{j + 1}",)
            label = Text("\n".join(_cut(p, HEADER_LINE_CELLS) for p in path))
            width = None
            if j < pinned:
                # Pinned row names are cut so the numbers keep most of an 80-column pane.
                widest = max((cell_len(r[j].text) for r in t.rows if j < len(r)), default=0)
                width = max(min(widest, LABEL_CELLS), 2)
            grid.add_column(label, key=str(j), width=width)
        grid.fixed_columns = pinned
        for r in range(len(t.rows)):
            grid.add_row(*(cell_text(self.state, t, r, c, self.evidence, self.hits) for c in range(t.n_cols)),
                         key=str(r))

    def refresh_cells(self, keys: set[CellKey]) -> None:
        t = self.table
        if t is None or self.state is None:
            return
        for tid, r, c in keys:
            if tid == t.id and r < len(t.rows) and c < t.n_cols:
                self.grid.update_cell_at(Coordinate(r, c), cell_text(self.state, t, r, c, self.evidence, self.hits))

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
        self.grid.move_cursor(row=key[1], column=key[2], scroll=True)
        self.grid.call_after_refresh(self._reveal_column, key[2])
        return True

    def _reveal_column(self, col: int) -> None:
        """Scroll so the column is right of the pinned label columns (DataTable's own scroll ignores them)."""
        grid = self.grid
        widths = [c.get_render_width(grid) for c in grid.ordered_columns]
        if col >= len(widths) or col < grid.fixed_columns:
            return
        pinned = sum(widths[: grid.fixed_columns])
        left = sum(widths[:col])
        right = left + widths[col]
        view = grid.scrollable_content_region.width
        x = grid.scroll_x
        if left - x < pinned:
            x = left - pinned
        elif right - x > view:
            x = right - view
        if x != grid.scroll_x:
            grid.scroll_to(x=max(0, x), animate=False, immediate=True)

    @property
    def cursor_key(self) -> CellKey | None:
        if self.table_id is None or self.table is None or not self.table.rows:
            return None
        c = self.grid.cursor_coordinate
        return (self.table_id, c.row, c.column)

    def step_table(self, delta: int) -> None:
        if self.state is None or not self.state.report.tables:
            return
        tables = self.state.report.tables
        i = (self.state.table_index(self.table_id or "") + delta) % len(tables)
        self.show(tables[i].id)
