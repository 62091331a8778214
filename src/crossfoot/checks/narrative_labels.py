"""Figures given to the wrong label, base or unit.

Severity rule: a rate or amount that is right only for another base or another fund scope is medium
(the reader is told something false about the quantity); a wrong name, code or unit for a figure whose
value is right is low.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.evaluate.budget import level_findings, name_findings
from crossfoot.evaluate.common import finding, show
from crossfoot.findings import CellRef, Finding
from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Table
from crossfoot.numbers import MONEY_UNITS, Num, fmt, same_amount
from crossfoot.tables.labels import RENAMED, code_of, norm_label, similarity
from crossfoot.tables.structure import compact, row_text

_HEADCOUNT = pattern("narrative.headcount")
_HOUSEHOLDS = pattern("narrative.households")
_PEOPLE, _HOUSEHOLD = words("narrative.person_units"), words("narrative.household_units")
_INDICATOR = re.compile(r"(?<![A-Za-z0-9])([A-Z])(\d{2,3})[\s\u3000]*([^\s\u3000：:，,。；;（(0-9][^：:，,。；;]{1,24}?)[\s\u3000]*[：:]")
_CELL_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]\d{2,3})[\s\u3000]*([^\s\u3000\d][^\t]{1,24})")
_CELL_UNIT = re.compile("(" + alternation((*(u for u, _ in load_catalogue().units.money), *_PEOPLE, *_HOUSEHOLD))
                        + r")[\s\u3000]*$")


def _table_indicators(ctx: Context) -> list[tuple[str, str, int, str]]:
    """(code, name, page, table id) of every indicator a table prints as 'B31 惠及年度'."""
    out: list[tuple[str, str, int, str]] = []
    for t in ctx.report.tables:
        for row in t.rows:
            for c in row:
                for m in _CELL_CODE.finditer(c.text):
                    name = norm_label(m.group(2))
                    if name:
                        out.append((m.group(1), name, c.page, t.id))
    return out


def _indicator_codes(ctx: Context) -> list[Finding]:
    """A narrative '(1) C31 惠及年度：' where the nearest table codes the same indicator otherwise (B31).

    One finding per table: a section that re-letters its indicators does so for all of them.
    """
    indicators = _table_indicators(ctx)
    if not indicators:
        return []
    groups: dict[str, list[tuple[int, int, re.Match[str], str, str]]] = {}
    for bi, b in enumerate(ctx.report.blocks):
        for m in _INDICATOR.finditer(b.text):
            code = m.group(1) + m.group(2)
            name = norm_label(m.group(3))
            named = [(abs(p - b.page), tid, c) for c, nm, p, tid in indicators
                     if nm == name or similarity(nm, name) >= 88]
            if not named:
                continue
            dist = min(d for d, _, _ in named)
            near = [(tid, c) for d, tid, c in named if d == dist]
            if any(c == code for _, c in near):
                continue
            tid, expected = near[0]
            groups.setdefault(tid, []).append((bi, m.start(), m, code, expected))
    out: list[Finding] = []
    for tid, hits in groups.items():
        bi, _, m, code, expected = hits[0]
        b = ctx.report.blocks[bi]
        others = "; ".join(f"{h[3]} → {h[4]}" for h in hits[1:])
        a = max(0, m.start() - 20)
        out.append(Finding(
            check="mislabel", severity="low", verdict="inconsistent", page=b.page,
            quote=b.text[a:m.end() + 40].strip()[:120], stated=code, expected=expected,
            message=f"the text codes indicator {m.group(3).strip()} as {code}; table {tid} codes it {expected}"
                    + (f" (also {others})" if others else "")))
    return out


def _indicator_names(ctx: Context) -> list[Finding]:
    """A narrative 'D11 参加培训人员满意度：' where the nearest table names indicator D11 otherwise
    (服务对象满意度), and no nearby table prints the narrative's name at all."""
    indicators = _table_indicators(ctx)
    out: list[Finding] = []
    for b in ctx.report.blocks:
        for m in _INDICATOR.finditer(b.text):
            code = m.group(1) + m.group(2)
            name = norm_label(m.group(3))
            same = [(abs(p - b.page), nm, tid) for c, nm, p, tid in indicators if c == code]
            if not name or not same:
                continue
            dist = min(d for d, _, _ in same)
            near = [(nm, tid) for d, nm, tid in same if d == dist]
            if max(similarity(nm, name) for nm, _ in near) >= 60:
                continue
            if any(similarity(nm, name) >= 88 for _, nm, p, _ in indicators if abs(p - b.page) <= 3):
                continue  # the name is printed nearby under another code: the code check tells that
            expected, tid = near[0]
            a = max(0, m.start() - 20)
            out.append(Finding(
                check="mislabel", severity="low", verdict="inconsistent", page=b.page,
                quote=b.text[a:m.end() + 40].strip()[:120], stated=m.group(3).strip(), expected=expected,
                message=f"the text names indicator {code} {m.group(3).strip()}; table {tid} names {code} {expected}"))
    return out


