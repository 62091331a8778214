"""Amounts the narrative states against the tables, and sums / differences the narrative states.

Severity rule: an amount that differs from the table cell carrying its label is high (the figure itself is
wrong); a stated remainder or difference that the other printed amounts do not give is medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.narrative_common import amount, claims, context_text, finding, n, show
from crossfoot.checks.registry import check
from crossfoot.claims import itemised_totals
from crossfoot.figures import Figure, quote_around
from crossfoot.findings import Finding
from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.labels import similarity
from crossfoot.match import IndexedCell, candidates, cell_index, is_budget_column
from crossfoot.numbers import MONEY_UNITS, Num, classify, fmt, parse_number, round_to, to_unit
from crossfoot.structure import clauses_quote, sentence_around

# A figure that is only a part of what its row holds ("其中：基本支出" columns, 其中/包括 lead-ins) cannot be
# compared with the row total.
_PART_COLUMN = re.compile("|".join(map(re.escape, words("rows.breakdown"))))
_COVERAGE = re.compile("|".join(map(re.escape, words("narrative.coverage"))))


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


def evaluate_amounts(ctx: Context) -> list[Finding]:
    """Each linked amount against its cell: holds -> consistent, differs -> a problem. An unlinked amount
    could not be checked and yields no finding either way."""
    got = ctx._cache.get("amount_findings")
    if isinstance(got, list):
        return got
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
            mis = _other_funds(ctx, f, c, candidates(ctx.match_memo, f, context), context)
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
    ctx._cache["amount_findings"] = out
    ctx._cache["flagged_amounts"] = flagged
    return out


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


def _other_funds(ctx: Context, f: Figure, cell: IndexedCell,
                 cands: list[tuple[IndexedCell, float, bool]], context: str) -> Finding | None:
    """A 财政拨款 paragraph quoting the all-funds value of a 科目 the 财政拨款 tables give otherwise. The
    paragraph is about 财政拨款 when the word comes before the figure: "本年收入合计X，其中：财政拨款收入Y"
    breaks an all-funds total down, it does not quote 财政拨款."""
    blocks = ctx.report.blocks
    before = (blocks[f.block - 1].text[-200:] if f.block > 0 else "") + blocks[f.block].text[:f.start]
    if not _fiscal(before) or _fiscal(cell.table_title) or not cell.table_title:
        return None
    if _fiscal(f.label):
        return None
    for c, s, eq in cands:
        if not eq and s >= 85 and _fiscal(c.table_title) and similarity(c.ref.label, cell.ref.label) >= 90:
            return finding(ctx, "mislabel", f, "inconsistent", "medium", c.ref.value,
                           f"{show(f)} is {cell.ref.label} in {cell.table_title} (all funds); "
                           f"the 财政拨款 figure ({c.table_title}) is {c.ref.value}", (cell.ref, c.ref))
    return None


def _fiscal(text: str) -> bool:
    return any(w in text for w in words("scope.fiscal"))


def _remainders(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for c in claims(ctx):
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


def contradicted_totals(ctx: Context) -> dict[int, tuple[Num, list[Figure]]]:
    """Totals (…，其中：) that one of their own items exceeds: figure index -> (sum of items, items).

    A list whose odd item is already reported (an all-funds amount in a 财政拨款 list) is left out:
    the total is not what is wrong there.
    """
    got = ctx._cache.get("contradicted_totals")
    if isinstance(got, dict):
        return got
    evaluate_amounts(ctx)
    flagged = ctx._cache.get("flagged_amounts", set())
    assert isinstance(flagged, set)
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
    ctx._cache["contradicted_totals"] = out
    return out


def _totals_vs_items(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for idx, (s, items) in contradicted_totals(ctx).items():
        total = ctx.figures[idx]
        unit = total.num.unit or "元"
        shown = s.in_unit(unit) if unit in ("万元", "亿元", "千元") else s
        out.append(Finding(
            check="difference", severity="medium", verdict="inconsistent", page=total.page,
            quote=quote_to(total, ctx), stated=show(total), expected=fmt(shown.value, total.num.decimals),
            message=f"its items {' + '.join(show(i) for i in items)} = {fmt(shown.value, 2)} {unit} "
                    f"exceed the stated total {show(total)}"))
    return out


def quote_to(f: Figure, ctx: Context) -> str:
    """The sentence up to the clause holding the figure: the total's own words, not the rates after it."""
    text = ctx.report.blocks[f.block].text
    end = f.end
    while end < len(text) and text[end] not in "，,；;。":
        end += 1
    return text[max(f.sentence_start, end - 118):end].strip()


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
def narrative_vs_table(ctx: Context) -> Iterable[Finding]:
    return [f for f in evaluate_amounts(ctx) if f.check == "narrative_vs_table"] + _counts(ctx)


@check("difference", family="narrative", severity="medium",
       doc="a stated remainder (其余/剩余 X) against budget − spent printed in the same sentence; "
           "SME-won amounts of reserved and other 政府采购 projects within the total")
def difference(ctx: Context) -> Iterable[Finding]:
    return _remainders(ctx) + _totals_vs_items(ctx) + _procurement_split(ctx)


def amount_mislabels(ctx: Context) -> list[Finding]:
    return [f for f in evaluate_amounts(ctx) if f.check == "mislabel"]

