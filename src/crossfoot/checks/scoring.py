"""Scoring-table checks: scores add up to the totals, no score above its weight, grades in their band,
indicator codes unique."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import CellRef, Finding, FindingVerdict
from crossfoot.knowledge import find_sentences
from crossfoot.model import Report, Table
from crossfoot.numbers import Num, classify, fmt, interval_sum, normalize_text, parse_number
from crossfoot.scoretable import Indicator, ScoreRow, ScoreTable, indicators
from crossfoot.structure import cell_ref, row_text, sentence_around

_CAT_WORDS = {"投入": ("投入",), "产出": ("产出",), "效益": ("效益", "效果"), "效果": ("效益", "效果"),
              "满意度": ("满意度",)}
_NARR_SUM = re.compile(
    r"(投入|产出|效益|效果|满意度)?指标(?:从[^，。；]{0,30}进行考察[，,]\s*)?(?:[^，。；]{0,12})?分值共计\s*"
    r"(?P<w>\d+(?:\.\d+)?)\s*分[，,]\s*本项目实际得分\s*(?P<s>\d+(?:\.\d+)?)\s*分")
_CATEGORY_BEFORE = re.compile(r"(投入|产出|效益|效果|满意度)指标")


def _ref(r: ScoreRow, col: int) -> CellRef:
    return cell_ref(r.table, r.row, col, r.label)


def _sum_finding(check_id: str, table: Table, row: int, stated: Num, parts: list[Num], refs: list[CellRef],
                 what: str, page: int | None = None, quote: str | None = None) -> Finding:
    # Scores are awarded to the precision of the most precise one: "8" beside "6.47" is 8.00.
    d = max((p.decimals for p in parts), default=0)
    parts = [Num(p.value, max(p.decimals, d), p.text, p.unit) for p in parts]
    exact = sum((p.value for p in parts), Decimal(0))
    iv = interval_sum([p.interval() for p in parts])
    verdict = classify(stated, exact, iv)
    expected = fmt(exact, max(stated.decimals, d))
    shown = " + ".join(p.text or str(p) for p in parts)
    return Finding(
        check=check_id,
        severity="medium" if verdict == "inconsistent" else "none",
        verdict=verdict,
        page=page if page is not None else table.rows[row][0].page,
        quote=quote if quote is not None else row_text(table.rows[row]),
        stated=stated.text or str(stated),
        expected=expected,
        message=f"{what}: {shown} = {expected} vs {stated.text or stated}",
        refs=tuple(refs),
    )


def _table_sums(st: ScoreTable) -> Iterator[Finding]:
    tot = st.total
    if tot is None or not st.rows:
        return
    t = st.table
    refs = [cell_ref(t, tot.row, tot.score_col, "总分")] + [_ref(r, r.score_col) for r in st.rows]
    yield _sum_finding("score_sum", t, tot.row, tot.score, [r.score for r in st.rows], refs,
                       "indicator scores add up to the total score")
    if tot.weight is not None and tot.weight_col is not None:
        wrefs = [cell_ref(t, tot.row, tot.weight_col, "总分")] + [_ref(r, r.weight_col) for r in st.rows]
        yield _sum_finding("score_sum", t, tot.row, tot.weight, [r.weight for r in st.rows], wrefs,
                           "indicator weights add up to the total weight")
    for cat, stated, row in st.category_weights:
        parts = [r for r in st.rows if r.category == cat and not r.funds]
        if parts:
            yield _sum_finding("score_sum", t, row, stated, [r.weight for r in parts],
                               [_ref(r, r.weight_col) for r in parts], f"{cat}指标 weights add up to its stated weight")


def _category_table(tables: list[ScoreTable], category: str, page: int) -> ScoreTable | None:
    """The category's own scoring table (表2-1 产出指标评分情况表) that follows the sentence."""
    words = _CAT_WORDS.get(category, (category,))
    for st in sorted(tables, key=lambda s: s.table.pages[0]):
        p0 = st.table.pages[0]
        if p0 < page or p0 > page + 2:
            continue
        title = st.table.title or ""
        labels = "".join(r.label for r in st.rows)
        if any(w in title for w in words) or (not title and any(w in labels for w in words)):
            return st
    return None


