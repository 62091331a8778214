"""A 收入支出总计 said to be flat (持平) against the prior year while what it is made of changed.

A fund scope's 收入支出总计 is the year's spending plus the balance carried out (年末结转和结余), and the balance
last year carried out is the one this year carried in (年初结转和结余). So the total changed by the spending's
change plus (年末 − 年初) of this year's table: with the spending's change stated in the text and both balances
printed in the scope's 收入支出总表, a "总计持平" can be checked. Used by the self_conflict check.

Only the scope's own spending change is used, or the change of its one fund when the scope's table shows that
fund as all of this year's spending (一般公共预算 as the whole of 财政拨款); the message says so. Nothing is
reported when the change or a balance is not printed: that is "could not check", not "holds".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from crossfoot.findings import CellRef, Finding
from crossfoot.knowledge import fund_scope, load_catalogue, pattern, words
from crossfoot.matching.link_words import table_scope, within
from crossfoot.model import Report, Table
from crossfoot.narrative.claims import build_claims
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import BASE_UNIT, Interval, Num, classify, fmt

_SENTENCE_END = "。；;！？!?"
# The money unit amounts are compared in: the lexicon's unit of factor 1.
_YUAN = BASE_UNIT


def _cell_after(table: Table, rx: re.Pattern[str]) -> tuple[Num, CellRef] | None:
    """The first amount right of the cell whose text the pattern finds (side-by-side halves carry their own
    labels: 年初结转和结余 | 21.63 | 年末结转和结余 | 21.63)."""
    for i, row in enumerate(table.rows):
        for j, c in enumerate(row):
            if not rx.search(c.text.replace(" ", "")):
                continue
            for k in range(j + 1, len(row)):
                n = row[k].num
                if n is not None and n.unit is None:
                    unit = table.unit or _YUAN
                    ref = CellRef(table.id, i, k, c.text.strip(), table.column_label(k), row[k].text, row[k].page)
                    return Num(n.value, n.decimals, row[k].text, unit).in_unit(_YUAN), ref
                if row[k].text.strip() and row[k].num is None:
                    break  # the next label: this half's amount is blank
    return None


def _scope_table(report: Report, scope: str) -> Table | None:
    for t in report.tables:
        if table_scope(t, report.kind or "") == scope and _cell_after(t, pattern("narrative.carried_in")):
            return t
    return None


def _spending_change(report: Report, figures: list[Figure], scope: str, table: Table
                     ) -> tuple[Figure, str] | None:
    """The stated change of the scope's spending, or of its one fund that is all of this year's spending."""
    expense = words("links.expense")
    changes = [f for f in figures if f.relation == "change" and f.is_money and any(w in f.label for w in expense)]
    own = [f for f in changes if fund_scope(f.label) == scope]
    if own:
        return own[0], ""
    total = _cell_after(table, pattern("narrative.spending_total"))
    if total is None:
        return None
    current = {c.operands[1].index: c.operands[0] for c in build_claims(report, figures)
               if c.kind == "growth_rate" and len(c.operands) == 2}
    for f in changes:
        inner = fund_scope(f.label)
        cur = current.get(f.index)
        if inner is None or inner == scope or not within(inner, scope) or cur is None:
            continue
        if cur.yuan().interval().overlaps(total[0].interval()):
            name = next((s.name for s in load_catalogue().scopes if s.id == scope), scope)
            return f, (f" ({f.label} {cur.text} is all of this year's {name} spending in {table.id}: "
                       f"{total[1].label} {total[1].value}; taken to be so last year too)")
    return None


def flat_totals(report: Report, figures: list[Figure]) -> Iterator[Finding]:
    flat = pattern("narrative.flat_total")
    prior = pattern("narrative.prior_year")
    for b in report.blocks:
        for m in flat.finditer(b.text):
            s0 = max(b.text.rfind(ch, 0, m.start()) for ch in _SENTENCE_END) + 1
            if not prior.search(b.text, s0, m.start()):
                continue  # flat against what? only the prior year is checked
            scope = fund_scope(m.group("label")) or "all"
            table = _scope_table(report, scope)
            if table is None:
                continue
            start, end = _cell_after(table, pattern("narrative.carried_in")), \
                _cell_after(table, pattern("narrative.carried_out"))
            got = _spending_change(report, figures, scope, table)
            if start is None or end is None or got is None:
                continue
            change, note = got
            d = change.yuan()
            sign = Decimal(-1 if change.sign < 0 else 1)
            moved: Interval = d.interval().scale(sign) + end[0].interval() - start[0].interval()
            exact = sign * d.value + end[0].value - start[0].value
            unit = change.num.unit or _YUAN
            shown = Num(exact, 2, "", _YUAN).in_unit(unit).value
            verdict = classify(Num(Decimal(0), 2, "0", _YUAN), exact, moved)
            e = len(b.text)
            for ch in _SENTENCE_END:
                k = b.text.find(ch, m.end() + 1)
                e = min(e, k + 1) if k >= 0 else e
            quote = b.text[s0:e].strip()[:120]
            yield Finding(
                check="self_conflict", severity="medium" if verdict == "inconsistent" else "none",
                verdict=verdict, page=b.page, quote=quote, stated=m.group("flat"),
                expected=f"{fmt(shown, 2)}{unit}",
                message=(f"{m.group('label')} is said to be {m.group('flat')} against the prior year, but "
                         f"{change.label} changed by {'−' if sign < 0 else '+'}{change.text} and the balance "
                         f"carried went from {start[1].value} ({start[1].label}) to {end[1].value} "
                         f"({end[1].label}): the total changed by {fmt(shown, 2)}{unit}{note}"),
                refs=(start[1], end[1]))
