"""Cross-table identities: the same quantity printed in two tables must agree. The identities are data
(knowledge/forms.toml [[identity]] kind "equal"); this module finds their cells and compares them.

收支总表 本年收入合计 = 收入决算表 合计; 收支总表 本年支出合计 = 支出决算表 合计; 财政拨款收支总表
一般公共预算 本年支出合计 = 一般公共预算支出表 合计; expense by function class alike across the summary and
detail tables; 一般公共预算支出表 基本支出 = 基本支出表 人员经费合计 + 公用经费合计.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import Finding
from crossfoot.knowledge import load_catalogue, words
from crossfoot.model import Cell, Table
from crossfoot.numbers import Num, classify, fmt, interval_sum
from crossfoot.tables.structure import (
    Row,
    cell_ref,
    column_label,
    compact,
    iter_segments,
    row_text,
    strip_outline,
    table_kind,
)


@dataclass(frozen=True)
class Val:
    table: Table
    row: int
    col: int
    label: str

    @property
    def cell(self) -> Cell:
        return self.table.rows[self.row][self.col]


def _rows(table: Table) -> list[tuple[Row, tuple[int, ...]]]:
    return [(r, seg.value_cols) for _, seg, rows in iter_segments(table) for r in rows]


def _find(table: Table, label_words: tuple[str, ...], col_words: tuple[str, ...] = (), side: str | None = None,
          code: str | None = None) -> Val | None:
    """The first value cell whose row is labelled with one of label_words (or carries code), in the first
    value column whose header holds one of col_words (any column when none given)."""
    for r, cols in _rows(table):
        name = strip_outline(r.name)
        if code is not None:
            if r.code != code:
                continue
        elif not any(name == w or (w.endswith("*") and name.startswith(w[:-1])) for w in label_words):
            continue
        if side is not None and not any(side in column_label(table, j) for j in cols):
            continue
        for j in cols:
            head = compact(column_label(table, j))
            if col_words and not any(w in head for w in col_words):
                continue
            return Val(table, r.index, j, r.label or name)
    return None


def _tables(tables: tuple[Table, ...], kind: str) -> list[Table]:
    return [t for t in tables if table_kind(t) == kind]


def _compare(a: Val, b: list[Val], what: str) -> Finding | None:
    an = a.cell.num
    nums = [v.cell.num for v in b]
    if an is None and all(n is None for n in nums):
        return None
    if an is None:
        return None  # a blank on one side is table_sum's business (missing totals), not a mismatch
    parts: list[Num] = [n for n in nums if n is not None]
    if not parts:
        return None
    exact = sum((p.value for p in parts), Decimal(0))
    iv = interval_sum([p.interval() for p in parts])
    verdict = classify(an, exact, iv)
    other = " + ".join(f"{v.cell.text.strip()} ({v.table.title or v.table.id} {v.label})" for v in b)
    return Finding(
        check="cross_table", severity="medium" if verdict == "inconsistent" else "none", verdict=verdict,
        page=a.cell.page, quote=row_text(a.table.rows[a.row]), stated=a.cell.text.strip(),
        expected=fmt(exact, an.decimals),
        message=f"{what}: {a.cell.text.strip()} ({a.table.title or a.table.id} {a.label}) vs {other}",
        refs=(cell_ref(a.table, a.row, a.col), *(cell_ref(v.table, v.row, v.col) for v in b)))


# A function class (类) is named ...支出 (社会保障和就业支出).
_CLASS_SUFFIX = words("tables.expense_class_suffix")


def _class_rows(table: Table, cols: tuple[str, ...]) -> dict[str, Val]:
    """Function-class (类) rows by name: 社会保障和就业支出 -> its value in the first matching column."""
    out: dict[str, Val] = {}
    for r, vcols in _rows(table):
        if r.code is not None and len(r.code) != 3:
            continue
        if r.code is None and not r.outline:
            continue
        name = strip_outline(r.name)
        if not name.endswith(_CLASS_SUFFIX):
            continue
        for j in vcols:
            head = compact(column_label(table, j))
            if cols and not any(w in head for w in cols):
                continue
            out.setdefault(name, Val(table, r.index, j, r.label))
            break
    return out


def _identities(tables: tuple[Table, ...]) -> Iterator[Finding]:
    """The catalogue's cross-table identities (knowledge/forms.toml, kind "equal"), each on the first
    table of each form it names."""
    for ident in load_catalogue().identities:
        if ident.kind != "equal" or ident.stated is None:
            continue
        st = _tables(tables, ident.stated.form)
        eq = [_tables(tables, x.form) for x in ident.equals]
        if not st or not all(eq):
            continue
        title = compact(eq[0][0].title or "")
        if (ident.when_title and ident.when_title not in title) or (ident.unless_title and ident.unless_title in title):
            continue
        a = _find(st[0], ident.stated.rows, ident.stated.columns)
        parts = [_find(ts[0], x.rows, x.columns) for ts, x in zip(eq, ident.equals, strict=True)]
        if a is not None and all(parts) and (f := _compare(a, [p for p in parts if p is not None], ident.doc)):
            yield f
        if ident.by_class and len(ident.equals) == 1:
            yield from _by_class(eq[0][0], ident.equals[0].columns, st[0], ident.stated.columns, ident.doc)


def _by_class(ta: Table, cols_a: tuple[str, ...], tb: Table, cols_b: tuple[str, ...], what: str) -> Iterator[Finding]:
    a_rows = _class_rows(ta, cols_a)
    for name, v in _class_rows(tb, cols_b).items():
        u = a_rows.get(name)
        if u is None:
            continue
        f = _compare(v, [u], f"{what} ({name})")
        if f is not None:
            yield f


@check("cross_table", family="structural", severity="medium",
       doc="the same quantity agrees across tables (收支总表 vs 收入/支出决算表, 财政拨款 tables, 基本支出)")
def cross_table(ctx: Context) -> Iterable[Finding]:
    yield from _identities(ctx.report.tables)