def _narrative_sums(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    for b in report.blocks:
        for m in _NARR_SUM.finditer(b.text):
            cat = m.group(1)
            if cat is None:
                before = _CATEGORY_BEFORE.findall(b.text[max(0, m.start() - 40):m.start() + 12])
                cat = before[-1] if before else None
            if cat is None or cat == "投入":
                continue
            st = _category_table(tables, cat, b.page)
            if st is None:
                continue
            rows = [r for r in st.rows if not r.funds]
            quote = sentence_around(b.text, m.start(), m.end())
            s_num, w_num = parse_number(m.group("s")), parse_number(m.group("w"))
            if s_num is None or w_num is None or not rows:
                continue
            t = st.table
            refs = [_ref(r, r.score_col) for r in rows]
            if st.total is not None:
                refs.insert(0, cell_ref(t, st.total.row, st.total.score_col, "合计"))
            f = _sum_finding("score_sum", t, rows[0].row, s_num, [r.score for r in rows], refs,
                             f"{cat}指标 scores in {t.title or t.id}", page=b.page, quote=quote)
            if st.total is not None and f.verdict != "inconsistent" and classify(
                    s_num, st.total.score.value, st.total.score.interval()) == "inconsistent":
                f = Finding(f.check, "medium", "inconsistent", f.page, f.quote, f.stated,
                            fmt(st.total.score.value, s_num.decimals),
                            f"{f.message}; but the table's 合计 says {st.total.score.text}", f.refs)
            yield f
            yield _sum_finding("score_sum", t, rows[0].row, w_num, [r.weight for r in rows],
                               [_ref(r, r.weight_col) for r in rows], f"{cat}指标 weights in {t.title or t.id}",
                               page=b.page, quote=quote)


@check("score_sum", family="scoring", severity="medium",
       doc="indicator scores and weights add up to the table's totals and to the totals the narrative states")
def score_sum(ctx: Context) -> Iterable[Finding]:
    tables = ctx.score_tables
    for st in tables:
        yield from _table_sums(st)
    yield from _narrative_sums(ctx.report, tables)


@check("score_cap", family="scoring", severity="medium", doc="no indicator scores above its weight (分值)")
def score_cap(ctx: Context) -> Iterable[Finding]:
    for st in ctx.score_tables:
        for r in st.rows:
            if r.score.value > r.weight.value:
                yield Finding(
                    check="score_cap", severity="medium", verdict="inconsistent",
                    page=r.table.rows[r.row][r.score_col].page, quote=row_text(r.table.rows[r.row]),
                    stated=r.score.text, expected=f"≤ {r.weight.text}",
                    message=f"{r.label or 'indicator'}: score {r.score.text} exceeds its weight {r.weight.text}",
                    refs=(_ref(r, r.weight_col), _ref(r, r.score_col)))


_CODE = re.compile(r"^([A-Z]\d{1,3})(?=\D)")


@check("duplicate_code", family="scoring", severity="low",
       doc="an indicator code (B13) used twice in one scoring table")
def duplicate_code(ctx: Context) -> Iterable[Finding]:
    for st in ctx.score_tables:
        seen: dict[str, ScoreRow] = {}
        for r in st.rows:
            m = _CODE.match(r.label)
            if not m:
                continue
            code = m.group(1)
            if code in seen:
                first = seen[code]
                yield Finding(
                    check="duplicate_code", severity="low", verdict="inconsistent",
                    page=r.table.rows[r.row][0].page, quote=row_text(r.table.rows[r.row]), stated=code,
                    expected="a code of its own",
                    message=f"indicator code {code} is used by both {first.label} and {r.label}",
                    refs=(_ref(first, first.score_col), _ref(r, r.score_col)))
            else:
                seen[code] = r


# ---- grades ------------------------------------------------------------------------------------------

_GRADE = re.compile(r"(?P<score>\d+(?:\.\d+)?)\s*分[，,]?\s*(?:的?)(?:评价|自评)?(?:等级|结果|结论)(?:为|是)\s*"
                    r"[“\"「]?(?P<grade>优秀|良好|优|良|中等|中|差|合格|不合格)")
_BAND_DEF = re.compile(r"(优|良|中|差)[（(]\s*(?:(\d+)\s*>\s*)?得分\s*(≥|>=|>|<|＜)\s*(\d+)")
_DEFAULT_BANDS: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("优", Decimal(90), Decimal(1000)), ("良", Decimal(80), Decimal(90)),
    ("中", Decimal(60), Decimal(80)), ("差", Decimal(-1), Decimal(60)))


