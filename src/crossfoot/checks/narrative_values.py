"""Amounts the narrative states against the tables, and sums / differences the narrative states.

Severity rule: an amount that differs from the table cell carrying its label is high (the figure itself is
wrong); a stated remainder or difference that the other printed amounts do not give is medium. The amount
evaluation itself lives in `crossfoot.evaluate.amounts` (`Context.amounts`): it emits narrative_vs_table
and mislabel findings, so the check handing them on is registered with both ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check, emits
from crossfoot.evaluate.amounts import quote_to
from crossfoot.evaluate.common import amount, finding, n, show
from crossfoot.findings import Finding
from crossfoot.knowledge import load_catalogue, pattern
from crossfoot.knowledge.vocab import alternation
from crossfoot.matching.match import cell_index
from crossfoot.numbers import Num, classify, fmt, parse_number
from crossfoot.tables.structure import sentence_around


def _counts(ctx: Context) -> list[Finding]:
    """Head-counts, batches, vehicles… stated in the text against the cell their link ties them to.

    The linker ties a count only to a row or column that counts in its unit (批 / 人次 / 辆), so
    "接待 53 批" is never read against the 人次 row of the same table.
    """
    out: list[Finding] = []
    by_ref = {c.ref: c for c in cell_index(ctx.match_memo)}
    for f in ctx.figures:
        if f.relation != "count":
            continue
        m = ctx.matches.get(f.index)
        c = by_ref.get(m.best) if m is not None else None
        if m is None or c is None:
            continue
        if m.value_equal:
            out.append(finding(ctx, "narrative_vs_table", f, "consistent", "none", c.ref.value,
                               f"{show(f)} = {c.ref.label} {c.ref.value}", (c.ref,)))
        else:
            out.append(finding(ctx, "narrative_vs_table", f, "inconsistent", "high", c.ref.value,
                               f"{show(f)} ≠ {c.ref.label} {c.ref.value} (table)", (c.ref,)))
    return out


def _remainders(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for c in ctx.claims:
        if c.kind != "remainder":
            continue
        budget, actual = (amount(x) for x in c.operands)
        stated = amount(c.stated)
        exact = budget.value - actual.value
        iv = budget.interval() - actual.interval()
        verdict = classify(stated, exact, iv)
        unit = c.stated.num.unit or ""
        shown = exact
        if c.stated.is_money and unit != "元":
            shown = Num(exact, 2, "", "元").in_unit(unit).value
        out.append(finding(ctx, "difference", c.stated, verdict, "medium", fmt(shown, c.stated.num.decimals),
                           f"{n(c.operands[0].num)} − {n(c.operands[1].num)} = {fmt(shown, 2)}"
                           f" {unit}, stated {show(c.stated)}"))
    return out


def _totals_vs_items(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for idx, (s, items) in ctx.contradicted_totals.items():
        total = ctx.figures[idx]
        unit = total.num.unit or "元"
        shown = s.in_unit(unit) if unit in ("万元", "亿元", "千元") else s
        out.append(Finding(
            check="difference", severity="medium", verdict="inconsistent", page=total.page,
            quote=quote_to(total, ctx), stated=show(total), expected=fmt(shown.value, total.num.decimals),
            message=f"its items {' + '.join(show(i) for i in items)} = {fmt(shown.value, 2)} {unit} "
                    f"exceed the stated total {show(total)}"))
    return out


_AMT = (r"(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<u>"
        + alternation(tuple(u for u, _ in load_catalogue().units.money)) + ")")
# 政府采购金额（以合同签订为准）为 21.07 万元 / 政府采购支出总额10,980.00元
_PROCUREMENT_TOTAL = re.compile(pattern("narrative.procurement_total").pattern + _AMT)
_SME_WON = "(?:" + pattern("narrative.sme_won").pattern + ")" + _AMT
# 在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额 X 万元
_SME_RESERVED = re.compile("(?:" + pattern("narrative.sme_reserved").pattern + ")" + _SME_WON)
# 在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额 Y 万元
_SME_OTHER = re.compile("(?:" + pattern("narrative.sme_other").pattern + ")" + _SME_WON)


def _amount_of(m: re.Match[str]) -> Num | None:
    return parse_number(m.group("v") + m.group("u"))


def _procurement_split(ctx: Context) -> list[Finding]:
    """SME-won amounts in the projects reserved for SMEs and in the other projects are disjoint parts of
    the year's procurement: the other projects' amount is at most the total less the reserved ones'."""
    out: list[Finding] = []
    blocks = ctx.report.blocks
    for i, b in enumerate(blocks):
        other = _SME_OTHER.search(b.text)
        if other is None:
            continue
        reserved = _SME_RESERVED.search(b.text, 0, other.start())
        total_m = None
        for j in range(i, max(-1, i - 4), -1):
            text = blocks[j].text if j < i else b.text[:other.start()]
            found = list(_PROCUREMENT_TOTAL.finditer(text))
            if found:
                total_m = found[-1]
                break
        if reserved is None or total_m is None:
            continue
        o, r, t = _amount_of(other), _amount_of(reserved), _amount_of(total_m)
        if o is None or r is None or t is None:
            continue
        room = t.interval() - r.interval()
        exact = t.value - r.value
        unit = other.group("u")
        shown = Num(exact, 2, "", "元").in_unit(unit).value if unit != "元" else exact
        ok = o.interval().lo <= room.hi
        stated = other.group("v") + unit
        out.append(Finding(
            check="difference", severity="none" if ok else "medium",
            verdict="consistent" if ok else "inconsistent", page=b.page,
            quote=sentence_around(b.text, other.start(), other.end()), stated=stated,
            expected="≤ " + fmt(shown, len(other.group("v").partition(".")[2])),
            message=(f"SME-won in the other projects {stated}; the total 政府采购 {total_m.group('v')}"
                     f"{total_m.group('u')} − the SME-won in the reserved projects {reserved.group('v')}"
                     f"{reserved.group('u')} leaves {fmt(shown, 2)} {unit}"
                     + ("" if ok else ": the parts exceed the total"))))
    return out


@check("narrative_vs_table", family="narrative", severity="high",
       doc="an amount in the text differs from the table cell with its label (high: the amount is wrong)")
@emits("mislabel")
def narrative_vs_table(ctx: Context) -> Iterable[Finding]:
    return [*ctx.amounts.findings, *_counts(ctx)]


@check("difference", family="narrative", severity="medium",
       doc="a stated remainder (其余/剩余 X) against budget − spent printed in the same sentence; "
           "SME-won amounts of reserved and other 政府采购 projects within the total")
def difference(ctx: Context) -> Iterable[Finding]:
    return _remainders(ctx) + _totals_vs_items(ctx) + _procurement_split(ctx)

