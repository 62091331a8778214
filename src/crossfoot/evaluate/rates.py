"""Rates the narrative states: growth, shares, completion of the budget, execution rates.

Severity rule: a wrong rate or share is medium; a rate over a zero base (增长100% from nothing) is low,
since it is a reporting convention rather than a miscalculation. A rate right only for another base or
budget is a mislabel finding of the same evaluation, not a wrong rate.

Every rate claim is evaluated once per report (`Context.rates`); one check registered with every id this
evaluation emits (`checks/narrative_rates.py`) hands the findings on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot.evaluate.common import (
    HUNDRED,
    amount,
    blame_operands,
    finding,
    n,
    pct_text,
    rate_verdict,
    same_row_budget,
    show,
    table_value,
)
from crossfoot.findings import CellRef, Finding
from crossfoot.knowledge import budget_period, pattern, words
from crossfoot.matching.match import IndexedCell, candidates, cell_index
from crossfoot.narrative.claims import Claim
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import Num, Verdict, classify, fmt, interval_sum

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

_ZERO = Decimal(0)
_BUDGET_WORD = pattern("narrative.budget_word")
_RATE_WORDS = (*words("relation.rate"), *words("relation.completion_rate"))


def _replaced(ctx: Context, f: Figure) -> tuple[Num, str]:
    """A total its own items contradict is replaced by their sum, said so in the message."""
    hit = ctx.contradicted_totals.get(f.index)
    if hit is None:
        return amount(f), ""
    return hit[0], f" (its items add up to {fmt_dec(hit[0].value)} 元, not {show(f)})"


def _growth(ctx: Context, c: Claim) -> Finding:
    stated = c.stated.num
    current, note = _replaced(ctx, c.operands[0])
    change = amount(c.operands[1])
    sign = c.operands[1].sign or c.stated.sign or 1
    s = Decimal(sign)
    prior_exact = current.value - s * change.value
    prior_iv = current.interval() - change.interval().scale(s)
    words = f"{n(current)} {'−' if sign > 0 else '+'} {n(change)}"
    if prior_iv.contains(_ZERO) or prior_exact == 0:
        if change.value == 0 and stated.value == 0:
            return finding(ctx, "growth_rate", c.stated, "consistent", "none", pct_text(_ZERO, stated.decimals),
                           "no change on a zero prior year: 0% as printed")
        return finding(ctx, "growth_rate", c.stated, "inconsistent", "low", "undefined",
                       f"prior year = {words} = {fmt_dec(prior_exact)}: the base is zero, "
                       f"so a growth rate of {show(c.stated)} cannot be computed")
    exact = change.value / prior_exact * HUNDRED
    iv = (change.interval() / prior_iv).scale(HUNDRED)
    verdict: Verdict = classify(stated, exact, iv)
    if c.operands[1].sign and c.stated.sign and c.operands[1].sign != c.stated.sign:
        verdict = "inconsistent"
    return finding(ctx, "growth_rate", c.stated, verdict, "medium", pct_text(exact, stated.decimals),
                   f"{n(change)} / ({words}) = {fmt_dec(exact, 4)}%{note}")


def fmt_dec(v: Decimal, places: int = 2) -> str:
    return fmt(v, places)


def _share(ctx: Context, c: Claim) -> Finding | None:
    stated = c.stated.num
    refs: tuple[CellRef, ...] = ()
    base_num: Num | None = amount(c.base) if c.base is not None else None
    base_name = c.base_label or (c.base.label if c.base else "")
    if base_num is None and c.base_label:
        # 占本年支出合计的 in a 财政拨款 paragraph still means the department's total: no fund-scope bias.
        hit = table_value(ctx, c.base_label)
        if hit is not None:
            base_num, refs = hit[0].num, (hit[0].ref,)
    if not c.operands:
        return _share_without_part(ctx, c, base_num, refs)
    part_fig = c.operands[0]
    part = amount(part_fig)
    if base_num is None:
        return None
    got = rate_verdict(stated, part, base_num)
    if got is None:
        if part.value == 0 and stated.value == 0:
            return finding(ctx, "share", c.stated, "consistent", "none", pct_text(_ZERO, stated.decimals),
                           f"{n(part)} of a zero {base_name}: 0% as printed", refs)
        return finding(ctx, "share", c.stated, "inconsistent", "low", "undefined",
                       f"{base_name} is zero: a share of it cannot be computed", refs)
    verdict, exact, _ = got
    msg = f"{n(part)} / {n(base_num)} ({base_name}) = {fmt_dec(exact, 4)}%"
    if verdict == "inconsistent":
        alt = _other_base(ctx, c, part, stated)
        if alt is not None:
            name, alt_num, alt_exact, alt_refs = alt
            return finding(ctx, "mislabel", c.stated, "inconsistent", "medium", pct_text(exact, stated.decimals),
                           f"{msg}; {show(c.stated)} is {n(part)} / {n(alt_num)} = {fmt_dec(alt_exact, 4)}%, "
                           f"a share of {name}, not of {base_name}", refs + alt_refs)
        return finding(ctx, "share", c.stated, verdict, "medium", pct_text(exact, stated.decimals), msg, refs)
    # The share may hold for the printed amount while the amount itself is not the table's.
    m = ctx.matches.get(part_fig.index)
    if m is not None and not m.value_equal and m.label_score >= 90:
        cell = next((x for x in _cells(ctx) if x.ref == m.best), None)
        if cell is not None:
            got2 = rate_verdict(stated, cell.num, base_num)
            if got2 is not None and got2[0] == "inconsistent":
                return finding(ctx, "share", c.stated, "inconsistent", "medium", pct_text(got2[1], stated.decimals),
                               f"{msg}, but the table gives {c.operands[0].label} {m.best.value}: "
                               f"{m.best.value} / {n(base_num)} = {fmt_dec(got2[1], 4)}%", (*refs, m.best))
    return finding(ctx, "share", c.stated, verdict, "medium", pct_text(exact, stated.decimals), msg, refs)


def _cells(ctx: Context) -> list[IndexedCell]:
    return cell_index(ctx.match_memo)


def _totals_near(ctx: Context, c: Claim) -> list[tuple[str, Num, tuple[CellRef, ...]]]:
    """Totals a share could have been taken of: amounts printed in the same or the previous sentences."""
    out: list[tuple[str, Num, tuple[CellRef, ...]]] = []
    for f in ctx.figures:
        if f.index >= c.stated.index:
            break
        if c.stated.index - f.index > 40 or not f.is_money or f.relation not in (None, "actual"):
            continue
        out.append((f.label or "the amount", amount(f), ()))
    return out


def _other_base(ctx: Context, c: Claim, part: Num, stated: Num
                ) -> tuple[str, Num, Decimal, tuple[CellRef, ...]] | None:
    for name, total, refs in reversed(_totals_near(ctx, c)):
        if total.value == part.value:
            continue
        got = rate_verdict(stated, part, total)
        if got is not None and got[0] != "inconsistent" and total.value != 0:
            return name, total, got[1], refs
    for cell in _cells(ctx):
        # A total by its row (合计 row) or by its column (a one-row table whose 合计 is a column).
        column_total = not cell.ref.label.strip() and _is_total(cell.ref.column.split("/")[0])
        if not cell.money or cell.num.value in (part.value, 0) or not (_is_total(cell.ref.label) or column_total):
            continue
        got = rate_verdict(stated, part, cell.num)
        if got is not None and got[0] == "consistent":
            where = f" of {cell.table_title}" if column_total and cell.table_title else ""
            return cell.ref.label + cell.ref.column.split("/")[-1] + where, cell.num, got[1], (cell.ref,)
    return None


def _is_total(label: str) -> bool:
    return any(w in label for w in words("narrative.whole_words"))


def _share_without_part(ctx: Context, c: Claim, base_num: Num | None, refs: tuple[CellRef, ...]
                        ) -> Finding | None:
    """占X的 P% with no amount for the part: flag it when P is really X's share of a larger total."""
    if base_num is None or base_num.value == 0:
        return None
    stated = c.stated.num
    # The whole the base belongs to: a 总额/合计 first, then the largest amount printed nearby.
    near = sorted(_totals_near(ctx, c), key=lambda x: (not _is_total(x[0]), -x[1].value))
    for name, total, _ in near:
        if total.value <= base_num.value:
            continue
        got = rate_verdict(stated, base_num, total)
        if got is not None and got[0] != "inconsistent":
            # The part itself is not printed, so the true share cannot be recomputed: name the base it fits.
            return finding(ctx, "mislabel", c.stated, "inconsistent", "medium", f"a share of {name}",
                           f"{show(c.stated)} = {n(base_num)} ({c.base_label}) / {n(total)} ({name}) = "
                           f"{fmt_dec(got[1], 4)}%: the share of {c.base_label} in {name}, "
                           f"not a share of {c.base_label}", refs)
    return None


