"""What the narrative evaluations and checks share: finding construction, rate arithmetic, table look-ups."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot.findings import CellRef, Finding, Severity
from crossfoot.knowledge import budget_period
from crossfoot.matching.match import IndexedCell, cell_index, is_budget_column, label_score
from crossfoot.narrative.figures import Figure, quote_around
from crossfoot.numbers import Interval, Num, Verdict, classify, fmt

if TYPE_CHECKING:
    # Annotations only: the context imports the evaluations lazily, so a runtime import would be a cycle.
    from crossfoot.checks.context import Context

HUNDRED = Decimal(100)


def amount(f: Figure) -> Num:
    """Money in 元 (precision kept), anything else as printed."""
    return f.yuan() if f.is_money else f.num


def show(f: Figure) -> str:
    return f.text.replace(" ", "").replace("\u3000", "")


def finding(ctx: Context, check: str, fig: Figure, verdict: Verdict, severity: Severity, expected: str,
            message: str, refs: tuple[CellRef, ...] = (), stated: str | None = None) -> Finding:
    return Finding(
        check=check, severity=severity if verdict == "inconsistent" else "none", verdict=verdict,
        page=fig.page, quote=quote_around(fig, ctx.report), stated=stated or show(fig), expected=expected,
        message=message, refs=refs)


def rate_verdict(stated: Num, part: Num, whole: Num) -> tuple[Verdict, Decimal, Interval] | None:
    """stated % against part / whole; None when the whole may be zero (the caller reports the zero base)."""
    w = whole.interval()
    if w.contains(Decimal(0)) or whole.value == 0:
        return None
    exact = part.value / whole.value * HUNDRED
    iv = (part.interval() / w).scale(HUNDRED)
    return classify(stated, exact, iv), exact, iv


def pct_text(v: Decimal, decimals: int) -> str:
    return fmt(v, decimals) + "%"


def n(x: Num) -> str:
    """A printed amount for a message, in its own unit."""
    return x.text.replace(" ", "") if x.text else str(x)


def table_value(ctx: Context, label: str, context: str = "", min_score: float = 85.0
                ) -> tuple[IndexedCell, float] | None:
    """The money cell a label names best (total rows and column headers count as names)."""
    best: tuple[IndexedCell, float] | None = None
    for c in cell_index(ctx.match_memo):
        if not c.money:
            continue
        s = label_score(label, c, None, context)
        if s >= min_score and (best is None or s > best[1]):
            best = (c, s)
    return best


def same_row_budget(ctx: Context, ref: CellRef, want: str) -> tuple[IndexedCell, bool] | None:
    """The budget cell on the row of an actual-spending cell; want 'original' (年初) or 'whole' (全年)."""
    row = [c for c in cell_index(ctx.match_memo) if c.ref.table == ref.table and c.ref.row == ref.row]
    budgets = [c for c in row if is_budget_column(c.ref.column)]
    if not budgets:
        return None
    # The budget column of the same item: 决算数/公务用车运行维护费 -> 预算数/公务用车运行维护费.
    same_item = [c for c in budgets if c.column_path[1:] and c.column_path[1:] == _path_of(ctx, ref)[1:]]
    if same_item:
        budgets = same_item
    pick = [c for c in budgets if budget_period(c.ref.column) == want] if want else []
    if pick:
        return pick[0], True
    return budgets[0], not want


def _path_of(ctx: Context, ref: CellRef) -> tuple[str, ...]:
    for c in cell_index(ctx.match_memo):
        if c.ref == ref:
            return c.column_path
    return ()


def context_text(ctx: Context, fig: Figure) -> str:
    """The figure's block and the one before it: enough to know whether a paragraph is about 财政拨款."""
    blocks = ctx.report.blocks
    prev = blocks[fig.block - 1].text if fig.block > 0 else ""
    return prev[-200:] + blocks[fig.block].text


def blame_operands(ctx: Context, f: Finding, figures: tuple[Figure, ...]) -> Finding:
    """A relation computed from a figure its own table cell contradicts says so, names that figure and its
    cell, and quotes the figures it is about (a quote that misses one is widened to their clauses)."""
    from dataclasses import replace

    from crossfoot.tables.structure import clauses_quote

    figs = [g for g in figures if g is not None]
    notes: list[str] = []
    refs = list(f.refs)
    for g in figs:
        m = ctx.matches.get(g.index)
        if m is not None and not m.value_equal and g.text.replace(" ", "") != f.stated:
            notes.append(f"computed from {show(g)} (p{g.page}), which the table contradicts: "
                         f"{m.best.label} / {m.best.column} = {m.best.value}")
            if m.best not in refs:
                refs.append(m.best)
    quote = f.quote
    norm_quote = quote.replace(" ", "")
    if any(show(g) not in norm_quote for g in figs):
        blocks = {g.block for g in figs}
        if len(blocks) == 1:
            text = ctx.report.blocks[figs[0].block].text
            widened = clauses_quote(text, [(g.start, g.end) for g in figs])
            if len(widened) <= 240:
                quote = widened
    if not notes and quote == f.quote:
        return f
    msg = f.message + ("; " + "; ".join(notes) if notes else "")
    return replace(f, quote=quote, message=msg, refs=tuple(refs))