_EXECUTION_HEADING = pattern("narrative.execution_heading")
_BUDGET_HEADING = pattern("narrative.budget_heading")


def _budget_word_under_execution(ctx: Context) -> list[Finding]:
    """Under a 资金执行情况 heading, an amount the text calls 预算指标 that is not the 预算指标 stated under the
    资金预算情况 heading just before: the executed amount named as the budget."""
    out: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    blocks = ctx.report.blocks
    budgets = [f for f in ctx.figures if f.relation == "budget" and f.is_money]
    for f in budgets:
        if f.block == 0 or not _EXECUTION_HEADING.search(blocks[f.block - 1].text):
            continue
        before = [g for g in budgets if f.block - 4 <= g.block < f.block - 1 and similarity(g.label, f.label) >= 90
                  and _BUDGET_HEADING.search(blocks[g.block - 1].text)]
        if not before or any(g.yuan().value == f.yuan().value for g in before):
            continue
        g = before[-1]
        if (f.sentence, show(f)) in seen:
            continue  # the same paragraph printed again (a report repeating its project section)
        seen.add((f.sentence, show(f)))
        out.append(finding(ctx, "mislabel", f, "inconsistent", "low", f"执行数 {show(f)} (预算指标 {show(g)})",
                           f"under {blocks[f.block - 1].text.strip()} the text calls {show(f)} the budget, but the "
                           f"budget stated under {blocks[g.block - 1].text.strip()} is {show(g)}: {show(f)} reads as "
                           f"the amount executed", stated=f"预算指标 {show(f)}"))
    return out


def _duplicate_codes(ctx: Context) -> list[Finding]:
    """One indicator code given to two different indicators in the same table."""
    out: list[Finding] = []
    for t in ctx.report.tables:
        seen: dict[str, str] = {}
        for i, row in enumerate(t.rows):
            for c in row:
                m = _CELL_CODE.match(c.text.strip())
                if not m:
                    continue
                code, name = m.group(1), norm_label(m.group(2))
                if code in seen and seen[code] != name and similarity(seen[code], name) < 90:
                    quote = " ".join(x.text.strip() for x in row if x.text.strip())[:120]
                    out.append(Finding(
                        check="mislabel", severity="low", verdict="inconsistent", page=c.page, quote=quote,
                        stated=code, expected="a code of its own",
                        message=f"{code} is used for both {seen[code]} and {name}",
                        refs=(CellRef(t.id, i, row.index(c), t.row_label(i), t.column_label(row.index(c)),
                                      c.text, c.page),)))
                seen.setdefault(code, name)
    return out


def _renamed_subjects(ctx: Context) -> list[Finding]:
    """An old 科目 name where the tables print the current one (医疗卫生与计划生育支出 -> 卫生健康支出)."""
    out: list[Finding] = []
    table_text = " ".join(c.text for t in ctx.report.tables for r in t.rows for c in r[:3])
    done: set[int] = set()
    for f in ctx.figures:
        if f.sentence_id in done:
            continue
        for old, new in RENAMED.items():
            if old in f.label and new in table_text and old not in table_text:
                done.add(f.sentence_id)
                out.append(finding(ctx, "mislabel", f, "inconsistent", "low", new,
                                   f"{old} is the former name of the 科目 the tables call {new}", stated=old))
    return out