def _bands(report: Report) -> tuple[tuple[str, Decimal, Decimal], ...]:
    """Bands the report defines ("优（得分 ≥ 90），良（90 > 得分 ≥ 80）…", or in words "80分（含）-90分为良，
    90分（含）以上为优"), else the usual 90/80/60."""
    for b in report.blocks:
        text = b.text.replace("$", "").replace("\\text{得分}", "得分").replace("\\geq", "≥")
        found = {g: (lo, op, v) for g, lo, op, v in _BAND_DEF.findall(text)}
        if "优" in found and "良" in found:
            lows = {g: Decimal(v) for g, (_, op, v) in found.items() if op in ("≥", ">=", ">")}
            if "优" in lows and "良" in lows:
                lo_mid = lows.get("中", Decimal(60))
                return (("优", lows["优"], Decimal(1000)), ("良", lows["良"], lows["优"]),
                        ("中", lo_mid, lows["良"]), ("差", Decimal(-1), lo_mid))
        # In words (knowledge/sentences.toml): "80分（含）-90分为良，90分（含）以上为优".
        worded = {m.groups["grade"][0]: Decimal(m.groups["lo"].replace(",", ""))
                  for form in ("grade_band_range", "grade_band_above") for m in find_sentences(form, text)}
        if "优" in worded and "良" in worded and worded["良"] < worded["优"]:
            lo_mid = worded.get("中", Decimal(60))
            return (("优", worded["优"], Decimal(1000)), ("良", worded["良"], worded["优"]),
                    ("中", lo_mid, worded["良"]), ("差", Decimal(-1), lo_mid))
    return _DEFAULT_BANDS


@check("grade_band", family="scoring", severity="medium",
       doc="a stated grade (优/良/中/差) lies in the band of its score (优 ≥ 90, 良 80–90… or the report's own)")
def grade_band(ctx: Context) -> Iterable[Finding]:
    bands = _bands(ctx.report)
    for b in ctx.report.blocks:
        for m in _GRADE.finditer(b.text):
            score = parse_number(m.group("score"))
            grade = m.group("grade")[0]
            if score is None or grade not in "优良中差" or score.value > 100:
                continue
            expect = next((g for g, lo, hi in bands if lo <= score.value < hi), None)
            if expect is None:
                continue
            ok = expect == grade
            lo, hi = next((lo, hi) for g, lo, hi in bands if g == grade)
            yield Finding(
                check="grade_band", severity="none" if ok else "medium",
                verdict="consistent" if ok else "inconsistent", page=b.page,
                quote=sentence_around(b.text, m.start(), m.end()), stated=m.group("grade"),
                expected=expect,
                message=(f"score {score.text} is in the {expect} band" if ok else
                         f"score {score.text} is in the {expect} band, not {grade} "
                         f"({grade}: {max(lo, Decimal(0))} ≤ score < {min(hi, Decimal(100)) if hi < 1000 else '100+'})"))


# ---- scoring rules -----------------------------------------------------------------------------------

_VALUE = re.compile(r"^(?P<op>[≥>＞≤<＜=＝]=?)?\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<scale>万|亿)?(?P<unit>[^\d]{0,4})$")
_PARTIAL = re.compile(r"基本(?:达成|完成|达到|实现)|部分(?:达成|完成|达到|实现)|未(?:达成|完成|达到|实现)")


def _value(text: str) -> tuple[str, Num, str] | None:
    """'≥1.47万人' -> ('≥', 14700 (to the hundred), '人')."""
    m = _VALUE.match(text)
    if m is None:
        return None
    n = parse_number(m.group("v") + (m.group("scale") or ""))
    if n is None:
        return None
    op = (m.group("op") or "=").replace("＞", ">").replace("＜", "<").replace("＝", "=")
    return op[0], n, m.group("unit")


def _rules_stated(st: ScoreTable) -> str:
    cells = " ".join(c.text for r in st.table.rows for c in r)
    return normalize_text(cells + " ".join(st.table.notes))


def _narrative_quote(report: Report, ind: Indicator) -> tuple[int, str] | None:
    """The sentence that reports this indicator's score ("质量指标得分 10 分"), in the pages before its table."""
    if not ind.group:
        return None
    spaced = r"\s*".join(re.escape(ch) for ch in ind.group)
    pat = re.compile(spaced + r"\s*得\s*分?\s*" + re.escape(ind.row.score.text) + r"\s*分")
    first, last = ind.row.table.pages[0], ind.row.table.pages[-1]
    hits = [(b, m) for b in report.blocks if first - 15 <= b.page <= last for m in pat.finditer(b.text)]
    if not hits:
        return None
    b, m = max(hits, key=lambda h: h[0].page)
    return b.page, sentence_around(b.text, m.start(), m.end())


def _rule_finding(report: Report, ind: Indicator, verdict: FindingVerdict, expected: str, message: str) -> Finding:
    r = ind.row
    page, quote = r.table.rows[r.row][r.score_col].page, row_text(r.table.rows[r.row])
    if verdict == "inconsistent":
        narrated = _narrative_quote(report, ind)
        if narrated is not None:
            page, quote = narrated
    return Finding(
        check="score_rule", severity="low" if verdict == "inconsistent" else "none", verdict=verdict, page=page,
        quote=quote, stated=r.score.text, expected=expected, message=message,
        refs=(cell_ref(r.table, r.row, ind.target_col, ind.name), cell_ref(r.table, r.row, ind.actual_col, ind.name),
              _ref(r, r.weight_col), _ref(r, r.score_col)))


