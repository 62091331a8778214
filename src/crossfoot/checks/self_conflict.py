"""Self-conflicts: the narrative states one quantity two ways that cannot both hold.

- 收入总计 and 支出总计 balance in every year, so their changes from the prior year must be equal; two
  different changes imply two different prior-year totals.
- A figure stated as zero while the same sentence lists what it is made of ("人员经费0.00元，主要包括
  工资福利支出1966894.44元…").
- A purchase cost of zero while the sentence counts items bought.
- A project summary, a restated target or actual, or two counts of one place ("碧村硬件设施3套、软件系统2套")
  against the project's 自评表 (the last: the two values exchanged between the two indicators): those
  rules live in evaluate/self_evaluation.py.

Quotes. A finding's `stated` is the figure under test and its quote the clause(s) printing it: both
statements when neither outranks the other (two balanced totals' changes, two exchanged counts), with the
base a change is measured against ("与2021年相比"); clauses apart are joined with "…". The figures it is
tested against are named in `expected`, the message and the refs; figures of the same sentence that take
no part in the conflict (the growth rates beside the changes, the parts a zero lists) stay
out of the quote, so the finding is not taken for a claim about them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.evaluate.budget import conflict_findings
from crossfoot.evaluate.carry_over import flat_totals
from crossfoot.evaluate.self_evaluation import (
    counted_indicators,
    printed_amount,
    project_summaries,
    rate_indicators,
    restated_targets,
    self_evaluation_scope,
    swapped_indicators,
)
from crossfoot.findings import Finding
from crossfoot.knowledge import load_catalogue, pattern, sign, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Block
from crossfoot.numbers import Num, classify, fmt, interval_sum
from crossfoot.tables.structure import clause_around, clauses_quote

_MONEY = alternation(tuple(u for u, _ in load_catalogue().units.money))
_AMT = r"(?P<{n}>\d[\d,，]*(?:\.\d+)?)\s*(?P<{n}u>" + _MONEY + ")"
# Two balanced totals changed by amounts, each against the prior year (收入总计比上年增加X万元).
_CHANGE = re.compile(
    r"(?P<label>" + pattern("narrative.balanced_total").pattern + r")\s*(?:"
    + pattern("narrative.prior_year").pattern + r")?\s*(?P<dir>"
    + alternation((*words("relation.increase"), *words("relation.decrease"))) + r")\s*"
    + _AMT.format(n="amt"))
_ZERO = pattern("narrative.zero_with_parts")
_AMOUNT = re.compile(r"(?P<label>[\u4e00-\u9fa5]{0,14}?)\s*" + _AMT.format(n="v"))
_ZERO_BUY = pattern("narrative.zero_cost_bought")
_INCOME, _EXPENSE = words("links.income"), words("links.expense")


def _signed(m: re.Match[str]) -> Num | None:
    n = printed_amount(m.group("amt"), m.group("amtu"))
    if n is None:
        return None
    neg = sign(m.group("dir")) < 0
    return Num(-n.value if neg else n.value, n.decimals, n.text, n.unit)


_BASE = pattern("narrative.prior_year")


def _base_clause(text: str, *starts: int) -> list[tuple[int, int]]:
    """The span naming what the changes are measured against ("与2021年相比，"), when the sentence says it
    before the changes: a change reads as a claim only with its base."""
    first = min(starts)
    sent = max((text.rfind(ch, 0, first) for ch in "。；;！？!?\n"), default=-1) + 1
    found = list(_BASE.finditer(text, sent, first))
    return [found[-1].span()] if found else []


def _balance(b: Block) -> Iterator[Finding]:
    """收入总计 and 支出总计 (of the same scope) must have changed by the same amount."""
    changes: dict[str, list[tuple[re.Match[str], Num]]] = {}
    for m in _CHANGE.finditer(b.text):
        n = _signed(m)
        if n is None:
            continue
        scope = m.group("label")
        for w in (*_INCOME, *_EXPENSE):
            scope = scope.replace(w, "·")
        changes.setdefault(scope, []).append((m, n))
    for pairs in changes.values():
        inc = [(m, n) for m, n in pairs if any(w in m.group("label") for w in _INCOME)]
        exp = [(m, n) for m, n in pairs if any(w in m.group("label") for w in _EXPENSE)]
        if not inc or not exp:
            continue
        (mi, ni), (me, ne) = inc[0], exp[0]
        if ni.unit != ne.unit:
            continue
        verdict = classify(ni, ne.value, ne.interval())
        gap = abs(ni.value - ne.value)
        yield Finding(
            check="self_conflict", severity="high" if verdict == "inconsistent" else "none",
            verdict=verdict, page=b.page, quote=clauses_quote(b.text, [*_base_clause(b.text, mi.start(), me.start()),
                                                                         mi.span(), me.span()]),
            stated=f"{mi.group('label')}{mi.group('dir')} {mi.group('amt')}{ni.unit}",
            expected=f"{me.group('dir')} {me.group('amt')}{ne.unit}",
            message=(f"{mi.group('label')} and {me.group('label')} balance every year, so their changes must be "
                     f"equal: {mi.group('dir')} {mi.group('amt')} vs {me.group('dir')} {me.group('amt')}"
                     + (f" (prior-year totals would differ by {fmt(gap, max(ni.decimals, 0))}{ni.unit})"
                        if verdict == "inconsistent" else "")))


def _clause_end(text: str, pos: int) -> int:
    ends = [k for ch in "。；;" if (k := text.find(ch, pos)) >= 0]
    return min(ends) if ends else len(text)


def _zero_with_parts(b: Block) -> Iterator[Finding]:
    covered = 0
    for m in _ZERO.finditer(b.text):
        if m.start() < covered:
            continue  # a zero inside the list a previous zero introduced is one of its parts
        label = m.group("label")
        end = _clause_end(b.text, m.end())
        covered = end
        tail = b.text[m.end():end]
        same: Num | None = None
        parts: list[Num] = []
        for a in _AMOUNT.finditer(tail):
            n = printed_amount(a.group("v"), a.group("vu"))
            if n is None or n.unit != m.group("unit"):
                continue
            if n.value == 0:
                continue
            core = label[-4:]
            if core in a.group("label") and same is None and not parts:
                same = n
                break
            parts.append(n)
        if same is None and not parts:
            continue
        zero = Num(Decimal(0), len(m.group("zero").split(".")[1]) if "." in m.group("zero") else 0,
                   m.group("zero"), m.group("unit"))
        if same is not None:
            exact, iv, how = same.value, same.interval(), f"the same sentence gives {label} as {same.text}{same.unit}"
        else:
            exact = sum((p.value for p in parts), Decimal(0))
            iv = interval_sum([p.interval() for p in parts])
            how = f"its parts listed in the same sentence add up to {' + '.join(p.text for p in parts)}"
        if classify(zero, exact, iv) != "inconsistent":
            continue
        yield Finding(
            check="self_conflict", severity="medium", verdict="inconsistent", page=b.page,
            quote=b.text[clause_around(b.text, m.start("label"), m.end("unit"))[0]:m.end()].strip(),
            stated=f"{label} {m.group('zero')}", expected=fmt(exact, max(zero.decimals, 0)) + m.group("unit"),
            message=f"{label} is stated as {m.group('zero')}{m.group('unit')}, but {how} = "
                    f"{fmt(exact, max(zero.decimals, 0))}")


def _zero_cost_bought(b: Block) -> Iterator[Finding]:
    for m in _ZERO_BUY.finditer(b.text):
        if int(m.group("n")) == 0:
            continue
        yield Finding(
            check="self_conflict", severity="low", verdict="inconsistent", page=b.page,
            quote=clauses_quote(b.text, [(m.start("n"), m.end("u"))]),
            stated=f"购置 {m.group('n')}{m.group('u')}", expected=f"0{m.group('u')}",
            message=f"{m.group('label')} is {m.group('zero')}, yet the same sentence counts "
                    f"{m.group('n')}{m.group('u')} bought")


@check("self_conflict", family="structural", severity="medium",
       doc="one quantity stated two ways that cannot both hold (balanced totals changing differently, "
           "a zero with non-zero parts, a project summary or a count against its 自评表)")
def self_conflict(ctx: Context) -> Iterable[Finding]:
    for b in ctx.report.blocks:
        yield from _balance(b)
        yield from _zero_with_parts(b)
        yield from _zero_cost_bought(b)
    yield from flat_totals(ctx.report, ctx.figures)
    tables = ctx.score_tables
    yield from project_summaries(ctx.report, tables)
    yield from self_evaluation_scope(ctx.report, tables)
    yield from restated_targets(ctx.report, tables)
    yield from rate_indicators(tables)
    yield from swapped_indicators(ctx.report, tables)
    yield from counted_indicators(ctx.report, tables)
    yield from conflict_findings(ctx)
