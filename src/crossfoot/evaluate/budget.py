"""预算 narratives, read through the catalogue's sentence forms (knowledge/sentences.toml).

Per 科目 a budget report prints "类（204类）款（06款）项（01项）X万元 … 2025年预算执行数为P万元，2026年预算安排
C万元，比2025年预算执行数增加R%". Three things must hold: R is (C − P) / P in the direction its word says
(growth_rate); the 科目's own amount X is the C the item budgets (self_conflict); a level tag's code has
that level's length (mislabel). The narrative is read as one stream over its blocks, so an item split
over a page break is still one item. The stream, its items and the tables' 科目 names are the context's
(`Context.budget_stream`, `budget_items`, `budget_code_names`); the checks named above ask for the findings.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot.findings import CellRef, Finding, Severity
from crossfoot.knowledge import SentenceMatch, find_sentences, load_catalogue, sign, words
from crossfoot.matching.match import cell_index
from crossfoot.model import Report
from crossfoot.narrative.quoting import sentence_around
from crossfoot.numbers import BASE_UNIT, Interval, Num, classify, fmt, parse_number, same_amount
from crossfoot.tables.labels import similarity
from crossfoot.tables.structure import iter_segments, table_kind

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
# Digits a level tag's code has: 类 3, 款 2 (5 with its 类), 项 2 (7 with its 类 and 款).
_LEI, _KUAN, _XIANG = words("rows.subject_levels")
_CODE_LENGTHS = {_LEI: (3,), _KUAN: (2, 5), _XIANG: (2, 7)}
# Money units (the lexicon's) and the one amounts are compared in (元, factor 1).
_MONEY = tuple(u for u, _ in load_catalogue().units.money)
_YUAN = BASE_UNIT
_RISE, _FALL = words("relation.increase")[0], words("relation.decrease")[0]


@dataclass(frozen=True)
class Stream:
    """The narrative blocks joined into one text, with each block's start offset."""

    text: str
    starts: tuple[int, ...]

    def page(self, report: Report, pos: int) -> int:
        k = 0
        for i, s in enumerate(self.starts):
            if s <= pos:
                k = i
        return report.blocks[k].page


def stream(report: Report) -> Stream:
    """The report's blocks as one stream (`Context.budget_stream`)."""
    starts: list[int] = []
    parts: list[str] = []
    pos = 0
    for b in report.blocks:
        starts.append(pos)
        parts.append(b.text)
        pos += len(b.text) + 1
    return Stream("\n".join(parts), tuple(starts))


def _money(text: str, unit: str) -> Num | None:
    n = parse_number(text + unit)
    return n.in_unit(_YUAN) if n is not None and n.unit is not None else None


def _quote(st: Stream, m: SentenceMatch) -> str:
    """The sentence form as printed (line breaks dropped), its end kept when it is long."""
    return st.text[m.start:m.end].replace("\n", "")[-118:]


def _show(n: Num) -> str:
    return n.text.replace(" ", "")


@dataclass(frozen=True)
class Item:
    """One 科目 paragraph: its heading amount and the budget sentence that follows it."""

    subject: SentenceMatch
    budget: SentenceMatch | None


def items(st: Stream) -> list[Item]:
    """Every 科目 paragraph of the stream with its budget sentence (`Context.budget_items`)."""
    subjects = sorted([*find_sentences("subject_amount", st.text), *find_sentences("subject_dashed", st.text)],
                      key=lambda m: m.start)
    budgets = list(find_sentences("budget_vs_execution", st.text))
    out: list[Item] = []
    for k, s in enumerate(subjects):
        nxt = subjects[k + 1].start if k + 1 < len(subjects) else len(st.text)
        mine = [b for b in budgets if s.end <= b.start < nxt]
        out.append(Item(s, mine[0] if mine else None))
    return out