_PROJECT_IN_TITLE = re.compile(r"[（(]([^（）()]{4,40})[)）][\s\u3000]*$")
_YEARS = pattern("narrative.year")


def _project_tables(ctx: Context) -> list[tuple[str, Table, set[Decimal]]]:
    """(project name, its 自评表, the amounts of its 资金总额 row) for every table named after a project."""
    out: list[tuple[str, Table, set[Decimal]]] = []
    for t in ctx.report.tables:
        m = _PROJECT_IN_TITLE.search(t.title or "")
        if not m:
            continue
        values: set[Decimal] = set()
        for i, row in enumerate(t.rows):
            if any(w in t.row_label(i).replace(" ", "") or any(w in c.text for c in row[:3])
                   for w in words("narrative.project_funds_row")):
                values |= {c.num.value for c in row if c.num is not None and c.num.unit is None}
        if values:
            out.append((norm_label(_YEARS.sub("", m.group(1))), t, values))
    return out


def _other_project_amounts(ctx: Context) -> list[Finding]:
    """A project's budget / outturn in the text that its own 自评表 does not hold but another project's does."""
    projects = _project_tables(ctx)
    if len(projects) < 2:
        return []
    out: list[Finding] = []
    done: set[int] = set()
    for f in ctx.figures:
        if f.sentence_id in done or not f.is_money or f.relation not in ("budget", "actual"):
            continue
        label = norm_label(_YEARS.sub("", f.label))
        own = [p for p in projects if len(p[0]) >= 4 and similarity(label, p[0]) >= 90]
        if len(own) != 1:
            continue
        name, table, values = own[0]
        # Tables print 万元 or 元 (sometimes 元 under a 万元 heading): any reading of the figure will do.
        readings = {f.num.value, f.num.in_unit("万元").value, f.yuan().value}
        if readings & values:
            continue
        other = [p for p in projects if p[1] is not table and readings & p[2]
                 and similarity(p[0], name) < 90]
        if len(other) != 1:
            continue
        done.add(f.sentence_id)
        # The row also holds 分值 and 得分; the project's money is its largest figure.
        own_amount = str(max(values))
        out.append(finding(ctx, "mislabel", f, "inconsistent", "medium", own_amount,
                           f"{show(f)} is not in {name}'s own table ({table.id}: 资金总额 {own_amount}) but is "
                           f"the amount of {other[0][0]} ({other[0][1].id})"))
    return out


def _project_core(title: str) -> str:
    """A project's own name from its 自评表 title: years, 项目 and punctuation dropped."""
    m = _PROJECT_IN_TITLE.search(title)
    return pattern("narrative.project_suffix").sub("", norm_label(_YEARS.sub("", m.group(1)))) if m else ""


def _other_project_text(ctx: Context) -> list[Finding]:
    """A 自评表 cell naming another project (its target copied from that project's table): 小额贷款贴息's
    table carrying "资助雨露计划学生1734人" of 雨露计划."""
    tables = [(core, t) for t in ctx.report.tables if len(core := _project_core(t.title or "")) >= 4]
    if len(tables) < 2:
        return []
    out: list[Finding] = []
    for core, t in tables:
        others = [c for c, u in tables if u is not t and c not in core and core not in c]
        for row in t.rows:
            for c in row:
                text = c.text.strip()
                hit = next((o for o in others if o in compact(text)), None)
                if hit is None or core in compact(text) or len(text) > 60:
                    continue
                out.append(Finding(
                    check="mislabel", severity="low", verdict="inconsistent", page=c.page,
                    quote=row_text(row), stated=text, expected=f"{core}'s own",
                    message=f"the 自评表 of {core} ({t.id}) prints {text}, which names another project ({hit})"))
                break
    return out


