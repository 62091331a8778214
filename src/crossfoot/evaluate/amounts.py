"""Amounts the narrative states against the tables: the amount evaluation and the totals their own items
contradict.

Severity rule: an amount that differs from the table cell carrying its label is high (the figure itself is
wrong); an amount right for another fund scope is a mislabel (medium). The context holds both results
(`Context.amounts`, `Context.contradicted_totals`), worked out once per report: the rate evaluation asks
for the contradicted totals, and those leave out the lists whose odd item the amount evaluation flagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot.evaluate.common import amount, context_text, finding, show
from crossfoot.findings import Finding
from crossfoot.knowledge import words
from crossfoot.knowledge.vocab import alternation
from crossfoot.matching.match import IndexedCell, candidates, cell_index, is_budget_column, is_fiscal
from crossfoot.narrative.claims import itemised_totals
from crossfoot.narrative.figures import Figure, quote_around
from crossfoot.numbers import MONEY_UNITS, Num, fmt, round_to, to_unit
from crossfoot.tables.labels import similarity
from crossfoot.tables.structure import clauses_quote

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

# A figure that is only a part of what its row holds ("其中：基本支出" columns, 其中/包括 lead-ins) cannot be
# compared with the row total.
_PART_COLUMN = re.compile(alternation(words("rows.breakdown")))
_COVERAGE = re.compile(alternation(words("narrative.coverage")))


# "基本支出增加养老保险、职业年金缴费等1447.63万元": a direction word earlier in the clause makes the amount a
# change (what was added), not the level a table prints.
_CHANGE_IN_CLAUSE = re.compile("|".join(
    w for k in ("increase", "decrease", "spend_more", "spend_less") for w in words(f"relation.{k}")))


def _clause_before(ctx: Context, f: Figure) -> str:
    """The clause text before the figure, an enumeration (、) not ending it."""
    text = ctx.report.blocks[f.block].text[f.sentence_start:f.start]
    cut = max(text.rfind(ch) for ch in "，,；;。：:")
    return text[cut + 1:]


def _money_amounts(ctx: Context) -> Iterable[Figure]:
    for f in ctx.figures:
        if f.is_money and f.relation in (None, "actual", "budget") and f.label \
                and not _CHANGE_IN_CLAUSE.search(_clause_before(ctx, f)):
            yield f


def _part_column_blank(ctx: Context, cell: IndexedCell) -> bool:
    """The cell's row has a 其中 column left blank: the narrative may quote that unknown part."""
    t = ctx.report.table(cell.ref.table)
    if t is None:
        return False
    row = t.rows[cell.ref.row]
    for j in range(t.n_cols):
        if j != cell.ref.col and _PART_COLUMN.search(t.column_label(j)) and j < len(row) and row[j].num is None:
            return True
    return False



@dataclass(frozen=True)
class AmountEvaluation:
    """The narrative's amounts against their cells: narrative_vs_table and mislabel findings, in figure
    order, and the figures found wrong (a total's list holding one of them is not the total's fault)."""

    findings: list[Finding]
    flagged: frozenset[int]


def evaluate_amounts(ctx: Context) -> AmountEvaluation:
    """Each linked amount against its cell: holds -> consistent, differs -> a problem. An unlinked amount
    could not be checked and yields no finding either way."""
    out: list[Finding] = []
    flagged: set[int] = set()
    by_ref = {c.ref: c for c in cell_index(ctx.match_memo)}
    for f in _money_amounts(ctx):
        m = ctx.matches.get(f.index)
        c = by_ref.get(m.best) if m is not None else None
        if m is None or c is None:
            continue
        context = context_text(ctx, f)
        if m.value_equal:
            mis = _other_funds(ctx, f, c, context)
            if mis is not None:
                out.append(mis)
                flagged.add(f.index)
                continue
            out.append(finding(ctx, "narrative_vs_table", f, "consistent", "none", c.ref.value,
                               f"{show(f)} = {c.ref.label} / {c.ref.column} {c.ref.value}", (c.ref,)))
            continue
        if truncates(f.num, c):
            # The linked amount cut (not rounded) to the printed decimals: a low-severity slip.
            v = to_unit(c.num.value, "元", f.num.unit or "元")
            out.append(finding(
                ctx, "narrative_vs_table", f, "inconsistent", "low", fmt(round_to(v, f.num.decimals), f.num.decimals),
                f"{show(f)} is {c.ref.value} ({c.ref.label} / {c.ref.column}) truncated, not rounded: "
                f"rounded to {f.num.decimals} decimals it is {fmt(round_to(v, f.num.decimals), f.num.decimals)}"
                f"{f.num.unit or ''}", (c.ref,)))
            flagged.add(f.index)
            continue
        if _COVERAGE.search(f.sentence):
            continue  # money "covered by" an evaluation is not a table amount, whatever it is called
        if _part_column_blank(ctx, c) and amount(f).value < c.num.value:
            continue
        msg = f"{show(f)} ≠ {c.ref.label} / {c.ref.column} {c.ref.value} (table)"
        got = finding(ctx, "narrative_vs_table", f, "inconsistent", "high", c.ref.value, msg, (c.ref,))
        subject = ctx.linking.subjects.get(f.index)
        if subject is not None:
            # The figure took its label from an earlier one ("住房公积金 208.8万元。…预算安排201.50万元"):
            # the quote holds both, so the reader sees what the figure was read as.
            s = ctx.figures[subject]
            got = replace(got, quote=_quote_both(ctx, s, f),
                          message=f"{msg}; the paragraph opens with {show(s)} for the same item")
        out.append(got)
        flagged.add(f.index)
    return AmountEvaluation(out, frozenset(flagged))