def _share_sum(ctx: Context, c: Claim) -> Finding | None:
    base = c.base
    if base is None:
        return None
    total = amount(base)
    shares = [m.num for m in c.members]
    parts = [amount(p) for p in c.operands]
    sum_iv = interval_sum([s.interval() for s in shares])
    sum_exact = sum((s.value for s in shares), _ZERO)
    dec = max(s.decimals for s in shares)
    exhaustive = any(p.value == 0 for p in parts)
    parts_iv = interval_sum([p.interval() for p in parts])
    parts_exact = sum((p.value for p in parts), _ZERO)
    parts_close = parts_iv.overlaps(total.interval())
    if not (exhaustive or parts_close):
        return None
    if sum_iv.contains(HUNDRED):
        verdict: Verdict = "consistent" if round(sum_exact, dec) == HUNDRED else "rounding"
        return finding(ctx, "share", base, verdict, "none", "100%",
                       f"shares {' + '.join(str(s) for s in shares)} = {pct_text(sum_exact, dec)}",
                       stated=pct_text(sum_exact, dec))
    if parts_close and any((got := rate_verdict(s, p, total)) is not None and got[0] == "inconsistent"
                           for s, p in zip(shares, parts, strict=False)):
        return None  # the parts add up: the wrong share's own finding is the one disagreement, not a second
    msg = f"shares {' + '.join(str(s) for s in shares)} = {pct_text(sum_exact, dec)}, not 100%"
    if not parts_close:
        msg += (f"; parts {' + '.join(n(p) for p in parts)} = {fmt_dec(parts_exact)} 元 "
                f"≠ {base.label} {n(total)}")
    return finding(ctx, "share", base, "inconsistent", "medium", "100.00%", msg,
                   stated=pct_text(sum_exact, dec))


