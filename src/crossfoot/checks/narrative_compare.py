"""Stated comparisons (决算数大于/小于/等于预算数, 与上年持平) and execution rates printed in table rows.

Severity rule: a comparison the printed amounts contradict is medium (the explanation that follows it
explains something that did not happen); a wrong execution rate in a 自评表 row is medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check, emits
from crossfoot.evaluate.common import amount, finding, n, pct_text, rate_verdict, show
from crossfoot.findings import CellRef, Finding
from crossfoot.knowledge import budget_base, pattern, sign, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Cell, Table
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import Verdict, fmt
from crossfoot.tables.structure import clauses_quote

_MORE, _LESS = "|".join(words("relation.comparison_more")), "|".join(words("relation.comparison_less"))
_FLAT_WORDS = alternation(words("relation.flat"))
_EQUAL, _AGAINST = words("narrative.equal"), words("narrative.against")
_COMPARE = re.compile("(?:" + pattern("narrative.actual_word").pattern + ")"
                      + rf"(?P<op>{_MORE}|{_LESS}|{'|'.join((*_EQUAL, *_AGAINST))})"
                      + "(?:" + pattern("narrative.budget_word").pattern + rf")(?P<flat>{_FLAT_WORDS})?")
# 与上年持平, 同比持平: a flat claim against the prior year.
_FLAT = re.compile("(?:" + pattern("narrative.prior_year").pattern + rf")(?:{_FLAT_WORDS})")


def _nearby(ctx: Context, fig_sentence: int, rel: str) -> Figure | None:
    """The last amount with relation `rel` in this sentence or the two before it."""
    best: Figure | None = None
    for f in ctx.figures:
        if f.sentence_id > fig_sentence:
            break
        if f.sentence_id >= fig_sentence - 2 and f.is_money and f.relation == rel:
            best = f
    return best


def _budget_comparisons(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    # Comparisons usually stand in a sentence of their own ("决算数小于全年预算数的主要原因：…").
    for bi, block in enumerate(ctx.report.blocks):
        for m in _COMPARE.finditer(block.text):
            op = "=" if (m.group("flat") or m.group("op") in _EQUAL) else \
                (">" if sign(m.group("op")) > 0 else "<")
            if m.group("op") in _AGAINST and not m.group("flat"):
                continue
            sid = max((g.sentence_id for g in ctx.figures if g.block <= bi
                       and (g.block < bi or g.start < m.start())), default=None)
            if sid is None:
                continue
            budget, actual = _nearby(ctx, sid, "budget"), _nearby(ctx, sid, "actual")
            if budget is None or actual is None or budget.sentence_id != actual.sentence_id:
                continue
            b, a = amount(budget).interval(), amount(actual).interval()
            holds: bool
            if op == "=":
                holds = a.overlaps(b)
            elif op == ">":
                holds = a.hi > b.lo
            else:
                holds = a.lo < b.hi
            verdict: Verdict = "consistent" if holds else "inconsistent"
            word = {"=": "等于", ">": "大于", "<": "小于"}[op]
            out.append(Finding(
                check="comparison", severity="medium" if not holds else "none", verdict=verdict,
                page=block.page, quote=_compare_quote(ctx, bi, m, budget, actual), stated=f"决算数{word}预算数",
                expected=f"决算 {show(actual)} vs 预算 {show(budget)}",
                message=f"决算 {n(actual.num)} {'=' if op == '=' else op} 预算 {n(budget.num)}: "
                        f"{'holds' if holds else 'does not hold'}"))
    return out


def _compare_quote(ctx: Context, bi: int, m: re.Match[str], budget: Figure, actual: Figure) -> str:
    """The comparison with the two amounts it is about: their clauses, then the comparison's words."""
    text = ctx.report.blocks[bi].text
    if budget.block == bi and actual.block == bi:
        return clauses_quote(text, [(budget.start, budget.end), (actual.start, actual.end), (m.start(), m.end())])
    if budget.block == actual.block:
        amounts = clauses_quote(ctx.report.blocks[budget.block].text,
                                [(budget.start, budget.end), (actual.start, actual.end)])
        return f"{amounts}…{_quote(text, m.start(), m.end())}"
    return _quote(text, m.start(), m.end())


