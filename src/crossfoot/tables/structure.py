"""Table semantics: what a table is, which columns hold labels and values, and how its rows nest.

Disclosure tables are recognised as the standard forms of the catalogue (crossfoot.knowledge), rows by their label: a 类/款/项 function or economic classification code, an outline
number (一、 （一） 1. （1）), or a total word (合计/总计/小计).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from crossfoot.findings import CellRef
from crossfoot.knowledge import words
from crossfoot.knowledge.recognise import form_id
from crossfoot.memo import by_identity
from crossfoot.model import Cell, Table

# Quoting helpers moved to crossfoot.narrative.quoting; re-exported for the modules that still import them here.
from crossfoot.narrative.quoting import clause_around as clause_around
from crossfoot.narrative.quoting import clauses_quote as clauses_quote
from crossfoot.narrative.quoting import sentence_around as sentence_around
from crossfoot.numbers import EMPTY_MARKS, normalize_text, parse_number

TOTAL_WORDS = words("rows.total")
CAPTION_WORDS = words("rows.caption")
BREAKDOWN = words("rows.breakdown")
_SKIP_HEADER = words("links.skip_header")
_CODE_HEADER = words("links.code_header")
_CODE_PARTS = frozenset(words("rows.subject_levels"))
_CODE_RE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?!\d)\s*(.*)$")
# Chinese numerals of an outline (一、 （二）): number syntax, like the digits of 1. and (1).
_CN_NUM = "一二三四五六七八九十百"
_OUTLINE: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUM}]+[、.．]")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d{1,2}[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
)
_UNIT_PAREN = re.compile(r"[（(]([^()（）]{1,4})[）)]\s*$")


def compact(s: str) -> str:
    return normalize_text(s)


def outline_level(label: str) -> int:
    """1 for 一、, 2 for （一）, 3 for 1., 4 for （1）, 5 for ①; 0 when the label is not numbered."""
    s = compact(label)
    for level, pat in _OUTLINE:
        if pat.match(s):
            return level
    return 0


def strip_outline(label: str) -> str:
    s = compact(label)
    for _, pat in _OUTLINE:
        m = pat.match(s)
        if m:
            return s[m.end():]
    return s


def is_total_label(label: str) -> bool:
    s = strip_outline(label)
    return any(w in s for w in TOTAL_WORDS) and not s.startswith(BREAKDOWN)


def label_unit(label: str) -> str | None:
    """The unit a row label names in trailing parentheses: 车辆数（辆） -> 辆."""
    m = _UNIT_PAREN.search(compact(label))
    return m.group(1) if m else None


def table_kind(table: Table) -> str | None:
    """The id of the standard form (knowledge/forms.toml) the table's title names, or None."""
    return form_id(table)


def is_blank(cell: Cell) -> bool:
    return compact(cell.text) == ""


def is_dash(cell: Cell) -> bool:
    """A dash or other not-applicable mark: the cell has no value, not a zero."""
    t = compact(cell.text)
    return t != "" and t in EMPTY_MARKS


def row_text(cells: tuple[Cell, ...] | list[Cell]) -> str:
    """A row as printed: its non-empty cell texts joined by spaces, cut to a quote's length."""
    return " ".join(c.text.strip() for c in cells if c.text.strip())[:120]


@dataclass(frozen=True)
class Segment:
    """One side of a table printed side by side (收入 | 支出, or the three 经济分类 bands of 06)."""

    label_cols: tuple[int, ...]
    value_cols: tuple[int, ...]


@dataclass(frozen=True)
class Row:
    table: Table
    index: int  # body row index
    segment: int
    value_cols: tuple[int, ...]  # the value columns of its segment, in order
    code: str | None  # classification code, joined when printed over 类/款/项 columns
    name: str  # label text without code, compacted
    label: str  # label as printed (code and name)
    outline: int  # outline numbering level, 0 when none

    @property
    def is_total(self) -> bool:
        return self.code is None and is_total_label(self.name)


_HEADS: dict[int, tuple[Table, Table, int]] = {}


