"""Cross-table identities: the same quantity printed in two tables must agree.

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
from crossfoot.model import Cell, Table
from crossfoot.numbers import Num, classify, fmt, interval_sum
from crossfoot.structure import (
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


def _class_rows(table: Table, cols: tuple[str, ...]) -> dict[str, Val]:
    """Function-class (类) rows by name: 社会保障和就业支出 -> its value in the first matching column."""
    out: dict[str, Val] = {}
    for r, vcols in _rows(table):
        if r.code is not None and len(r.code) != 3:
            continue
        if r.code is None and not r.outline:
            continue
        name = strip_outline(r.name)
        if not name.endswith("支出"):
            continue
        for j in vcols:
            head = compact(column_label(table, j))
            if cols and not any(w in head for w in cols):
                continue
            out.setdefault(name, Val(table, r.index, j, r.label))
            break
    return out


def _identities(tables: tuple[Table, ...]) -> Iterator[Finding]:
    summary = _tables(tables, "total")
    income = _tables(tables, "income")
    expense = _tables(tables, "expense")
    fiscal = _tables(tables, "fiscal_total")
    gp = _tables(tables, "gp_expense")
    basic = _tables(tables, "gp_basic")
    total_words = ("合计", "总计")
    if summary and income:
        a = _find(summary[0], ("本年收入合计",))
        b = _find(income[0], total_words, ("合计", "本年收入"))
        if a and b and (f := _compare(b, [a], "收入决算表 合计 = 收支总表 本年收入合计")):
            yield f
    if summary and expense:
        a = _find(summary[0], ("本年支出合计",))
        b = _find(expense[0], total_words, ("合计", "本年支出"))
        if a and b and (f := _compare(b, [a], "支出决算表 合计 = 收支总表 本年支出合计")):
            yield f
        yield from _by_class(summary[0], (), expense[0], ("合计", "本年支出"), "支出决算表 = 收支总表")
    if fiscal and gp:
        a = _find(fiscal[0], ("本年支出合计",), ("一般公共预算",))
        b = _find(gp[0], total_words, ("合计", "本年支出"))
        if a and b and (f := _compare(b, [a], "一般公共预算支出表 合计 = 财政拨款收支总表 一般公共预算 本年支出合计")):
            yield f
        yield from _by_class(fiscal[0], ("一般公共预算",), gp[0], ("合计", "本年支出"),
                             "一般公共预算支出表 = 财政拨款收支总表")
    if gp and basic:
        # A 基本支出 table splits 基本支出; a 明细表 (人员经费 / 公用经费 of all spending) splits the total.
        basic_only = "基本支出" in compact(basic[0].title or "")
        a = _find(gp[0], total_words, ("基本支出",) if basic_only else ("合计", "本年支出"))
        p1 = _find(basic[0], ("人员经费合计", "人员经费"))
        p2 = _find(basic[0], ("公用经费合计", "公用支出合计", "公用经费"))
        if a and p1 and p2 and (f := _compare(
                a, [p1, p2], f"{'基本支出' if basic_only else '合计'} = 人员经费合计 + 公用经费合计")):
            yield f


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