def growth_findings(ctx: Context) -> Iterator[Finding]:
    """比上年预算执行数增加/减少 R% against (安排 − 执行数) / 执行数, for every such sentence."""
    st = ctx.budget_stream
    heads = {it.budget.start: h for it in ctx.budget_items if it.budget is not None
             and (h := _money(it.subject.groups["amount"], it.subject.groups["unit"])) is not None}
    for m in find_sentences("budget_vs_execution", st.text):
        g = m.groups
        prior = _money(g["prior"], g["prior_unit"])
        current = _money(g["current"], g["current_unit"])
        if prior is None or current is None:
            continue
        page = st.page(ctx.report, m.spans.get("rate", (m.start, m.end))[0])
        quote = _quote(st, m)
        shown = f"{g['prior']}{g['prior_unit']} → {g['current']}{g['current_unit']}"
        if "flat" in g:
            same = same_amount(prior.interval(), current.interval())
            yield Finding(
                check="growth_rate", severity="none" if same else "medium",
                verdict="consistent" if same else "inconsistent", page=page, quote=quote, stated=g["flat"],
                expected=g["flat"] if same else f"{fmt((current.value - prior.value) / 10000, 2)}万元 change",
                message=f"{g['flat']} with 预算执行数 {shown}" + ("" if same else ": the amounts differ"))
            continue
        rate = parse_number(g["rate"] + "%")
        if rate is None:
            continue
        s = sign(g["dir"]) or 1
        stated = Num(rate.value * s, rate.decimals, rate.text, "%")
        if prior.interval().contains(_ZERO) or prior.value == 0:
            yield Finding(
                check="growth_rate", severity="low", verdict="inconsistent", page=page, quote=quote,
                stated=f"{g['dir']}{g['rate']}%", expected="undefined",
                message=f"a rate over a zero 预算执行数 ({shown}) is undefined; say the amount instead")
            continue
        exact = (current.value - prior.value) / prior.value * _HUNDRED
        iv = ((current.interval() - prior.interval()) / prior.interval()).scale(_HUNDRED)
        verdict = classify(stated, exact, iv)
        head = heads.get(m.start)
        if verdict == "inconsistent" and head is not None and _rate_fits(stated, prior, head):
            continue  # the rate was worked out on the heading amount: one conflict, told by self_conflict
        words = (f"({g['current']} − {g['prior']}) / {g['prior']} = {fmt(exact, rate.decimals)}%"
                 f" ({_RISE if exact >= 0 else _FALL} {fmt(abs(exact), rate.decimals)}%), stated {g['dir']}{g['rate']}%")
        sev: Severity = "medium" if verdict == "inconsistent" else "none"
        yield Finding(check="growth_rate", severity=sev, verdict=verdict, page=page, quote=quote,
                      stated=f"{g['rate']}%", expected=f"{fmt(exact, rate.decimals)}%", message=words)


def _rate_fits(stated: Num, prior: Num, current: Num) -> bool:
    if prior.value == 0:
        return False
    exact = (current.value - prior.value) / prior.value * _HUNDRED
    iv = ((current.interval() - prior.interval()) / prior.interval()).scale(_HUNDRED)
    return classify(stated, exact, iv) != "inconsistent"


def _table_cell(ctx: Context, code: str | None) -> CellRef | None:
    """The amount the function-classification tables print for a 科目 code (first value column)."""
    if not code:
        return None
    for c in cell_index(ctx.report):
        label = c.ref.label.replace(" ", "")
        if label.startswith(code) and not label[len(code):len(code) + 1].isdigit():
            return c.ref
    return None


def _in_table_unit(ctx: Context, ref: CellRef, n: Num) -> Num:
    """A table cell's amount in 元, by its table's unit (元 when the table does not say)."""
    t = next((t for t in ctx.report.tables if t.id == ref.table), None)
    unit = (t.unit if t is not None else None) or ctx.report.unit or _YUAN
    return Num(n.value, n.decimals, n.text, unit).in_unit(_YUAN) if unit in _MONEY else n


def _full_code(g: dict[str, str]) -> str | None:
    tags = [g.get(k, "") for k in ("lei_tag", "kuan_tag", "xiang_tag")]
    digits = ["".join(ch for ch in t if ch.isdigit()) for t in tags]
    if not all(digits):
        return None
    if len(digits[0]) == 3 and len(digits[1]) == 2 and len(digits[2]) == 2:
        return "".join(digits)
    return None


