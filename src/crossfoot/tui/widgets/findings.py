"""The findings list: one row per finding shown under the current filters, worst verdicts marked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from crossfoot.linebreak import cell_len
from crossfoot.tui.present import RICH_MARK_STYLE, RICH_SEV_STYLE
from crossfoot.tui.state import SYMBOL, ReviewState

SEV_SHORT = {"high": "high", "medium": "med", "low": "low", "none": "-"}
LOW_CONFIDENCE_MARK = "?"  # after the severity: the finding rests on a shaky reading
REVIEW_SYMBOL = {"open": " ", "confirmed": "C", "dismissed": "D"}
VALUE_CELLS = 12  # stated / recomputed words wider than this are cut in the list (the detail pane has them whole)


def fit_value(text: str) -> str:
    """A stated or recomputed value for the list: a value holding a digit is never cut (a number, a date, "全年执行数
    128"); words alone (a 科目 name, "a share of …") are cut to VALUE_CELLS with "…", so one long phrase does not push
    the other columns, numbers among them, out of an 80-column terminal."""
    if cell_len(text) <= VALUE_CELLS or any(ch.isdigit() for ch in text):
        return text
    out, used = "", 0
    for ch in text:
        if used + cell_len(ch) > VALUE_CELLS - 1:
            break
        out, used = out + ch, used + cell_len(ch)
    return out + "…"


class FindingsList(DataTable[Text]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "follow"),
        Binding("j", "cursor_down", "down", show=False),
        Binding("k", "cursor_up", "up", show=False),
        Binding("G", "scroll_bottom", "last", show=False),
    ]

    def __init__(self, **kw: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kw)  # type: ignore[arg-type]
        self.rows_shown: list[int] = []  # finding indices, in display order

    def load(self, state: ReviewState, reviews: Mapping[str, str] | None = None) -> None:
        """(Re)fill from the state's filters, keeping the selected finding selected when still shown."""
        keep = self.selected
        self.clear(columns=True)
        self.add_column(Text(" "), key="mark", width=1)
        self.add_column(Text("R"), key="review", width=1)
        self.add_column(Text("sev"), key="sev", width=5)
        self.add_column(Text("p"), key="page", width=3)
        # Stated and recomputed before the check name: at 80 columns they are what must stay in view.
        self.add_column(Text("stated"), key="stated")
        self.add_column(Text("recomputed"), key="expected")
        self.add_column(Text("check"), key="check")
        self.add_column(Text("quote"), key="quote")
        self.rows_shown = state.visible_findings()
        reviews = reviews or {}
        for i in self.rows_shown:
            f = state.findings[i]
            st = RICH_MARK_STYLE.get(f.verdict, "")
            # A low-confidence finding reads "med?" and is dimmed: sure problems stand out above it.
            low = f.confidence == "low"
            sev = SEV_SHORT.get(f.severity, f.severity) + (LOW_CONFIDENCE_MARK if low else "")
            self.add_row(
                Text(SYMBOL.get(f.verdict, "·"), style=st),
                Text(REVIEW_SYMBOL.get(reviews.get(f.key, "open"), " ")),
                Text(sev, style="dim" if low else RICH_SEV_STYLE.get(f.severity, "")),
                Text(str(f.page or "")),
                Text(fit_value(f.stated), style=st),
                Text(fit_value(f.expected)),
                Text(f.check, style="dim" if low else ""),
                Text(" ".join(f.quote.split())[:60], no_wrap=True),
                key=str(i),
            )
        if keep in self.rows_shown:
            self.select(keep)

    @property
    def selected(self) -> int | None:
        if not self.rows_shown or not (0 <= self.cursor_row < len(self.rows_shown)):
            return None
        return self.rows_shown[self.cursor_row]

    def select(self, i: int) -> bool:
        if i not in self.rows_shown:
            return False
        self.move_cursor(row=self.rows_shown.index(i), scroll=True)
        # Right after a reload the rows are measured only on idle, so scroll again once laid out.
        self.call_after_refresh(self._scroll_cursor_into_view)
        return True
