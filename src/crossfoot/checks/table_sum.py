"""Table arithmetic: every total row and total column against the sum of its parts."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.evaluate.self_evaluation import funds_figures
from crossfoot.findings import CellRef, Finding, FindingVerdict, Severity
from crossfoot.knowledge import pattern, words
from crossfoot.model import Cell, Table
from crossfoot.numbers import Interval, Num, classify, fmt, interval_sum, parse_number
from crossfoot.tables.rowgroups import Group, code_groups, column_groups, label_groups, outline_groups
from crossfoot.tables.scoretable import Indicator, ScoreTable, indicators
from crossfoot.tables.structure import (
    Row,
    bands,
    cell_ref,
    column_label,
    is_blank,
    is_dash,
    iter_segments,
    label_unit,
    row_text,
    table_kind,
)

_RANK = {"consistent": 0, "rounding": 1, "inconsistent": 2}


@dataclass
class _Result:
    """All identities found for one total cell; the worst verdict wins, the arithmetic of each is kept."""

    table: Table
    row: int
    col: int
    verdicts: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    expected: list[str] = field(default_factory=list)
    refs: list[CellRef] = field(default_factory=list)
    missing: bool = False
    # Parts found only by reading an un-numbered list (no codes, no outline numbers) may have lost the
    # indentation that nested them: such findings are less sure.
    loose: bool = False


@dataclass(frozen=True)
class Term:
    table: Table
    row: int
    col: int
    label: str


def evaluate(total: Cell, parts: list[Cell]) -> tuple[str, Decimal, Interval] | None:
    """Verdict of total = Σ parts; None when there is nothing to compare.

    Blank parts are zero; dashes mean "not applicable" and a total made only of them is not checked.
    """
    if is_dash(total) or any(p.num is not None and p.num.unit == "%" for p in [total, *parts]):
        return None
    nums = [p.num for p in parts]
    if all(n is None for n in nums):
        return None
    exact = sum((n.value for n in nums if n is not None), Decimal(0))
    iv = interval_sum([n.interval() for n in nums if n is not None])
    t = total.num
    if t is None:
        return ("missing", exact, iv) if exact != 0 else None
    return classify(t, exact, iv), exact, iv


def _decimals(t: Num | None, parts: list[Cell]) -> int:
    if t is not None:
        return t.decimals
    ds = [p.num.decimals for p in parts if p.num is not None]
    return max(ds) if ds else 0


def _record(results: dict[tuple[str, int, int], _Result], table: Table, total: Term, parts: list[Term],
            explicit_total: bool, loose: bool = False) -> None:
    tcell = table.rows[total.row][total.col]
    pcells = [p.table.rows[p.row][p.col] for p in parts]
    ev = evaluate(tcell, pcells)
    if ev is None:
        return
    verdict, exact, _ = ev
    if verdict == "missing" and not explicit_total:
        return
    key = (table.id, total.row, total.col)
    res = results.setdefault(key, _Result(table, total.row, total.col))
    res.loose = res.loose or (loose and verdict == "inconsistent")
    shown = [c.text.strip() or "0" for c in pcells]
    d = _decimals(tcell.num, pcells)
    expected = fmt(exact, d)
    if verdict == "missing":
        res.missing = True
        res.verdicts.append("inconsistent")
        res.messages.append(f"{total.label} is blank but its parts add up to {expected} "
                            f"({' + '.join(shown)})")
    else:
        res.verdicts.append(verdict)
        res.messages.append(f"{' + '.join(shown)} = {expected} vs {tcell.text.strip()} ({total.label})")
    res.expected.append(expected)
    if not res.refs:
        res.refs.append(cell_ref(table, total.row, total.col))
    res.refs.extend(cell_ref(p.table, p.row, p.col) for p in parts)


def _units_agree(group: Group) -> bool:
    units = {label_unit(r.name) for r in (group.total, *group.parts)} - {None}
    return len(units) <= 1


def _group_terms(group: Group) -> Iterator[tuple[Term, list[Term]]]:
    t = group.total
    subs = {id(h): kids for h, kids in group.subs}
    for k, tcol in enumerate(t.value_cols):
        parts: list[Term] = []
        for p in group.parts:
            if k >= len(p.value_cols):
                break
            kids = subs.get(id(p))
            if kids and is_blank(p.table.rows[p.index][p.value_cols[k]]) and any(
                    k < len(c.value_cols) and not is_blank(c.table.rows[c.index][c.value_cols[k]]) for c in kids):
                parts.extend(Term(c.table, c.index, c.value_cols[k], c.label) for c in kids
                             if k < len(c.value_cols))
            else:
                parts.append(Term(p.table, p.index, p.value_cols[k], p.label))
        else:
            if not _shifted(t, k, parts):
                yield Term(t.table, t.index, tcol, t.label), parts


def _shifted(t: Row, k: int, parts: list[Term]) -> bool:
    """The total is blank in this column, its parts are not, and it prints a value in another value column
    where its parts print none: the row was read one column off, so nothing can be compared."""
    cells = t.table.rows[t.index]
    if not is_blank(cells[t.value_cols[k]]) or all(is_blank(p.table.rows[p.row][p.col]) for p in parts):
        return False
    for k2, col in enumerate(t.value_cols):
        if k2 == k or is_blank(cells[col]):
            continue
        others = [p.table.rows[p.row][p.col + col - t.value_cols[k]] for p in parts
                  if 0 <= p.col + col - t.value_cols[k] < len(p.table.rows[p.row])]
        if all(is_blank(c) for c in others):
            return True
    return False


def _nested_run(parts: tuple[Row, ...]) -> bool:
    """Some row equals the sum of one or more rows right after it (类 10 = 款 10 = 项 6 + 4): the list
    holds a hierarchy whose levels were not printed as codes or numbers, so adding it up would count
    parents and children together."""
    for k in range(len(parts[0].value_cols) if parts else 0):
        vals = [p.table.rows[p.index][p.value_cols[k]].num if k < len(p.value_cols) else None for p in parts]
        for a, head in enumerate(vals):
            if head is None or head.value == 0:
                continue
            run = Decimal(0)
            for n in vals[a + 1:]:
                if n is None:
                    break
                run += n.value
                if run == head.value:
                    return True
                if run > head.value:
                    break
    return False


def table_results(table: Table) -> list[_Result]:
    results: dict[tuple[str, int, int], _Result] = {}
    for band in bands(table):
        for group in [*code_groups(band), *label_groups(band), *outline_groups(band)]:
            if not _units_agree(group):
                continue
            explicit = group.total.is_total
            loose = group.rule == "outline" and all(p.outline == 0 and p.code is None for p in group.parts)
            if loose and _nested_run(group.parts):
                continue  # parents and children in one list whose nesting cannot be read: not checkable
            for total, parts in _group_terms(group):
                _record(results, table, total, parts, explicit, loose)
    for _, seg, rows in iter_segments(table):
        for tcol, pcols in column_groups(table, seg):
            label = column_label(table, tcol)
            for r in rows:
                _record(results, table, Term(table, r.index, tcol, label),
                        [Term(table, r.index, j, column_label(table, j)) for j in pcols], True)
    return list(results.values())


def _finding(res: _Result) -> Finding:
    verdict = max(res.verdicts, key=lambda v: _RANK[v])
    tcell = res.table.rows[res.row][res.col]
    severity: Severity = "none"
    if verdict == "inconsistent":
        severity = "low" if res.missing else "medium"
    # Keep the failing identity first so the message leads with what is wrong.
    order = sorted(range(len(res.verdicts)), key=lambda i: -_RANK[res.verdicts[i]])
    return Finding(
        check="table_sum",
        severity=severity,
        verdict=verdict,  # type: ignore[arg-type]
        page=tcell.page,
        quote=row_text(res.table.rows[res.row]),
        # A blank total is stated as blank, with what its parts give beside it.
        stated=tcell.text.strip() or f"空白（各项之和 {res.expected[order[0]]}）",
        expected=res.expected[order[0]],
        message="; ".join(res.messages[i] for i in order),
        refs=tuple(dict.fromkeys(res.refs)),
        confidence="low" if res.loose else "high",
    )


# Headers or cells of a scoring table (得分, 分值, 权重).
_SCORING_COLUMNS = words("tables.scoring_columns")


def scoring_like(table: Table) -> bool:
    """Scoring tables have their own checks: their 分值/得分 columns are not amounts to add across."""
    return table_kind(table) == "scoring" or any(w in h for h in table.columns for w in _SCORING_COLUMNS) or any(
        any(w in c.text for w in _SCORING_COLUMNS) for r in table.rows for c in r)


# ---- a 自评表's cost indicators against the money its project spent ----------------------------------

_COST_CAP = pattern("tables.cost_cap")
# A cost per unit or a rate is not a part of the spending.
_PER_UNIT = pattern("tables.per_unit")
_COST_UNITS = words("tables.cost_units")
_COST_WORDS = words("tables.cost_indicator")


def _money_unit(st: ScoreTable) -> str:
    texts = [h for row in st.table.header for h in row] + [c.text for r in st.table.rows[:3] for c in r]
    return next((u for u in _COST_UNITS[:-1] if any(u in t for t in texts)), _COST_UNITS[-1])


def _upto_score(cells: tuple[Cell, ...] | list[Cell], score_col: int, first: int = 0) -> str:
    return row_text(list(cells[first:score_col + 1]))


def _cost_indicators(tables: list[ScoreTable]) -> Iterator[Finding]:
    """The amounts a 自评表's 成本指标 report spent on parts of its project cannot add up to more than the
    project's 全年执行数 (two such amounts at least, so the parts are parts and not the whole restated)."""
    for st in tables:
        figs = funds_figures(st)
        if figs is None:
            continue
        _, spent, _, _, cb = figs
        unit = _money_unit(st)
        fr = next(r for r in st.rows if r.funds)
        costs: list[tuple[Indicator, Num]] = []
        for ind in indicators([st]):
            cells = st.table.rows[ind.row.row]
            if not any(w in c.text for c in cells[:ind.target_col] for w in _COST_WORDS) or _PER_UNIT.search(ind.name):
                continue
            cap = _COST_CAP.match(ind.target.replace(" ", ""))
            actual = parse_number(ind.actual)
            if cap is None or actual is None or actual.unit is not None:
                continue
            costs.append((ind, Num(actual.value, actual.decimals, actual.text, cap.group("u")).in_unit(unit)))
        if len(costs) < 2:
            continue
        total = Num(spent.value, spent.decimals, spent.text, unit)
        exact = sum((n.value for _, n in costs), Decimal(0))
        iv = interval_sum([n.interval() for _, n in costs])
        t_iv = total.interval()
        verdict: FindingVerdict = ("consistent" if exact <= total.value else
                                   "rounding" if iv.lo <= t_iv.hi else "inconsistent")
        shown = " + ".join(f"{ind.name} {ind.actual}" for ind, _ in costs)
        places = max(max(n.decimals for _, n in costs), 0)
        funds_cells = st.table.rows[fr.row]
        yield Finding(
            check="table_sum", severity="low" if verdict == "inconsistent" else "none", verdict=verdict,
            page=funds_cells[funds_cells.index(cb)].page,
            # The cost rows as printed (name to score); the 全年执行数 they exceed is `stated` and a ref.
            quote="；".join(_upto_score(st.table.rows[ind.row.row], ind.row.score_col, max(ind.target_col - 1, 0))
                           for ind, _ in costs),
            stated=f"全年执行数 {spent.text}", expected=f"≥ {fmt(exact, places)}",
            message=(f"the cost indicators of {st.table.title or 'the 自评表'} report {shown} = "
                     f"{fmt(exact, places)}{unit} spent, "
                     + (f"more than the project's 全年执行数 {spent.text}{unit}" if verdict == "inconsistent" else
                        f"within the project's 全年执行数 {spent.text}{unit}")),
            refs=(cell_ref(st.table, fr.row, funds_cells.index(cb), "全年执行数"),
                  *(cell_ref(st.table, ind.row.row, ind.actual_col, ind.name) for ind, _ in costs)),
        )


@check("table_sum", family="structural", severity="medium",
       doc="总计/合计/小计 rows and columns, and the 类/款/项 hierarchy, equal the sum of their parts; a 自评表's "
           "cost indicators add up to no more than its 全年执行数")
def table_sum(ctx: Context) -> Iterable[Finding]:
    for table in ctx.report.tables:
        if scoring_like(table):
            continue
        for res in table_results(table):
            yield _finding(res)
    yield from _cost_indicators(ctx.score_tables)