def conflict_findings(ctx: Context) -> Iterator[Finding]:
    """A 科目's heading amount against the 预算安排 its own paragraph states."""
    st = ctx.budget_stream
    for it in ctx.budget_items:
        if it.budget is None:
            continue
        g, b = it.subject.groups, it.budget.groups
        head = _money(g["amount"], g["unit"])
        planned = _money(b["current"], b["current_unit"])
        if head is None or planned is None:
            continue
        if same_amount(head.interval(), planned.interval()):
            continue
        ref = _table_cell(ctx, _full_code(g))
        refs = (ref,) if ref is not None else ()
        table_says = ""
        if ref is not None:
            tv = parse_number(ref.value)
            if tv is not None:
                tiv: Interval = (tv.in_unit(_YUAN) if tv.unit else _in_table_unit(ctx, ref, tv)).interval()
                agree = [w for w, x in (("the heading", head), ("预算安排", planned)) if same_amount(tiv, x.interval())]
                table_says = f"; the table row {ref.label} prints {ref.value}" + (
                    f", as {agree[0]} does" if len(agree) == 1 else "")
        a, _ = it.subject.spans["amount"]
        rate = it.budget.groups.get("rate")
        prior = _money(b["prior"], b["prior_unit"])
        rn = parse_number(rate + "%") if rate else None
        if rn is not None and prior is not None:
            signed = Num(rn.value * (sign(b.get("dir", "")) or 1), rn.decimals, rn.text, "%")
            if _rate_fits(signed, prior, head) and not _rate_fits(signed, prior, planned):
                table_says += f"; its {b['dir']}{rate}% fits {g['amount']}, not {b['current']}"
        yield Finding(
            check="self_conflict", severity="medium", verdict="inconsistent", page=st.page(ctx.report, a),
            quote=_quote(st, it.subject),
            stated=g["amount"], expected=b["current"],
            message=(f"the 科目 is given {g['amount']}{g['unit']}, then its paragraph says "
                     f"预算安排{b['current']}{b['current_unit']}{table_says}"),
            refs=refs)


def level_findings(ctx: Context) -> Iterator[Finding]:
    """A level tag whose code has another level's length: （20805类） for a 款."""
    st = ctx.budget_stream
    for it in ctx.budget_items:
        g = it.subject.groups
        for key in ("lei_tag", "kuan_tag", "xiang_tag"):
            tag = g.get(key, "")
            digits = "".join(ch for ch in tag if ch.isdigit())
            level = tag[-1:] if tag else ""
            if not digits or level not in _CODE_LENGTHS or len(digits) in _CODE_LENGTHS[level]:
                continue
            want = {3: _LEI, 5: _KUAN, 7: _XIANG}.get(len(digits))
            a, b = it.subject.spans[key]
            yield Finding(
                check="mislabel", severity="low", verdict="inconsistent", page=st.page(ctx.report, a),
                quote=sentence_around(st.text, a, b).replace("\n", ""), stated=f"（{tag}）",
                expected=f"（{digits}{want}）" if want else f"a {level} code of {_CODE_LENGTHS[level][0]} digits",
                message=f"code {digits} has {len(digits)} digits, which is a {want or 'no'} code, but is tagged {level}")


# Forms whose rows are 功能分类 科目 (code and name).
_FUNCTION_FORMS = ("expense", "gp_expense", "income", "gov_fund", "soe_capital")


def names_by_code(report: Report) -> dict[str, str]:
    """功能分类 科目 code -> the name the tables print for it (`Context.budget_code_names`)."""
    out: dict[str, str] = {}
    for t in report.tables:
        if table_kind(t) not in _FUNCTION_FORMS:
            continue
        for _, _, rows in iter_segments(t):
            for r in rows:
                if r.code is not None and r.name:
                    out.setdefault(r.code, r.name)
    return out


def name_findings(ctx: Context) -> Iterator[Finding]:
    """A 科目 named by code in the text under another name than the tables print for that code (a former
    name is told by the renamed-subjects check, not here)."""
    names = ctx.budget_code_names
    if not names:
        return
    st = ctx.budget_stream
    renamed = {old for old, _ in load_catalogue().renamed}
    for it in ctx.budget_items:
        g = it.subject.groups
        code = _full_code(g)
        if code is None:
            continue
        for key, n in (("lei", 3), ("kuan", 5), ("xiang", 7)):
            said = g.get(key, "")
            printed = names.get(code[:n])
            if not said or printed is None or said in renamed or similarity(said, printed) >= 70:
                continue
            yield Finding(
                check="mislabel", severity="low", verdict="inconsistent",
                page=st.page(ctx.report, it.subject.spans[key][0]), quote=_quote(st, it.subject), stated=said, expected=printed,
                message=f"code {code[:n]} is {printed} in the tables; the text calls it {said}")
