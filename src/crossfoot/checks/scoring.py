"""Scoring-table checks: scores add up to the totals, no score above its weight, grades in their band,
indicator codes unique."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from rapidfuzz import fuzz

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import CellRef, Finding, FindingVerdict
from crossfoot.knowledge import find_sentences, pattern, words
from crossfoot.model import Report, Table
from crossfoot.numbers import Num, classify, fmt, interval_sum, normalize_text, parse_number
from crossfoot.tables.scorerule import apply_rule, parse_rule, read_value, show
from crossfoot.tables.scoretable import Indicator, ScoreRow, ScoreTable, indicators, names_actual
from crossfoot.tables.structure import cell_ref, compact, row_text, sentence_around

# The words are data (knowledge/vocab/scoring.toml); this module holds the arithmetic.
_BENEFIT = words("scoring.benefit")
_UNSCORED = words("scoring.unscored_category")
_NARR_SUM = pattern("scoring.narrative_sum")
_CATEGORY_BEFORE = pattern("scoring.category_named")


def _ref(r: ScoreRow, col: int) -> CellRef:
    return cell_ref(r.table, r.row, col, r.label)


def _row_name(table: Table, row: int) -> str:
    """A total row's own label as printed (总分, 合计): its first cell that holds text."""
    return next((normalize_text(c.text) for c in table.rows[row] if c.text.strip()), "")


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
    label = _row_name(t, tot.row)
    refs = [cell_ref(t, tot.row, tot.score_col, label)] + [_ref(r, r.score_col) for r in st.rows]
    yield _sum_finding("score_sum", t, tot.row, tot.score, [r.score for r in st.rows], refs,
                       "indicator scores add up to the total score")
    if tot.weight is not None and tot.weight_col is not None:
        wrefs = [cell_ref(t, tot.row, tot.weight_col, label)] + [_ref(r, r.weight_col) for r in st.rows]
        yield _sum_finding("score_sum", t, tot.row, tot.weight, [r.weight for r in st.rows], wrefs,
                           "indicator weights add up to the total weight")
    for cat, stated, row in st.category_weights:
        parts = [r for r in st.rows if r.category == cat and not r.funds]
        if parts:
            yield _sum_finding("score_sum", t, row, stated, [r.weight for r in parts],
                               [_ref(r, r.weight_col) for r in parts], f"{cat} indicator weights add up to its stated weight")


def _category_table(tables: list[ScoreTable], category: str, page: int) -> ScoreTable | None:
    """The category's own scoring table (表2-1 产出指标评分情况表) that follows the sentence."""
    names = _BENEFIT if category in _BENEFIT else (category,)
    for st in sorted(tables, key=lambda s: s.table.pages[0]):
        p0 = st.table.pages[0]
        if p0 < page or p0 > page + 2:
            continue
        title = st.table.title or ""
        labels = "".join(r.label for r in st.rows)
        if any(w in title for w in names) or (not title and any(w in labels for w in names)):
            return st
    return None