def _quote_both(ctx: Context, first: Figure, second: Figure) -> str:
    if first.block == second.block:
        text = ctx.report.blocks[first.block].text
        return clauses_quote(text, [(first.start, first.end), (second.start, second.end)])
    return f"{quote_to(first, ctx)}…{quote_around(second, ctx.report)}"


def truncates(stated: Num, c: IndexedCell) -> bool:
    """A money figure printed as its table amount cut (not rounded) to the stated decimals: 123,456.78 元
    printed as 12.34万元 rounds to 12.35万元 but truncates to 12.34."""
    if not c.money or stated.unit not in MONEY_UNITS or (stated.unit == "元" and stated.decimals >= c.num.decimals):
        return False
    v = to_unit(c.num.value, "元", stated.unit)
    step = Decimal(1).scaleb(-stated.decimals)
    cut = (abs(v) // step) * step * (1 if v >= 0 else -1)
    return cut == stated.value and round_to(v, stated.decimals) != stated.value


def _column_fits(f: Figure, c: IndexedCell) -> bool:
    """A budget figure is compared with budget columns only, an outturn with anything but budget columns."""
    is_budget = is_budget_column(c.ref.column)
    return is_budget if f.relation == "budget" else not is_budget


def _other_funds(ctx: Context, f: Figure, cell: IndexedCell, context: str) -> Finding | None:
    """A 财政拨款 paragraph quoting the all-funds value of a 科目 the 财政拨款 tables give otherwise. The
    paragraph is about 财政拨款 when the word comes before the figure: "本年收入合计X，其中：财政拨款收入Y"
    breaks an all-funds total down, it does not quote 财政拨款."""
    blocks = ctx.report.blocks
    before = (blocks[f.block - 1].text[-200:] if f.block > 0 else "") + blocks[f.block].text[:f.start]
    if not is_fiscal(before) or is_fiscal(cell.table_title) or not cell.table_title:
        return None
    if is_fiscal(f.label):
        return None
    for c, s, eq in candidates(ctx.match_memo, f, context):  # asked only here: scoring every cell costs
        if not eq and s >= 85 and is_fiscal(c.table_title) and similarity(c.ref.label, cell.ref.label) >= 90:
            return finding(ctx, "mislabel", f, "inconsistent", "medium", c.ref.value,
                           f"{show(f)} is {cell.ref.label} in {cell.table_title} (all funds); "
                           f"the 财政拨款 figure ({c.table_title}) is {c.ref.value}", (cell.ref, c.ref))
    return None


def contradicted_totals(ctx: Context) -> dict[int, tuple[Num, list[Figure]]]:
    """Totals (…，其中：) that one of their own items exceeds: figure index -> (sum of items, items).

    A list whose odd item is already reported (an all-funds amount in a 财政拨款 list) is left out:
    the total is not what is wrong there.
    """
    flagged = ctx.amounts.flagged
    out: dict[int, tuple[Num, list[Figure]]] = {}
    for total, items in itemised_totals(ctx.report, ctx.figures):
        t = amount(total)
        nums = [amount(i) for i in items]
        if max(x.interval().lo for x in nums) <= t.interval().hi:
            continue
        if any(i.index in flagged for i in items):
            continue
        s = sum((x.value for x in nums), Decimal(0))
        out[total.index] = (Num(s, min(x.decimals for x in nums), "", "元"), items)
    return out


def quote_to(f: Figure, ctx: Context) -> str:
    """The sentence up to the clause holding the figure: the total's own words, not the rates after it."""
    text = ctx.report.blocks[f.block].text
    end = f.end
    while end < len(text) and text[end] not in "，,；;。":
        end += 1
    return text[max(f.sentence_start, end - 118):end].strip()