def _indicator_rule(report: Report, st: ScoreTable, ind: Indicator) -> Finding | None:
    r = ind.row
    stated_rules = _rules_stated(st)
    full_marks = "满分" in (ind.rule_text or stated_rules)
    proportional = "按完成情况" in (ind.rule_text or stated_rules) or "B/A" in stated_rules
    w = r.weight
    # Scores are awarded to the precision of the table's most precise score ("8" beside "9.47" is 8.00).
    d = max((x.score.decimals for x in st.rows), default=0)
    s = Num(r.score.value, max(r.score.decimals, d), r.score.text)
    if s.value > w.value:
        return None  # above its weight: score_cap's finding
    if _PARTIAL.search(ind.actual):
        if s.value >= w.value:
            return _rule_finding(report, ind, "inconsistent", f"< {w.text}",
                                 f"{ind.name}: actual “{ind.actual}” only partly meets “{ind.target}”, "
                                 f"yet scores the full {w.text}")
        return None
    tv, av = _value(ind.target), _value(ind.actual)
    if tv is None and av is None:
        if ind.target and ind.target == ind.actual and full_marks:
            verdict: FindingVerdict = "consistent" if s.value == w.value else "inconsistent"
            return _rule_finding(report, ind, verdict, w.text,
                                 f"{ind.name}: actual “{ind.actual}” meets the target “{ind.target}”, "
                                 f"so the rule gives the full {w.text}")
        return None
    if tv is None or av is None or tv[2] != av[2]:
        return None  # a target in 人 met in 户 is a unit question, not a scoring one
    op, target, _ = tv
    actual = av[1]
    met = {"≥": actual.value >= target.value, ">": actual.value > target.value,
           "≤": actual.value <= target.value, "<": actual.value < target.value,
           "=": actual.value == target.value}.get(op)
    if met is None:
        return None
    if met:
        if not full_marks:
            return None
        verdict = "consistent" if s.value == w.value else "inconsistent"
        return _rule_finding(report, ind, verdict, w.text,
                             f"{ind.name}: {ind.actual} meets {ind.target}, so the rule gives the full {w.text}")
    if op not in ("≥", ">") or not proportional or target.value == 0:
        return None  # reverse indicators are scored by rules that vary from report to report
    iv = (actual.interval() / target.interval()).scale(w.value)
    exact = actual.value / target.value * w.value
    verdict = classify(s, exact, iv)
    return _rule_finding(report, ind, verdict, fmt(exact, s.decimals),
                         f"{ind.name}: {ind.actual} of {ind.target} → B/A × 分值 = {ind.actual} / {ind.target} × "
                         f"{w.text} = {fmt(exact, 3)}")


def _funds_rule(report: Report, st: ScoreTable) -> Finding | None:
    fr = next((r for r in st.rows if r.funds), None)
    if fr is None or not re.search(r"执行率[*×xX乘]", _rules_stated(st)):
        return None
    cells = st.table.rows[fr.row]
    before = [c.num for c in cells[:fr.weight_col] if c.num is not None and c.num.unit is None]
    if len(before) < 2 or before[-2] is None or before[-1] is None or before[-2].value == 0:
        return None
    a, b = before[-2], before[-1]
    assert a is not None and b is not None
    rate_iv = b.interval() / a.interval()
    exact = min(b.value / a.value, Decimal(1)) * fr.weight.value
    iv = rate_iv.scale(fr.weight.value)
    iv = type(iv)(min(iv.lo, fr.weight.value), min(iv.hi, fr.weight.value))
    verdict = classify(fr.score, exact, iv)
    return Finding(
        check="score_rule", severity="low" if verdict == "inconsistent" else "none", verdict=verdict,
        page=cells[fr.score_col].page, quote=row_text(cells), stated=fr.score.text,
        expected=fmt(exact, fr.score.decimals),
        message=f"执行率 × 分值 = {b.text} / {a.text} × {fr.weight.text} = {fmt(exact, 3)} (capped at the weight)",
        refs=(_ref(fr, fr.weight_col), _ref(fr, fr.score_col)))


@check("score_rule", family="scoring", severity="low",
       doc="each score follows the rule the table states (执行率 × 分值, B/A × 分值, full marks when met)")
def score_rule(ctx: Context) -> Iterable[Finding]:
    tables = ctx.score_tables
    for st in tables:
        f = _funds_rule(ctx.report, st)
        if f is not None:
            yield f
        for ind in indicators([st]):
            g = _indicator_rule(ctx.report, st, ind)
            if g is not None:
                yield g