def header_depth(table: Table) -> int:
    """Leading body rows that are really header rows (column titles, the 栏次 1 2 3 row): ingest
    sometimes leaves the lower header rows of a complex header in the body."""
    return by_identity(table, ("header_depth",), lambda: _header_depth(table))


def _header_depth(table: Table) -> int:
    k = 0
    for cells in table.rows:
        texts = [compact(c.text) for c in cells]
        filled = [t for t in texts if t]
        if not filled:
            break
        if _is_line_number_row(texts):
            k += 1
            continue
        first = filled[0]
        if outline_level(first) or _code_like(first) or any(parse_number(t) is not None for t in filled):
            break
        if is_total_label(first) and len(filled) == 1:
            break
        k += 1
    return k if k < len(table.rows) else 0


def ext(table: Table) -> Table:
    """The table with its header-like leading body rows moved into the header (for column labels and
    the header tree only: body row indices stay those of the table as ingested)."""
    hit = _HEADS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    k = header_depth(table)
    head = _without_captions(table.header)
    if k == 0 and head == table.header:
        e = table
    elif k == 0:
        e = Table(table.id, table.code, table.title, table.unit, table.pages, head, table.rows, table.bbox,
                  table.notes)
    else:
        promoted: list[tuple[str, ...]] = []
        raw = [[c.text.strip() for c in r] for r in table.rows[:k]]
        for n, row in enumerate(raw):
            filled = list(row)
            below = raw[n + 1] if n + 1 < len(raw) else None
            for j in range(1, len(filled)):
                # A blank over a labelled column is the right part of a merged cell.
                if not filled[j] and below is not None and below[j] and not _is_line_number_row(below):
                    filled[j] = filled[j - 1]
            promoted.append(tuple(filled))
        e = Table(table.id, table.code, table.title, table.unit, table.pages,
                  (*head, *promoted), table.rows[k:], table.bbox, table.notes)
    if len(_HEADS) > 512:
        _HEADS.clear()  # a batch run parses report after report: keep the cache from growing with them
    _HEADS[id(table)] = (table, e, k)
    return e


