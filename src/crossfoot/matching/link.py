"""Figure <-> cell links an auditor can trust: the label and the column's role decide, the value confirms.

A narrative figure is tied to the table cell whose row (or, on total rows, column) names what the figure's
label names, in a column whose role fits the figure (年初预算数 for a 年初预算 figure, never a budget
column for an outturn, never a 行次/栏次/code column or a blank cell), in a table of the fund scope the
label names. Equal values only choose between cells the label names equally well: a value found under
another name is evidence, not a link. Each figure ends in one of three states:

- holds: linked, the cell holds the figure at its printed precision;
- differs: linked, the cell holds another value (a narrative_vs_table problem);
- unlinked: no cell is named well enough, or several are and they disagree. Never shown as holding.

The runners-up are kept with their scores in every state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from crossfoot.findings import CellRef, FigureLink, RunnerUp
from crossfoot.matching.link_names import (
    count_fits,
    figure_want,
    is_code_column,
    is_generic,
    role_fits,
    score_cell,
    table_umbrellas,
)
from crossfoot.matching.link_words import (
    ACCEPT,
    LEVEL_MARK,
    LINKED_RELATIONS,
    MARGIN,
    NAME_SLACK,
    pattern,
    table_scope,
    words,
)
from crossfoot.matching.match import IndexedCell, Match, MatchMemo, memo_of
from crossfoot.model import Report
from crossfoot.narrative.figures import Figure
from crossfoot.numbers import Interval, same_amount
from crossfoot.tables.labels import clean_label

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

@dataclass(frozen=True)
class Scored:
    cell: IndexedCell
    score: float  # the label score with the scope, topic and column adjustments: orders the cells
    equal: bool
    named: float = 100.0  # how well the names alone fit: the adjustments never lift a poor name to a link


def _equal(fig_iv: Interval, fig: Figure, cell: IndexedCell, cell_iv: Interval) -> bool:
    # A printed zero is a zero: 0 万元 is not a 0.01 万元 cell, however the rounding goes.
    if (fig.num.value == 0) != (cell.num.value == Decimal(0)):
        return False
    return same_amount(cell_iv, fig_iv)


@dataclass
class Linking:
    """The links of a report's narrative figures."""

    matches: dict[int, Match] = field(default_factory=dict)
    # Figure -> the earlier figure of its paragraph whose label it took (预算安排 X -> 住房公积金（01项）Y).
    subjects: dict[int, int] = field(default_factory=dict)
    # Figures that stayed unlinked -> their best candidates with scores (why: too weak, or ambiguous).
    unlinked: dict[int, tuple[tuple[CellRef, float], ...]] = field(default_factory=dict)

    @property
    def coverage(self) -> dict[str, int]:
        held = sum(1 for m in self.matches.values() if m.value_equal)
        return {"figures": len(self.matches) + len(self.unlinked), "linked": len(self.matches),
                "held": held, "differed": len(self.matches) - held, "unlinked": len(self.unlinked)}


@cache
def _change_words() -> tuple[str, ...]:
    """The lexicon's direction words (增加, 减少, 节约…) and the linker's own (调减, 原因…)."""
    lexicon = [w for k in ("increase", "decrease", "spend_more", "spend_less") for w in words(f"relation.{k}")]
    return (*lexicon, *words("change_words"))


def _not_an_amount(f: Figure, label: str) -> bool:
    """Money no table cell holds: what an evaluation covers (涉及…), a target (≥500元), a change or the
    reason for one (原因是从会议费预算中调减X), a sum of several items (养老保险、职业年金缴费等X)."""
    own = f.label
    return (own.startswith(words("not_amounts")) or label.startswith(words("not_amounts"))
            or f.prefix.rstrip().endswith(words("target_marks"))
            or any(w in own for w in _change_words())
            or own.rstrip().endswith(words("aggregate_ends")))


def linkable(fig: Figure) -> bool:
    return (fig.is_money or fig.relation == "count") and fig.relation in LINKED_RELATIONS


def _block_heading(report: Report, block: int) -> str:
    """A 科目 heading opening a block ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于…"):
    the amounts that follow in the block are that 科目's."""
    text = report.blocks[block].text
    first = re.split(r"[。；;]", text, maxsplit=1)[0]
    if LEVEL_MARK.search(first) and not pattern("amount").search(first):
        return clean_label(first)
    return ""


def _runs_on(report: Report, block: int) -> bool:
    """A block that continues the sentence of the block before (a line break the parse kept)."""
    return block > 0 and not report.blocks[block - 1].text.rstrip().endswith(("。", "；", ";", "！", "？", "!", "?"))


