"""Figure <-> table cell matching."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import pairwise
from typing import Literal

from crossfoot.findings import CellRef
from crossfoot.knowledge import pattern, words
from crossfoot.model import Cell, Report, Table
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import MONEY_UNITS, Interval, Num, same_amount
from crossfoot.tables.labels import code_of, norm_label, similarity

_TOTAL_ROW = pattern("links.total_row_label")
_UNIT_IN_HEADER = pattern("links.unit_in_header")
# What a column must be about for each relation of a figure.
_COL_FOR: dict[str | None, re.Pattern[str]] = {
    "budget": pattern("links.budget_column"),
    "actual": pattern("links.actual_column"),
    None: pattern("links.amount_column"),
}


@dataclass(frozen=True)
class Match:
    figure: int  # Figure.index
    best: CellRef
    score: float  # 0..100
    runners_up: tuple[tuple[CellRef, float], ...] = ()
    value_equal: bool = True  # the best cell holds the figure's value (within printed precision)
    label_score: float = 0.0  # how well the best cell's row/column names the figure's label

    @property
    def state(self) -> LinkState:
        return "holds" if self.value_equal else "differs"


LinkState = Literal["holds", "differs", "unlinked"]


def link_state(m: Match | None) -> LinkState:
    """A figure's link in three states: unlinked figures are never shown as holding."""
    return "unlinked" if m is None else m.state


@dataclass(frozen=True)
class IndexedCell:
    ref: CellRef
    num: Num  # in 元 for money tables, as printed otherwise
    money: bool
    names: tuple[str, ...]  # what the cell is called: row label, row+column, column for total rows
    table_title: str
    column_path: tuple[str, ...]


def table_unit(report: Report, table: Table, j: int) -> str | None:
    for h in table.column_path(j):
        if m := _UNIT_IN_HEADER.search(h):
            return m.group(1)
    if table.unit in MONEY_UNITS:
        return table.unit
    return report.unit if report.unit in MONEY_UNITS else None