def _without_captions(header: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The header without its caption rows (部门：… 单位：万元): their merged cells are not column groups and
    would cut the column tree where they end. Kept when nothing else would be left."""
    caps = CAPTION_WORDS
    kept = tuple(row for row in header if not any(c.strip().startswith(caps) for c in row))
    return kept if kept else header


def _code_like(t: str) -> bool:
    return t.isdigit() and len(t) in (3, 5, 7) and t[0] in "123456789"


def column_kinds(table: Table) -> list[str]:
    """Each column as 'label', 'value' or 'skip' (行次/栏次 line numbers), read from its cells first:
    header paths carry the 栏次 row's labels on every column."""
    return list(by_identity(table, ("column_kinds",), lambda: tuple(_column_kinds(table))))


def _column_kinds(table: Table) -> list[str]:
    kinds: list[str] = []
    for j in range(table.n_cols):
        path = [compact(p) for p in ext(table).column_path(j)]
        head = "".join(path)
        cells = [compact(r[j].text) for r in table.rows[header_depth(table):] if j < len(r) and not is_blank(r[j])]
        nums = [c for c in cells if parse_number(c) is not None or c in EMPTY_MARKS]
        n_text = len(cells) - len(nums)
        n_code = sum(1 for c in cells if _code_like(c))
        code_head = any(w in head for w in words("links.code_column_heads")) or (path and path[-1] in _CODE_PARTS)
        digits_only = all(c.isdigit() for c in cells if c not in EMPTY_MARKS and parse_number(c) is not None)
        code_col = digits_only and n_code * 5 >= len(cells) * 4 and (code_head or not head)
        part_col = digits_only and bool(path) and path[-1] in _CODE_PARTS
        if (cells and code_col) or part_col or (cells and n_text * 2 > len(cells)):
            kinds.append("label")
        elif not cells and (not head or (j and path == [compact(p) for p in ext(table).column_path(j - 1)])):
            kinds.append("spill")
        elif _line_numbers(cells, any(w in head for w in _SKIP_HEADER)):
            kinds.append("skip")
        else:
            kinds.append("value")
    # A column no row fills, untitled or under the title of the column to its left, between two label
    # columns is the spill of a merged cell: taking it for values would cut a code column from its names.
    for j, k in enumerate(kinds):
        if k == "spill":
            nxt = next((x for x in kinds[j + 1:] if x != "spill"), "")
            kinds[j] = "skip" if j and kinds[j - 1] == "label" and nxt == "label" else "value"
    return kinds


def _line_numbers(cells: list[str], headed: bool) -> bool:
    """行次/栏次 columns: whole numbers counting up (27, 28, 29 or 58.00, 59.00)."""
    vals: list[int] = []
    for c in cells:
        n = parse_number(c)
        if n is None or n.value != n.value.to_integral_value() or n.unit is not None:
            return False
        vals.append(int(n.value))
    if not vals or any(b <= a for a, b in pairwise(vals)):
        return False
    if headed:
        return True
    steps = [b - a for a, b in pairwise(vals)]
    return len(vals) >= 4 and sum(1 for x in steps if x == 1) * 5 >= len(steps) * 4


def segments(table: Table) -> list[Segment]:
    return list(by_identity(table, ("segments",), lambda: tuple(_segments(table))))


def _segments(table: Table) -> list[Segment]:
    kinds = column_kinds(table)
    segs: list[Segment] = []
    labels: list[int] = []
    values: list[int] = []
    for j, k in enumerate(kinds):
        if k == "label":
            if values:
                segs.append(Segment(tuple(labels), tuple(values)))
                labels, values = [], []
            labels.append(j)
        elif k == "value":
            values.append(j)
    if labels or values:
        segs.append(Segment(tuple(labels), tuple(values)))
    return [s for s in segs if s.value_cols]


def _is_line_number_row(cells: list[str]) -> bool:
    if any(w in c for c in cells for w in words("links.numbering_row")):
        return True
    nums = [c for c in cells if c]
    return len(nums) >= 3 and all(c.isdigit() for c in nums) and [int(c) for c in nums] == list(
        range(int(nums[0]), int(nums[0]) + len(nums)))


def segment_rows(table: Table, seg_index: int, seg: Segment, segs: list[Segment] | None = None) -> list[Row]:
    """The segment's body rows with code, name and outline level; header-like rows left out.

    A bottom row printed as "人员经费合计 702.01 公用经费合计 [blank...] 62.87" puts a band's total under
    another band's label: a value row with no label of its own takes the nearest label to its left
    whose band shows no value, and that label's own band drops it.
    """
    all_segs = segs if segs is not None else [seg]
    key = ("segment_rows", seg_index, seg, tuple(all_segs))
    return list(by_identity(table, key, lambda: tuple(_segment_rows(table, seg_index, seg, all_segs))))


def _segment_rows(table: Table, seg_index: int, seg: Segment, segs: list[Segment]) -> list[Row]:
    out: list[Row] = []
    for i in range(header_depth(table), len(table.rows)):
        cells = table.rows[i]
        texts = [compact(cells[j].text) for j in seg.label_cols if j < len(cells)]
        vals = [compact(cells[j].text) for j in seg.value_cols if j < len(cells)]
        if _is_line_number_row(texts + vals):
            continue
        code, name = _split_code(table, seg, cells)
        label = " ".join(cells[j].text.strip() for j in seg.label_cols if j < len(cells) and cells[j].text.strip())
        if not label and any(vals):
            lent = _lent_label(table, i, seg_index, segs)
            if lent is not None:
                code, name = _split_code(table, segs[lent], cells)
                label = " ".join(cells[j].text.strip() for j in segs[lent].label_cols if cells[j].text.strip())
        elif label and not any(vals) and _borrower(table, i, seg_index, segs) is not None:
            continue
        if not label and all(v == "" for v in vals):
            continue
        out.append(Row(table, i, seg_index, seg.value_cols, code, name, label, outline_level(name)))
    return out


def _has_label(table: Table, i: int, seg: Segment) -> bool:
    return any(compact(table.rows[i][j].text) for j in seg.label_cols)


def _has_values(table: Table, i: int, seg: Segment) -> bool:
    return any(compact(table.rows[i][j].text) for j in seg.value_cols)


def _lent_label(table: Table, i: int, s: int, segs: list[Segment]) -> int | None:
    for k in range(s - 1, -1, -1):
        if _has_label(table, i, segs[k]):
            return k if not _has_values(table, i, segs[k]) else None
    return None


def _borrower(table: Table, i: int, s: int, segs: list[Segment]) -> int | None:
    for k in range(s + 1, len(segs)):
        if _has_label(table, i, segs[k]):
            return None
        if _has_values(table, i, segs[k]):
            return k
    return None


def _split_code(table: Table, seg: Segment, cells: tuple[Cell, ...]) -> tuple[str | None, str]:
    code = ""
    names: list[str] = []
    for j in seg.label_cols:
        if j >= len(cells):
            continue
        t = compact(cells[j].text)
        if not t:
            continue
        path = ext(table).column_path(j)
        part = compact(path[-1]) if path else ""
        first = code == "" and len(t) in (3, 5, 7)
        more = code != "" and len(t) == 2 and part in words("rows.subject_levels")[1:]  # 款, 项
        if not names and t.isdigit() and (first or more):
            code += t
            continue
        if not names and not code:
            m = _CODE_RE.match(t)
            if m and m.group(2) and not m.group(2)[0].isdigit():
                code, t = m.group(1), m.group(2)
        names.append(t)
    return (code or None), "".join(names)


def code_levels(rows: list[Row]) -> list[int]:
    """Hierarchy level of each row: 1 类, 2 款, 3 项 by code length; 0 without a code.

    A 项 printed with its 款 code only (names truncated, code cut to 5 digits) repeats the 款's code:
    a repeat right under its parent is one level deeper.
    """
    levels: list[int] = []
    last_at: dict[str, int] = {}
    for r in rows:
        if r.code is None:
            levels.append(0)
            continue
        lv = (len(r.code) - 1) // 2
        if r.code in last_at:
            lv = last_at[r.code] + 1
        else:
            last_at[r.code] = lv
        levels.append(lv)
    return levels


def bands(table: Table) -> list[list[Row]]:
    """Row lists to read hierarchies from. Side-by-side bands with the same value columns continue one
    another (06's 经济分类 bands carry 302's items over into the next band), so they are read as one
    list; sides of different shapes (04: 收入 one column, 支出 four) or headings (本年收入 | 本年支出) stay
    apart."""
    per_seg = [rows for _, _, rows in iter_segments(table)]
    segs = segments(table)
    coded = all(any(r.code is not None for r in rows) for rows in per_seg)
    if len(segs) > 1 and (len({len(s.value_cols) for s in segs}) == 1 or coded):
        # Only bands under one group label continue each other: 收入 | 支出 (本年收入 | 本年支出) are two
        # lists whose totals each sum their own side.
        out: list[list[Row]] = []
        prev: str | None = None
        for k, (seg, rows) in enumerate(zip(segs, per_seg, strict=True)):
            top = _group_label(table, seg)
            if k and top == prev:
                out[-1].extend(rows)
            else:
                out.append(list(rows))
            prev = top
        return out
    return per_seg


def _group_label(table: Table, seg: Segment) -> str:
    """The header labels over a band's value columns above their own column labels (人员经费 |
    公用经费, 收入 | 支出, 支出/功能分类 | 支出/支出用途); "" without a group row."""
    paths = [ext(table).column_path(j) for j in seg.value_cols]
    tops = {"/".join(compact(x) for x in p[:-1]) for p in paths if len(p) > 1}
    return tops.pop() if len(tops) == 1 else ""


def cell_ref(table: Table, i: int, j: int, label: str | None = None) -> CellRef:
    c = table.rows[i][j]
    return CellRef(table.id, i, j, label if label is not None else table.row_label(i),
                   column_label(table, j), c.text.strip(), c.page)


def column_label(table: Table, j: int) -> str:
    return ext(table).column_label(j)


def iter_segments(table: Table) -> Iterator[tuple[int, Segment, list[Row]]]:
    segs = segments(table)
    for s, seg in enumerate(segs):
        yield s, seg, segment_rows(table, s, seg, segs)