def _labels(report: Report, figures: list[Figure], subjects: dict[int, int] | None = None) -> dict[int, str]:
    """Each figure's label. A figure without one of its own takes its paragraph's subject: a generic
    label (预算安排) or a continuation (累计接待) the subject of the figure before, a block opened by a
    科目 heading that heading, an amount opening a block the subject of the block before."""
    out: dict[int, str] = {}
    subject: dict[int, str] = {}
    source: dict[int, int] = {}  # block -> the figure its subject comes from
    cont = words("continuation")
    for f in figures:
        label = f.label
        heading = _block_heading(report, f.block)
        if f.block not in subject and heading:
            subject[f.block] = heading
        elif f.block not in subject and f.block - 1 in subject and _runs_on(report, f.block):
            subject[f.block] = subject[f.block - 1]  # the block goes on with the sentence before
            if f.block - 1 in source:
                source[f.block] = source[f.block - 1]
        own = subject.get(f.block, "")
        if not label.strip() and f.sentence_start == 0 and f.block > 0:
            label = subject.get(f.block - 1, label)
        elif heading and not LEVEL_MARK.search(label) and f.is_money:
            label = heading
        elif is_generic(label) or any(label.startswith(w) for w in cont):
            label = own or label
            if own and not f.is_money and f.num.unit:
                label = own + f.num.unit
            if own and subjects is not None and f.block in source:
                subjects[f.index] = source[f.block]
        elif f.relation in (None, "budget", "actual", "count") and not (f.relation == "count"
                                                                          and LEVEL_MARK.search(label + "）")):
            subject[f.block] = label
            source[f.block] = f.index
        out[f.index] = label
    return out


def link_figures(memo: MatchMemo, figures: list[Figure]) -> Linking:
    report = memo.report
    kind = report.kind
    titles = {t.id: f"{t.code} {t.title}" if t.code and t.title else (t.title or t.code or "")
              for t in report.tables}
    scopes = {t.id: table_scope(t, kind) for t in report.tables}
    umbrellas = table_umbrellas(report, memo.cells)
    out = Linking()
    labels = _labels(report, figures, out.subjects)
    fitting: dict[tuple[bool, str], list[tuple[IndexedCell, Interval, str, str | None, frozenset[str]]]] = {}
    for f in figures:
        if not linkable(f):
            continue
        if f.relation == "count" and LEVEL_MARK.search(f.prefix[-4:] + f.text):
            continue  # "（01项）" is a 科目 level code, not a count
        if _not_an_amount(f, labels[f.index]):
            # Money an evaluation "covers" (涉及…), a target (≥500元, 不低于4000万元): no table amount.
            out.unlinked[f.index] = ()
            continue
        want = figure_want(report, f, labels[f.index])
        money = f.is_money
        fig_iv = (f.yuan() if money else f.num).interval()
        # Which cells a figure may be is the same for every figure of its kind (money or not) and role.
        key = (money, want.role)
        cands = fitting.get(key)
        if cands is None:
            cands = fitting[key] = [
                (c, iv, titles.get(c.ref.table, ""), scopes.get(c.ref.table), umbrellas.get(c.ref.table, frozenset()))
                for c, iv in zip(memo.cells, memo.intervals, strict=True)
                if c.money == money and not is_code_column(c.column_path) and role_fits(want, c, kind)]
        scored: list[Scored] = []
        for c, iv, title, tscope, umbrella in cands:
            if not money and not count_fits(f, c):
                continue
            got = score_cell(want, c, title, tscope, umbrella, floor=ACCEPT - 30)
            if got is None or got[0] < ACCEPT - 30:
                continue
            scored.append(Scored(c, got[0], _equal(fig_iv, f, c, iv), got[1]))
        scored.sort(key=lambda x: (-x.score, not x.equal))
        decided = _decide(scored)
        runners = tuple((x.cell.ref, _shown(x.score)) for x in scored if x is not decided)[:5]
        if decided is None:
            out.unlinked[f.index] = tuple((x.cell.ref, _shown(x.score)) for x in scored[:5])
            continue
        out.matches[f.index] = Match(f.index, decided.cell.ref, _shown(decided.score), runners,
                                     value_equal=decided.equal, label_score=decided.score)
    return out


def _shown(score: float) -> float:
    """A label score as shown: 0..100 (the bonuses for scope and topic only order the cells)."""
    return round(max(0.0, min(score, 100.0)), 1)


def _decide(scored: list[Scored]) -> Scored | None:
    """The cell the figure is tied to: the best-named one; among equally well named ones, the one that
    holds the value; none when the equally well named cells disagree and none holds it."""
    if not scored or scored[0].score < ACCEPT or scored[0].named < ACCEPT - NAME_SLACK:
        return None
    top, top_named = scored[0].score, scored[0].named
    # Equally well named: close on the adjusted score and on the names alone.
    group = [x for x in scored if x.score >= top - MARGIN and x.named >= top_named - MARGIN]
    equal = [x for x in group if x.equal]
    if equal:
        return equal[0]
    if len({x.cell.num.value for x in group}) == 1:
        return group[0]
    return None


def figure_links(ctx: Context) -> tuple[FigureLink, ...]:
    """The context's links as rows a report renders (and the findings cache keeps)."""
    linking = ctx.linking
    rows: list[FigureLink] = []
    for f in ctx.figures:
        m = linking.matches.get(f.index)
        if m is None and f.index not in linking.unlinked:
            continue
        runners = m.runners_up if m is not None else linking.unlinked[f.index]
        state = "unlinked" if m is None else "holds" if m.value_equal else "differs"
        rows.append(FigureLink(f.page, f.text, f.label, state, m.best if m is not None else None,
                               m.score if m is not None else None,
                               tuple(RunnerUp(ref, sc) for ref, sc in runners)))
    return tuple(rows)


def match_figures(src: Report | MatchMemo, figures: list[Figure]) -> dict[int, Match]:
    """Figure index -> its link; unlinked figures are absent."""
    return link_figures(memo_of(src), figures).matches