def _completion(ctx: Context, c: Claim, check_id: str) -> Finding | None:
    stated = c.stated.num
    actual_fig = c.operands[0]
    actual, note = _replaced(ctx, actual_fig)
    refs: tuple[CellRef, ...] = ()
    want = budget_period(c.base_label) or ("whole" if c.base_label else "")
    budget: Num | None = None
    budget_name = c.base_label or "预算"
    if c.base is not None:
        budget = amount(c.base)
        budget_name = _budget_word(c.base) or budget_name
    else:
        # The budget printed beside the matched outturn cell (same row, or same item under 预算数).
        for cell, score, eq in candidates(ctx.match_memo, actual_fig):
            if not eq or score < 60:
                continue
            row_budget = same_row_budget(ctx, cell.ref, want)
            if row_budget is not None:
                budget, refs = row_budget[0].num, (cell.ref, row_budget[0].ref)
                budget_name = row_budget[0].ref.column
                break
    if budget is None:
        return None
    res = rate_verdict(stated, actual, budget)
    if res is None:
        for alt in c.alternatives:
            alt_n = amount(alt)
            alt_res = rate_verdict(stated, actual, alt_n)
            if alt_res is not None and alt_res[0] != "inconsistent":
                return finding(ctx, "mislabel", c.stated, "inconsistent", "medium", "undefined",
                               f"{budget_name} is {n(budget)}: no completion rate of it can be computed; "
                               f"{show(c.stated)} = {n(actual)} / {n(alt_n)} = {fmt_dec(alt_res[1], 4)}%, "
                               f"the rate of {_budget_word(alt) or '另一预算数'}", refs)
        if actual.value == 0 and stated.value == 0:
            return finding(ctx, check_id, c.stated, "consistent", "none", pct_text(_ZERO, stated.decimals),
                           "nothing budgeted and nothing spent: 0% as printed", refs)
        return finding(ctx, check_id, c.stated, "inconsistent", "medium" if note else "low", "undefined",
                       f"{budget_name} is zero: the base is zero, no rate can be computed{note}", refs)
    verdict, exact, _ = res
    msg = f"{n(actual)} / {n(budget)} ({budget_name}) = {fmt_dec(exact, 4)}%{note}"
    return finding(ctx, check_id, c.stated, verdict, "medium", pct_text(exact, stated.decimals), msg, refs)


def _budget_word(f: Figure) -> str:
    """年初预算 / 全年预算 / 预算数 as the text names the budget figure."""
    # The last one: the budget word nearest the figure (一般公共预算…年初预算为 names the 年初预算).
    found = [m.group(0) for m in _BUDGET_WORD.finditer(f.prefix)]
    return found[-1] if found else ""


def _ratio(ctx: Context, c: Claim) -> Finding | None:
    # The division is printed with bare numbers: compare them as printed.
    a, b = (f.num for f in c.operands)
    res = rate_verdict(c.stated.num, a, b)
    kind = "execution_rate" if any(w in c.stated.sentence for w in _RATE_WORDS) \
        else "share"
    if res is None:
        return None
    verdict, exact, _ = res
    return finding(ctx, kind, c.stated, verdict, "medium", pct_text(exact, c.stated.num.decimals),
                   f"{n(a)} / {n(b)} = {fmt_dec(exact, 4)}%")


def evaluate_rates(ctx: Context) -> list[Finding]:
    """Every rate claim evaluated, in claim order: growth_rate, share, budget_completion, execution_rate and
    mislabel findings (`Context.rates` holds the list, so this runs once per report)."""
    out: list[Finding] = []
    for c in ctx.claims:
        f: Finding | None = None
        if c.kind == "growth_rate":
            f = _growth(ctx, c)
        elif c.kind == "share":
            f = _share(ctx, c)
        elif c.kind == "share_sum":
            f = _share_sum(ctx, c)
        elif c.kind == "completion":
            f = _completion(ctx, c, "budget_completion")
        elif c.kind == "execution_rate":
            f = _completion(ctx, c, "execution_rate")
        elif c.kind == "ratio":
            f = _ratio(ctx, c)
        if f is not None and c.kind in ("growth_rate", "share", "completion", "execution_rate", "ratio"):
            f = blame_operands(ctx, f, (c.stated, *c.operands, *((c.base,) if c.base is not None else ())))
        if f is not None:
            out.append(f)
    return out