class MatchMemo:
    """What matching works out once per report: the cell index, its intervals, label scores and
    candidates. One lives on each analysis context (Context.match_memo), so nothing outlives a report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.label_scores: dict[tuple[str, str | None, str, bool], list[float | None]] = {}
        self.candidates: dict[tuple[int, str, float], list[tuple[IndexedCell, float, bool]]] = {}

    @cached_property
    def cells(self) -> list[IndexedCell]:
        return _build_index(self.report)

    @cached_property
    def intervals(self) -> list[Interval]:
        return [c.num.interval() for c in self.cells]


def memo_of(src: Report | MatchMemo) -> MatchMemo:
    """The memo to use: a bare report gets a fresh one (nothing cached across calls)."""
    return src if isinstance(src, MatchMemo) else MatchMemo(src)


def cell_index(src: Report | MatchMemo) -> list[IndexedCell]:
    """Every numeric table cell of the report (pass the context's memo to build it once)."""
    return memo_of(src).cells


def _build_index(report: Report) -> list[IndexedCell]:
    out: list[IndexedCell] = []
    for t in report.tables:
        title = t.title or ""
        head = _header_rows_in_body(t)
        paths = _paths_with_body_header(t, head)
        numbering = _row_number_columns(t)
        for i, row in enumerate(t.rows):
            if i < head:
                continue
            whole_label = t.row_label(i)
            for j, c in enumerate(row):
                if j in numbering:
                    continue
                n = c.num
                if n is None or n.unit == "%":
                    continue
                if code_of(c.text) and c.text.strip() in whole_label:
                    continue  # the row's code, not a quantity
                rlabel = _left_label(row, j) or whole_label
                total_row = bool(_TOTAL_ROW.match(norm_label(rlabel) or rlabel.replace(" ", "")))
                col = "/".join(paths[j]) if j < len(paths) else ""
                if _NOT_QUANTITY_COLUMN.search(paths[j][-1] if j < len(paths) and paths[j] else ""):
                    continue
                unit = table_unit(report, t, j)
                money = unit is not None and not _NOT_MONEY_COLUMN.search(col) and not _COUNT_TEXT.search(c.text) \
                    and not _COUNT_ROW.search(rlabel)
                num = Num(n.value, n.decimals, c.text, unit).in_unit("元") if money and unit else n
                leaf = paths[j][-1] if j < len(paths) and paths[j] else ""
                names = [rlabel, f"{rlabel}{leaf}"]
                if total_row or not rlabel:
                    names += [leaf, col, f"{title}{leaf}"]
                ref = CellRef(t.id, i, j, rlabel, col, c.text, c.page)
                out.append(IndexedCell(ref, num, money, tuple(x for x in names if x), title,
                                       paths[j] if j < len(paths) else ()))
    return out


_FUND_IN_LABEL = pattern("links.fund_in_label")
_FUND_NAMES = pattern("links.fund_budget")
_NOT_QUANTITY_COLUMN = pattern("links.not_quantity_column")
_NOT_MONEY_COLUMN = pattern("links.not_money_column")
# Count rows inside money tables: "国内公务接待批次（个）", "公务用车保有量（辆）".
_COUNT_ROW = pattern("links.count_row")
_COUNT_TEXT = pattern("links.count_text")


def is_fiscal(text: str) -> bool:
    """The text names the 财政拨款 scope."""
    return any(w in text for w in words("scope.fiscal"))


def _is_column_numbering(row: tuple[Cell, ...]) -> bool:
    """A 栏次 row: 1, 2, 3 ... across the columns."""
    vals = [c.num.value for c in row if c.num is not None]
    return len(vals) >= 3 and all(b - a == 1 for a, b in pairwise(vals)) and vals[0] in (0, 1)


def _header_rows_in_body(t: Table) -> int:
    """How many leading body rows are really header rows (all text, or a 栏次 numbering row)."""
    h = 0
    for row in t.rows[:4]:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if not texts:
            break
        if all(c.num is None for c in row if c.text.strip()) or _is_column_numbering(row):
            h += 1
            continue
        break
    return h if h < len(t.rows) else 0


def _paths_with_body_header(t: Table, head: int) -> list[tuple[str, ...]]:
    paths = [list(t.column_path(j)) for j in range(t.n_cols)]
    for r in range(head):
        row = t.rows[r]
        if _is_column_numbering(row):
            continue
        last = ""
        for j in range(min(len(row), t.n_cols)):
            txt = row[j].text.strip()
            below = r + 1 < head and j < len(t.rows[r + 1]) and t.rows[r + 1][j].text.strip()
            # A blank under a merged header cell belongs to the header on its left.
            if not txt and below:
                txt = last
            if txt:
                last = txt
                if not paths[j] or paths[j][-1] != txt:
                    paths[j].append(txt)
    return [tuple(p) for p in paths]


def _row_number_columns(t: Table) -> set[int]:
    """Columns that number the rows (行次 1, 2, 3...), whatever their header says."""
    out: set[int] = set()
    for j in range(t.n_cols):
        texts = [r[j].text.strip() for r in t.rows if j < len(r)]
        if any(x in words("links.line_number_heads") for x in texts):
            out.add(j)
            continue
        vals = [r[j].num for r in t.rows if j < len(r) and r[j].num is not None]
        ints = [v.value for v in vals if v is not None and v.value == int(v.value)]
        if len(ints) >= 3 and len(ints) == len(vals) and all(b - a == 1 for a, b in pairwise(ints)):
            out.add(j)
    return out


@lru_cache(maxsize=65536)
def is_budget_column(col: str) -> bool:
    """A budget (预算数) column; fund names such as 一般公共预算财政拨款 do not make one."""
    c = _FUND_NAMES.sub("", col)
    return any(w in c for w in words("links.budget_mark")) and not any(w in c for w in words("links.actual_mark"))


def _left_label(row: tuple[Cell, ...], j: int) -> str:
    """The label nearest to the left of column j: side-by-side tables (收入 | 支出) carry one per half."""
    k = j - 1
    while k >= 0 and (not row[k].text.strip() or row[k].text.strip() in ("——", "—", "-")
                      or (row[k].num is not None and not code_of(row[k].text))):
        k -= 1
    if k < 0:
        return ""
    name = row[k].text.strip()
    if k > 0 and code_of(row[k - 1].text) and row[k - 1].text.strip().isdigit():
        return f"{row[k - 1].text.strip()} {name}"
    return name


def figure_amount(fig: Figure) -> Interval:
    n = fig.yuan() if fig.is_money else fig.num
    return n.interval()


@lru_cache(maxsize=65536)
def _column_fits(relation: str | None, col: str) -> bool:
    """The column's wording suits the figure's relation (memoised: the same columns recur per figure)."""
    return bool(_COL_FOR.get(relation, _COL_FOR[None]).search(col))


@lru_cache(maxsize=65536)
def _fund_named(fig_label: str) -> str | None:
    fund = _FUND_IN_LABEL.search(fig_label)
    return fund.group(0) if fund else None


def label_score(fig_label: str, cell: IndexedCell, relation: str | None = None, context: str = "") -> float:
    return _score(fig_label, code_of(fig_label), _fund_named(fig_label), cell, relation, is_fiscal(context))


def _score(fig_label: str, code: str | None, fund: str | None, cell: IndexedCell, relation: str | None,
           fiscal: bool) -> float:
    """label_score with what depends on the figure's label alone worked out once by the caller."""
    s = 0.0
    for n in cell.names:
        v = similarity(fig_label, n)
        if v > s:
            s = v
    if code and code_of(cell.ref.label) == code:
        s = max(s, 95.0)
    col = cell.ref.column
    leaf = cell.column_path[-1] if cell.column_path else ""
    named_by_column = bool(leaf) and leaf in cell.names and similarity(fig_label, leaf) >= s - 1e-9
    # A column that names the figure itself (合计 row, 基本支出 column) needs no 决算/金额 wording.
    if col and not named_by_column and not _column_fits(relation, col):
        s -= 15
    if relation is None and is_budget_column(col):
        s -= 10
    # A label naming a fund (政府性基金预算项目支出) cannot be a cell of a table about another fund.
    if fund and fund not in cell.table_title + col:
        s -= 30
    # A 财政拨款 paragraph speaks of the 财政拨款 tables; the all-funds tables hold other values.
    if fiscal and cell.table_title:
        s += 5 if is_fiscal(cell.table_title) else -5
    return s


def candidates(src: Report | MatchMemo, fig: Figure, context: str = "", min_label: float = 50.0
               ) -> list[tuple[IndexedCell, float, bool]]:
    """Cells that could hold the figure: (cell, label score, value equal), best first."""
    memo = memo_of(src)
    # Several checks ask about the same figure; the answer depends only on these.
    scope = words("scope.fiscal")[0] if is_fiscal(context) else ""
    key = (fig.index, scope, min_label)
    found = memo.candidates.get(key)
    if found is None:
        found = _candidates(memo, fig, scope, min_label)
        memo.candidates[key] = found
    return found


def _candidates(memo: MatchMemo, fig: Figure, context: str, min_label: float
                ) -> list[tuple[IndexedCell, float, bool]]:
    want = figure_amount(fig)
    out: list[tuple[IndexedCell, float, bool]] = []
    money = fig.is_money
    scores = label_scores(memo, fig.label, fig.relation, context, money) if fig.label else None
    for k, (c, iv) in enumerate(zip(memo.cells, memo.intervals, strict=True)):
        if c.money != money:
            continue
        eq = same_amount(iv, want)
        ls = scores[k] if scores is not None else 0.0
        if ls is None:
            # Not scored: no name of the cell shares a character with the label (NAMELESS_MAX at most).
            if not eq and min_label > NAMELESS_MAX:
                continue
            ls = _score(fig.label, code_of(fig.label), _fund_named(fig.label), c, fig.relation, is_fiscal(context))
        if eq or ls >= min_label:
            out.append((c, ls, eq))
    out.sort(key=lambda x: -(x[1] + (50 if x[2] else 0)))
    return out


def label_scores(memo: MatchMemo, label: str, relation: str | None, context: str, money: bool
                 ) -> list[float | None]:
    """label_score of the label against every cell of the index of the given kind (0.0 for the others),
    computed once per report: figures of one label and relation ask for the same scores. None for a cell
    none of whose names shares a character with the label and whose code is not the label's: it scores
    NAMELESS_MAX at most, and most cells of a report are such cells for any one label."""
    key = (label, relation, context, money)
    got = memo.label_scores.get(key)
    if got is None:
        code, fund, fiscal = code_of(label), _fund_named(label), is_fiscal(context)
        mine = label_chars(label)
        got = [(_score(label, code, fund, c, relation, fiscal)
                if not mine.isdisjoint(names_chars(c.names)) or (code and code_of(c.ref.label) == code) else None)
               if c.money == money else 0.0 for c in memo.cells]
        memo.label_scores[key] = got
    return got


# What _score gives a cell none of whose names shares a character with the label, its code aside: every
# similarity is 0 then (it needs a character in common), and only the 财政拨款 paragraph's +5 is left.
NAMELESS_MAX = 5.0


@lru_cache(maxsize=65536)
def label_chars(label: str) -> frozenset[str]:
    """The characters a label is compared by (similarity compares norm_label forms)."""
    return frozenset(norm_label(label))


@lru_cache(maxsize=65536)
def names_chars(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(ch for n in names for ch in norm_label(n))