_DEFINITIONS = pattern("narrative.definitions_heading")
_PART_HEADING = pattern("narrative.chapter_heading")
_DEFINES = pattern("narrative.defines")
_YEAR = pattern("narrative.year_number")


def _stale_years(ctx: Context) -> list[Finding]:
    """A year in the definitions (名词解释) that is neither the report year nor the year before.

    Definitions describe the report year (当年) and its predecessor (上年); any other year there is a
    template left over from another year.
    """
    year = ctx.report.year
    if year is None:
        return []
    out: list[Finding] = []
    inside = False
    for b in ctx.report.blocks:
        if _DEFINITIONS.search(b.text) and len(b.text) < 30:
            inside = True
            continue
        if inside and _PART_HEADING.match(b.text):
            inside = False
        if not inside:
            continue
        if not _DEFINES.search(b.text):
            continue
        for m in _YEAR.finditer(b.text):
            y = int(m.group(1))
            # Policy documents of other years are cited on purpose; a near year in 填列/反映 is a stale template.
            if y in (year, year - 1) or abs(y - year) > 2:
                continue
            head = b.text[:m.start()]
            prior = any(w in head for w in words("narrative.prior_year_word")) and \
                not any(w in head for w in words("narrative.this_year_word"))
            want = year - 1 if prior else year
            a = max(0, m.start() - 50)
            out.append(Finding(
                check="mislabel", severity="low", verdict="inconsistent", page=b.page,
                quote=b.text[a:m.end() + 50].strip()[:120], stated=m.group(1), expected=str(want),
                message=f"a definition in the {year} report speaks of {y}; "
                        f"{'上年 is' if prior else 'the year meant is'} {want}"))
    return out


@check("mislabel", family="narrative", severity="medium",
       doc="a figure right for another base, budget, fund scope, year or name (medium for rates, low for names)")
def mislabel(ctx: Context) -> Iterable[Finding]:
    # Rates and amounts right for another base or fund scope come from their evaluations' checks
    # (narrative_rates, narrative_values), which are registered with this id too and run first.
    out = _indicator_codes(ctx)
    out += _indicator_names(ctx)
    out += _budget_word_under_execution(ctx)
    out += _duplicate_codes(ctx)
    out += _renamed_subjects(ctx)
    out += _stale_years(ctx)
    out += _other_project_amounts(ctx)
    out += _other_project_text(ctx)
    out += level_findings(ctx)
    out += name_findings(ctx)
    return out


def _cell_units(ctx: Context) -> list[Finding]:
    """Table rows whose printed unit contradicts the indicator: 户 for a head-count, 万元 for people."""
    out: list[Finding] = []
    for t in ctx.report.tables:
        for i, row in enumerate(t.rows):
            label = norm_label(t.row_label(i))
            label = re.sub(r"[≥≤><=].*$", "", label)
            if not label:
                continue
            for j, c in enumerate(row):
                m = _CELL_UNIT.search(c.text)
                if not m or not re.search(r"\d", c.text):
                    continue
                u = m.group(1)
                bad = (_HEADCOUNT.search(label) and (u in _HOUSEHOLD or u in MONEY_UNITS)) or \
                      (_HOUSEHOLDS.search(label) and u in _PEOPLE)
                if bad:
                    ref = CellRef(t.id, i, j, t.row_label(i), t.column_label(j), c.text, c.page)
                    quote = " ".join(x.text for x in row if x.text.strip())[:120]
                    out.append(Finding(
                        check="unit", severity="low", verdict="inconsistent", page=c.page, quote=quote,
                        stated=c.text.strip(), expected=_PEOPLE[0] if _HEADCOUNT.search(label) else _HOUSEHOLD[0],
                        message=f"{t.row_label(i)} counts {'people' if _HEADCOUNT.search(label) else 'households'}"
                                f" but {c.text.strip()} is in {u}", refs=(ref,)))
                    break
    return out