def _quote(text: str, a: int, b: int) -> str:
    s = max(0, text.rfind("。", 0, a) + 1)
    e = text.find("。", b)
    e = len(text) if e < 0 else e + 1
    q = text[s:e].strip()
    if len(q) > 120:
        q = text[max(s, a - 40):min(e, b + 60)].strip()
    return q[:120]


def _flat_claims(ctx: Context) -> list[Finding]:
    """与上年持平 next to a printed change that is not zero."""
    out: list[Finding] = []
    for f in ctx.figures:
        if f.relation != "change":
            continue
        tail = ctx.report.blocks[f.block].text[f.end:f.end + 12]
        if not _FLAT.search(f.sentence) or not re.match(rf"^[，,]?[^，,。；;]{{0,4}}(?:{_FLAT_WORDS})", tail):
            continue
        holds = amount(f).interval().contains(Decimal(0))
        out.append(finding(ctx, "comparison", f, "consistent" if holds else "inconsistent", "medium",
                           "0", f"a change of {show(f)} is not 持平" if not holds else "no change: 持平"))
    return out


def _has(text: str, key: str) -> bool:
    return any(w in text for w in words(key))


def _rate_columns(labels: list[str]) -> tuple[int, int, int] | None:
    """(budget, executed, rate) column numbers from a row of column labels, or None."""
    leaves = [x.replace(" ", "") for x in labels]
    jr = next((j for j, x in enumerate(leaves) if _has(x, "narrative.execution_rate_column")), None)
    jb = next((j for j, x in enumerate(leaves) if _has(x, "narrative.executed_column")), None)
    ja = next((j for j, x in enumerate(leaves) if budget_base(x) == "whole_year"), None)
    if ja is None:
        ja = next((j for j, x in enumerate(leaves) if _has(x, "narrative.budget_column") and j not in (jr, jb)),
                  None)
    if jr is None or jb is None or ja is None:
        return None
    return ja, jb, jr


@emits("execution_rate")
def table_execution_rates(ctx: Context) -> list[Finding]:
    """自评表 rows: 执行率 = 全年执行数 / 全年预算数 (the header may be a row inside the table body)."""
    out: list[Finding] = []
    for t in ctx.report.tables:
        cols = _rate_columns([(t.column_path(j) or ("",))[-1] for j in range(t.n_cols)])
        for i, row in enumerate(t.rows):
            if all(c.num is None for c in row):
                cols = _rate_columns([c.text for c in row]) or cols
                continue
            if cols is None:
                continue
            f = _row_rate(t, i, row, cols)
            if f is not None:
                out.append(f)
    return out


def _row_rate(t: Table, i: int, row: tuple[Cell, ...], cols: tuple[int, int, int]) -> Finding | None:
    ja, jb, jr = cols
    if max(cols) >= len(row):
        return None
    a, b, stated = row[ja].num, row[jb].num, row[jr].num
    if a is None or b is None or stated is None:
        return None
    pct_cols = [j for j, c in enumerate(row) if c.text.strip().endswith(("%", "％"))]
    if pct_cols and jr not in pct_cols:
        return None  # the row is shifted against its header: the percentage sits in another column
    refs = tuple(CellRef(t.id, i, j, t.row_label(i), t.column_label(j), row[j].text, row[j].page) for j in cols)
    quote = " ".join(c.text.strip() for c in row if c.text.strip())[:120]
    got = rate_verdict(stated, b, a)
    if got is None:
        verdict: Verdict = "consistent" if b.value == 0 and stated.value == 0 else "inconsistent"
        return Finding("execution_rate", "low" if verdict == "inconsistent" else "none", verdict, row[jr].page,
                       quote, row[jr].text.strip(), "undefined", f"全年预算数 {a} is zero: no execution rate", refs)
    verdict, exact, _ = got
    return Finding("execution_rate", "medium" if verdict == "inconsistent" else "none", verdict, row[jr].page,
                   quote, row[jr].text.strip(), pct_text(exact, stated.decimals),
                   f"{row[jb].text.strip()} / {row[ja].text.strip()} = {fmt(exact, 4)}%", refs)


@check("comparison", family="narrative", severity="medium",
       doc="决算数大于/小于/等于预算数 and 与上年持平 against the amounts printed with them")
def comparison(ctx: Context) -> Iterable[Finding]:
    return _budget_comparisons(ctx) + _flat_claims(ctx)