def _narrative_sums(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    for b in report.blocks:
        for m in _NARR_SUM.finditer(b.text):
            cat = m.group("cat")
            if cat is None:
                before = [c.group("cat") for c in _CATEGORY_BEFORE.finditer(b.text[max(0, m.start() - 40):m.start() + 12])]
                cat = before[-1] if before else None
            if cat is None or cat in _UNSCORED:
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
                refs.insert(0, cell_ref(t, st.total.row, st.total.score_col, _row_name(t, st.total.row)))
            f = _sum_finding("score_sum", t, rows[0].row, s_num, [r.score for r in rows], refs,
                             f"{cat} indicator scores in {t.title or t.id}", page=b.page, quote=quote)
            if st.total is not None and f.verdict != "inconsistent" and classify(
                    s_num, st.total.score.value, st.total.score.interval()) == "inconsistent":
                f = Finding(f.check, "medium", "inconsistent", f.page, f.quote, f.stated,
                            fmt(st.total.score.value, s_num.decimals),
                            f"{f.message}; but the table's total row says {st.total.score.text}", f.refs)
            yield f
            yield _sum_finding("score_sum", t, rows[0].row, w_num, [r.weight for r in rows],
                               [_ref(r, r.weight_col) for r in rows], f"{cat} indicator weights in {t.title or t.id}",
                               page=b.page, quote=quote)


_TOTAL_STATED = pattern("scoring.total_stated")
_OPEN, _CLOSE = "（(", "）)"  # the bracket pairs a title closes on; the mechanism's own characters
_SENTENCE_START = pattern("scoring.sentence_start")


def _title_project(title: str) -> str:
    """The project a 自评表's title names in its last bracket, nested brackets kept:
    项目支出绩效自评表（市直招商小分队前期工作经费(绿色食品产业,第1小分队)） → 市直招商…小分队)."""
    t = title.strip()
    if not t.endswith(tuple(_CLOSE)):
        return ""
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        depth += (t[i] in _CLOSE) - (t[i] in _OPEN)
        if depth == 0:
            return t[i + 1:-1]
    return ""


def _project_table(head: str, tables: list[ScoreTable]) -> ScoreTable | None:
    """The 自评表 whose title names the project the sentence is about: of those whose name the text before the
    score or grade holds, the one named last (nearest to it)."""
    best: tuple[int, float, ScoreTable] | None = None
    text = compact(head)
    for st in tables:
        name = compact(_title_project(st.table.title or ""))
        if st.total is None or len(name) < 4:
            continue
        al = fuzz.partial_ratio_alignment(name, text)
        if al is not None and al.score >= 90 and (best is None or (al.dest_end, al.score) > best[:2]):
            best = (al.dest_end, al.score, st)
    return best[2] if best else None


def _narrative_totals(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    """"该项目自评得分83.73分" against the 总分 of the 自评表 the sentence names."""
    for b in report.blocks:
        for m in _TOTAL_STATED.finditer(b.text):
            start = max((x.end() for x in _SENTENCE_START.finditer(b.text, 0, m.start())), default=0)
            st = _project_table(b.text[start:m.start()], tables)
            stated = parse_number(m.group("score"))
            if st is None or st.total is None or stated is None:
                continue
            tot = st.total
            verdict = classify(stated, tot.score.value, tot.score.interval())
            yield Finding(
                check="score_sum", severity="medium" if verdict == "inconsistent" else "none", verdict=verdict,
                page=b.page, quote=sentence_around(b.text, m.start(), m.end()), stated=m.group("score"),
                expected=tot.score.text,
                message=f"the total score of {st.table.title} is {tot.score.text}; the text says {m.group('score')}",
                refs=(cell_ref(st.table, tot.row, tot.score_col, _row_name(st.table, tot.row)),))


@check("score_sum", family="scoring", severity="medium",
       doc="indicator scores and weights add up to the table's totals and to the totals the narrative states "
           "(a category's sum, a project's total score against its self-evaluation table)")
def score_sum(ctx: Context) -> Iterable[Finding]:
    tables = ctx.score_tables
    for st in tables:
        yield from _table_sums(st)
    yield from _narrative_sums(ctx.report, tables)
    yield from _narrative_totals(ctx.report, tables)


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


_CODE = pattern("scoring.code")


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

_GRADE = pattern("scoring.grade_stated")
_GRADE_ONLY = pattern("scoring.grade_only")
_BAND_DEF = pattern("scoring.grade_band_def")
_GRADES = words("scoring.grades")  # best first
_LATEX = re.compile(r"\\text\{([^}]*)\}")  # OCR'd formulas: \text{…} around a word
Bands = tuple[tuple[str, Decimal, Decimal], ...]


def _worded_lows(text: str) -> dict[str, Decimal]:
    """Each grade's lower bound from band sentences (knowledge/sentences.toml): "80分（含）-90分为良"."""
    return {m.groups["grade"][0]: Decimal(m.groups["lo"].replace(",", ""))
            for form in ("grade_band_range", "grade_band_above") for m in find_sentences(form, text)}


def _band_table(lows: dict[str, Decimal], defaults: dict[str, Decimal]) -> Bands:
    """Grades best first, each from its lower bound up to the next grade's; the last one down to nothing."""
    out: list[tuple[str, Decimal, Decimal]] = []
    hi = Decimal(1000)
    for i, g in enumerate(_GRADES):
        lo = Decimal(-1) if i == len(_GRADES) - 1 else lows.get(g, defaults.get(g, Decimal(-1)))
        out.append((g, lo, hi))
        hi = lo
    return tuple(out)


_DEFAULT_LOWS = _worded_lows("，".join(words("scoring.default_bands")))
_DEFAULT_BANDS = _band_table(_DEFAULT_LOWS, {})


def _bands(report: Report) -> Bands:
    """Bands the report defines ("优（得分 ≥ 90），良（90 > 得分 ≥ 80）…", or in words "80分（含）-90分为良，
    90分（含）以上为优"), else the usual 90/80/60 (knowledge/vocab/scoring.toml default_bands)."""
    top, second = _GRADES[0], _GRADES[1]
    for b in report.blocks:
        text = _LATEX.sub(r"\1", b.text.replace("$", "")).replace("\\geq", "≥")
        lows = {m.group("grade"): Decimal(m.group("v")) for m in _BAND_DEF.finditer(text)
                if m.group("op") in ("≥", ">=", ">")}
        if top in lows and second in lows:
            return _band_table(lows, _DEFAULT_LOWS)
        worded = _worded_lows(text)
        if top in worded and second in worded and worded[second] < worded[top]:
            return _band_table(worded, _DEFAULT_LOWS)
    return _DEFAULT_BANDS


@check("grade_band", family="scoring", severity="medium",
       doc="a stated grade (优/良/中/差) lies in the band of its score, or of the 总分 of the 自评表 the sentence names "
           "(优 ≥ 90, 良 80–90… or the report's own)")
def grade_band(ctx: Context) -> Iterable[Finding]:
    bands = _bands(ctx.report)
    for b in ctx.report.blocks:
        for m in _GRADE.finditer(b.text):
            score = parse_number(m.group("score"))
            grade = m.group("grade")[0]
            if score is None or grade not in _GRADES or score.value > 100:
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
    yield from _grades_of_tables(ctx.report, ctx.score_tables, bands)


def _grades_of_tables(report: Report, tables: list[ScoreTable], bands: Bands) -> Iterator[Finding]:
    """A grade stated without its score ("该项目自评等级为“优”") against the 总分 of the 自评表 the sentence names."""
    for b in report.blocks:
        scored = [m.span() for m in _GRADE.finditer(b.text)]
        for m in _GRADE_ONLY.finditer(b.text):
            grade = m.group("grade")[0]
            if grade not in _GRADES or any(s <= m.start() < e for s, e in scored):
                continue
            start = max((x.end() for x in _SENTENCE_START.finditer(b.text, 0, m.start())), default=0)
            st = _project_table(b.text[start:m.start()], tables)
            if st is None or st.total is None:
                continue
            total = st.total.score
            expect = next((g for g, lo, hi in bands if lo <= total.value < hi), None)
            if expect is None:
                continue
            ok = expect == grade
            yield Finding(
                check="grade_band", severity="none" if ok else "medium",
                verdict="consistent" if ok else "inconsistent", page=b.page,
                quote=sentence_around(b.text, m.start(), m.end()), stated=m.group("grade"), expected=expect,
                message=f"the total score of {st.table.title} is {total.text}, in the {expect} band",
                refs=(cell_ref(st.table, st.total.row, st.total.score_col, _row_name(st.table, st.total.row)),))


# ---- scoring rules -----------------------------------------------------------------------------------

_PARTIAL = pattern("scoring.partly_met")
_FULL_MARKS = pattern("scoring.rule_full_marks")
_RATIO = pattern("scoring.rule_ratio")
_FUNDS_RULE = pattern("scoring.funds_rule")
_NARRATED_SCORE = pattern("scoring.narrated_score")


def _rules_stated(st: ScoreTable) -> str:
    cells = " ".join(c.text for r in st.table.rows for c in r)
    return normalize_text(cells + " ".join(st.table.notes))


def _narrative_quote(report: Report, ind: Indicator) -> tuple[int, str] | None:
    """The sentence that reports this indicator's score ("质量指标得分 10 分"), in the pages before its table."""
    if not ind.group:
        return None
    group = re.compile(r"\s*".join(re.escape(ch) for ch in ind.group))
    first, last = ind.row.table.pages[0], ind.row.table.pages[-1]
    hits = [(b, m) for b in report.blocks if first - 15 <= b.page <= last for m in group.finditer(b.text)
            if (n := _NARRATED_SCORE.match(b.text, m.end())) is not None and n.group("score") == ind.row.score.text]
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
        refs=tuple(cell_ref(r.table, r.row, j, ind.name) for j in (ind.target_col, ind.actual_col, r.weight_col,
                                                                      r.score_col)))


def _indicator_rule(report: Report, st: ScoreTable, ind: Indicator) -> Finding | None:
    r = ind.row
    stated_rules = _rules_stated(st)
    full_marks = bool(_FULL_MARKS.search(ind.rule_text or stated_rules))
    proportional = bool(_RATIO.search(ind.rule_text or stated_rules) or _RATIO.search(stated_rules))
    w = r.weight
    # Scores are awarded to the precision of the table's most precise score ("8" beside "9.47" is 8.00).
    d = max((x.score.decimals for x in st.rows), default=0)
    s = Num(r.score.value, max(r.score.decimals, d), r.score.text)
    if s.value > w.value:
        return None  # above its weight: score_cap's finding
    own = parse_rule(ind.rule_text) if ind.rule_text else None
    if (own is not None and not (_PARTIAL.search(ind.actual) and read_value(ind.actual) is None)
            and names_actual(r.table, r.row, ind.actual_col)):
        # The row's own bands or deductions ("95%以上得3分；…", "每降低1%扣0.5分") decide its score.
        out = apply_rule(own, w, s, ind.target, ind.actual)
        if out is not None:
            expected = "—" if out.verdict == "unchecked" else show(out.lo) if out.lo == out.hi else (
                f"{show(out.lo)}–{show(out.hi)}")
            given = "" if out.verdict == "unchecked" else f"; the table gives {r.score.text}"
            return _rule_finding(report, ind, out.verdict, expected, f"{ind.name}: {out.reason}{given}")
    if _PARTIAL.search(ind.actual):
        if s.value >= w.value:
            return _rule_finding(report, ind, "inconsistent", f"< {w.text}",
                                 f"{ind.name}: actual “{ind.actual}” only partly meets “{ind.target}”, "
                                 f"yet scores the full {w.text}")
        return None
    tv, av = read_value(ind.target), read_value(ind.actual)
    if tv is None and av is None:
        if ind.target and ind.target == ind.actual and full_marks:
            verdict: FindingVerdict = "consistent" if s.value == w.value else "inconsistent"
            return _rule_finding(report, ind, verdict, w.text,
                                 f"{ind.name}: actual “{ind.actual}” meets the target “{ind.target}”, "
                                 f"so the rule gives the full {w.text}")
        return None
    if tv is None or av is None or tv.unit != av.unit:
        return None  # a target in 人 met in 户 is a unit question, not a scoring one
    op, target, actual = tv.op, tv.num, av.num
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
                         f"{ind.name}: {ind.actual} of {ind.target} → actual / target × weight = {ind.actual} / {ind.target} × "
                         f"{w.text} = {fmt(exact, 3)}")


def _funds_rule(report: Report, st: ScoreTable) -> Finding | None:
    fr = next((r for r in st.rows if r.funds), None)
    if fr is None or not _FUNDS_RULE.search(_rules_stated(st)):
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
        message=f"spending rate × weight = {b.text} / {a.text} × {fr.weight.text} = {fmt(exact, 3)} "
                "(capped at the weight)",
        refs=(_ref(fr, fr.weight_col), _ref(fr, fr.score_col)))


@check("score_rule", family="scoring", severity="low",
       doc="each score follows the rule its row or table states: bands (95%以上得3分), deductions "
           "(每降低1%扣0.5分), 执行率 × 分值, B/A × 分值, full marks when met; could not check when the actual is no number")
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