_WAN_DECLARED = re.compile(r"[（(]\s*万元\s*[)）]")


def _yuan_under_wan_header(ctx: Context) -> list[Finding]:
    """Cells under a （万元） header holding the 元 value of an amount the text gives in 万元."""
    stated = [f.yuan() for f in ctx.figures if f.is_money]
    if not stated:
        return []
    out: list[Finding] = []
    for t in ctx.report.tables:
        return_table = False
        # The unit may be declared for the whole table, over the label column, or in a row's label.
        declared_table = t.unit == "万元" or bool(_WAN_DECLARED.search(t.column_label(0)))
        for i, row in enumerate(t.rows):
            declared_row = declared_table or bool(_WAN_DECLARED.search(t.row_label(i)))
            for j, c in enumerate(row):
                n = c.num
                if n is None or n.unit is not None or n.value < 10000 or code_of(c.text):
                    continue  # 39907 is a classification code, not an amount
                if not (declared_row or _WAN_DECLARED.search(t.column_label(j))):
                    continue
                as_yuan = n.interval()
                as_wan = Num(n.value, n.decimals, c.text, "万元").in_unit("元").interval()
                if any(same_amount(s.interval(), as_wan) for s in stated):
                    continue
                hit = next((s for s in stated if same_amount(s.interval(), as_yuan)), None)
                if hit is None:
                    continue
                quote = " ".join(x.text.strip() for x in row if x.text.strip())[:120]
                out.append(Finding(
                    check="unit", severity="low", verdict="inconsistent", page=c.page, quote=quote,
                    stated=c.text.strip(), expected=f"{fmt(n.value / 10000, 2)} 万元",
                    message=f"{c.text.strip()} sits under a 万元 heading but is the 元 amount of {hit.text.strip()}",
                    refs=(CellRef(t.id, i, j, t.row_label(i), t.column_label(j), c.text, c.page),)))
                return_table = True
                break
            if out and return_table:
                break  # one finding per table: the heading is wrong once, not once per row
    return out


def _narrative_units(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    figs = ctx.figures
    for f in figs:
        label = norm_label(f.label)
        if f.is_money and _HEADCOUNT.search(label):
            out.append(finding(ctx, "unit", f, "inconsistent", "low", _PEOPLE[0],
                               f"{f.label} is a head-count but {show(f)} is an amount of money"))
            continue
        after = ctx.report.blocks[f.block].text[f.end:f.end + 2]
        if f.num.unit == "元" and f.relation is None and not after.startswith(words("narrative.per_marks")):
            # 万元 figures of the same sentence that add up to this 元 figure: the unit is wrong.
            wan = [g for g in figs if g.sentence_id == f.sentence_id and g.num.unit == "万元" and g is not f]
            hit = _sums_to(f.num.value, f.num.decimals, wan)
            if hit:
                out.append(finding(ctx, "unit", f, "inconsistent", "low", f"{f.num} 万元",
                                   f"{' + '.join(show(g) for g in hit)} = {f.num}: the amount is in 万元, "
                                   f"printed as 元"))
    return out


def _sums_to(value: Decimal, decimals: int, figs: list) -> list:  # type: ignore[type-arg]
    if value < 100:
        return []
    half = Decimal(5).scaleb(-(decimals + 1))
    for a in figs:
        # One 万元 figure reprinted as 元 must carry the same printed digits (20673.80 / 20673.80).
        if a.num.value == value and a.num.decimals == decimals and decimals > 0:
            return [a]
    for i, a in enumerate(figs):
        for b in figs[i + 1:]:
            if abs(a.num.value + b.num.value - value) <= half + a.num.half_ulp + b.num.half_ulp:
                return [a, b]
    return []


@check("unit", family="narrative", severity="low",
       doc="a unit contradicting its indicator: 户 for a head-count, 万元 for people, 万元 amounts printed as 元")
def unit(ctx: Context) -> Iterable[Finding]:
    return _narrative_units(ctx) + _cell_units(ctx) + _yuan_under_wan_header(ctx)

