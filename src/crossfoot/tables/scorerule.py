"""An indicator's own scoring rule (评分标准), read from the text its row prints and applied to its 实际完成值.

Rules come in a few printed shapes: bands ("95%以上得3分；80%（含）-95%得2分；80%以下不得分"), deductions
("每降低1%扣0.5分", "每发现一次扣1分，扣完为止"), ratio rules ("按完成比例得分") and full marks when the target
is met. The shapes are patterns of knowledge/vocab/scoring.toml; this module only cuts a rule into clauses,
reads each clause's condition and award, and works out which scores the rule allows for an actual.

The allowed scores are a range, not one number: a bound printed as 以上/以下 without （含）/（不含） may or may
not belong to its band, and "每降低1%扣0.5分" may count whole steps or fractions of one. An actual that cannot be
read as a number, or a rule measured in a unit the row does not give, is *unchecked* — never held, never wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from crossfoot.knowledge import pattern, words
from crossfoot.numbers import Interval, Num, fmt, parse_number

_SPLIT = pattern("scoring.rule_clause_split")
_AWARD = pattern("scoring.rule_award")
_ZERO = pattern("scoring.rule_zero")
_FULL = pattern("scoring.rule_full_marks")
_RATIO = pattern("scoring.rule_ratio")
_RANGE = pattern("scoring.rule_range")
_BETWEEN = pattern("scoring.rule_between")
_ABOVE = pattern("scoring.rule_above")
_BELOW = pattern("scoring.rule_below")
_EXCLUDED = pattern("scoring.rule_bound_excluded")
_DEDUCT = pattern("scoring.rule_deduct")
_DEDUCT_CAP = pattern("scoring.rule_deduct_cap")
_ON_COMPLETION = pattern("scoring.rule_on_completion")
_OTHERWISE = pattern("scoring.rule_otherwise")
_VALUE = pattern("scoring.value")
_COUNT_IN_WORDS = pattern("scoring.count_in_words")
_NONE_HAPPENED = pattern("scoring.none_happened")
_SHORTFALL = words("scoring.deduct_shortfall")
_EXCESS = words("scoring.deduct_excess")
_EVENT = words("scoring.deduct_event")
_POINTS = words("scoring.rule_points")
_INCLUSIVE = words("scoring.rule_op_inclusive")  # "个百分点": a deduction step in percentage points
_PERCENT = ("%", "％")  # the two percent signs; not vocabulary, the sign a value is measured in

Verdict = Literal["consistent", "rounding", "inconsistent", "unchecked"]


@dataclass(frozen=True)
class Band:
    lo: Decimal | None
    lo_in: bool | None  # None: the text does not say whether the bound belongs to the band
    hi: Decimal | None
    hi_in: bool | None
    points: Decimal | None  # None: the full weight
    percent: bool  # bounds printed as percentages
    text: str  # the clause as printed

    def holds(self, x: Decimal) -> bool:
        return ((self.lo is None or x > self.lo or (x == self.lo and self.lo_in is not False))
                and (self.hi is None or x < self.hi or (x == self.hi and self.hi_in is not False)))

    def meets(self, iv: Interval) -> bool:
        return ((self.lo is None or iv.hi > self.lo or (iv.hi == self.lo and self.lo_in is not False))
                and (self.hi is None or iv.lo < self.hi or (iv.lo == self.hi and self.hi_in is not False)))


@dataclass(frozen=True)
class Deduction:
    step: Decimal
    points: Decimal
    percent: bool  # the step is a percentage (或 percentage points)
    kind: Literal["shortfall", "excess", "event"]
    cap: Decimal | None  # 最多扣 X 分
    text: str


@dataclass(frozen=True)
class Rule:
    text: str
    bands: tuple[Band, ...]
    deductions: tuple[Deduction, ...]
    ratio: bool  # 按完成比例得分: score = actual / target × weight
    full_when_met: bool  # 完成指标得满分
    otherwise: Decimal | None  # 否则不得分: the points of whatever the other clauses leave
    otherwise_text: str
    on_completion: bool  # bands measured on actual / target, not on the actual


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    lo: Decimal  # the scores the rule allows, lo..hi
    hi: Decimal
    reason: str  # the arithmetic in words


def _dec(s: str | None) -> Decimal | None:
    if not s:
        return None
    n = parse_number(s)
    return None if n is None else n.value


def _included(bracket: str | None) -> bool | None:
    if not bracket:
        return None
    return not _EXCLUDED.search(bracket)


def _band(cond: str, points: Decimal | None, text: str) -> Band | None:
    for pat in (_RANGE, _BETWEEN):
        m = pat.search(cond)
        if m is not None:
            lo, hi = _dec(m.group("lo")), _dec(m.group("hi"))
            if lo is None or hi is None or lo >= hi:
                return None
            pct = bool(m.group("lu") or m.group("hu")) and (m.group("lu") or m.group("hu")) in _PERCENT
            if pat is _RANGE:
                lo_in, hi_in = _included(m.group("lo_in")), _included(m.group("hi_in"))
            else:
                lo_in, hi_in = m.group("lop") in _INCLUSIVE, m.group("hop") in _INCLUSIVE
            return Band(lo, lo_in, hi, hi_in, points, pct, text)
    m = _ABOVE.search(cond)
    if m is not None:
        lo = _dec(m.group("lo") or m.group("lo2"))
        unit = m.group("lu") or m.group("lu2") or ""
        lo_in = _included(m.group("in1") or m.group("in2")) if m.group("lo") else m.group("op") in _INCLUSIVE
        return None if lo is None else Band(lo, lo_in, None, None, points, unit in _PERCENT, text)
    m = _BELOW.search(cond)
    if m is not None:
        hi = _dec(m.group("hi") or m.group("hi2"))
        unit = m.group("hu") or m.group("hu2") or ""
        hi_in = _included(m.group("in1") or m.group("in2")) if m.group("hi") else m.group("op") in _INCLUSIVE
        return None if hi is None else Band(None, None, hi, hi_in, points, unit in _PERCENT, text)
    return None


def _kind(what: str) -> Literal["shortfall", "excess", "event"] | None:
    for kind, ws in (("event", _EVENT), ("excess", _EXCESS), ("shortfall", _SHORTFALL)):
        if any(w in what for w in ws):
            return kind  # type: ignore[return-value]
    return None


def parse_rule(text: str) -> Rule:
    bands: list[Band] = []
    deds: list[Deduction] = []
    cap_m = _DEDUCT_CAP.search(text)
    cap = _dec(cap_m.group("cap") or cap_m.group("cap2")) if cap_m else None
    otherwise: tuple[Decimal | None, str] = (None, "")
    for clause in _SPLIT.split(text):
        if not clause:
            continue
        d = _DEDUCT.search(clause)
        if d is not None:
            kind = _kind(d.group("what"))
            step = _dec(d.group("step")) or Decimal(1)
            per = _dec(d.group("per"))
            unit = d.group("unit") or ""
            if kind is not None and per is not None and step > 0:
                deds.append(Deduction(step, per, unit in _PERCENT or unit in _POINTS, kind, cap, clause))
            continue
        award = _AWARD.search(clause)
        points: Decimal | None
        if award is not None:
            points, cond = _dec(award.group("score")), clause[:award.start()]
        elif _ZERO.search(clause):
            points, cond = Decimal(0), clause[:_ZERO.search(clause).start()]  # type: ignore[union-attr]
        elif _FULL.search(clause):
            points, cond = None, clause
        else:
            continue
        b = _band(cond, points, clause)
        if b is not None:
            bands.append(b)
        elif points is not None and _OTHERWISE.search(cond):
            otherwise = (points, clause)
    return Rule(text, _settle_bounds(bands), tuple(deds), bool(_RATIO.search(text)), bool(_FULL.search(text)),
                otherwise[0], otherwise[1], bool(_ON_COMPLETION.search(text)))


def _settle_bounds(bands: list[Band]) -> tuple[Band, ...]:
    """A bound one band says it holds (80%（含）-95%) is not also in the band beside it (80%以下), and a bound
    one band leaves out (（不含）) belongs to the other: bands share their edges, they do not overlap."""
    said: dict[Decimal, bool] = {}
    for b in bands:
        if b.lo is not None and b.lo_in is not None:
            said.setdefault(b.lo, b.lo_in)
        if b.hi is not None and b.hi_in is not None:
            said.setdefault(b.hi, b.hi_in)
    out = []
    for b in bands:
        lo_in = (not said[b.lo]) if b.lo_in is None and b.lo in said else b.lo_in
        hi_in = (not said[b.hi]) if b.hi_in is None and b.hi in said else b.hi_in
        out.append(Band(b.lo, lo_in, b.hi, hi_in, b.points, b.percent, b.text))
    return tuple(out)


def is_rule(text: str) -> bool:
    """Whether a cell's text is a banded or deduction rule (as opposed to a target, an actual or a remark)."""
    r = parse_rule(text)
    return len(r.bands) >= 2 or bool(r.bands and r.otherwise is not None) or bool(r.deductions)


# ---- applying a rule ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    op: str  # ≥ > ≤ < =
    num: Num
    unit: str  # as printed after the number ("%", "人", "万元" → "元" after its scale)
    text: str

    @property
    def percent(self) -> bool:
        return self.unit in _PERCENT


def read_value(text: str) -> Value | None:
    """'≥1.47万人' -> (≥, 14700, 人); None when the cell is not a number (按时, 基本达成目标)."""
    m = _VALUE.match(text.strip())
    if m is None:
        return None
    n = parse_number(m.group("v") + (m.group("scale") or ""))
    if n is None:
        return None
    op = (m.group("op") or "=").replace("＞", ">").replace("＜", "<").replace("＝", "=")
    return Value(op[0], n, m.group("unit").strip(), text)


def _count_in_words(text: str) -> Value | None:
    """'发现问题2次' -> (=, 2, 次): a count told in words, the cell's one number."""
    m = _COUNT_IN_WORDS.match(text.strip())
    n = parse_number(m.group("v")) if m else None
    if m is None or n is None:
        return None
    return Value("=", n, (m.group("unit") or "").strip(), text)


def _unchecked(w: Num, why: str) -> Outcome:
    return Outcome("unchecked", Decimal(0), w.value, f"could not check: {why}")


def show(x: Decimal) -> str:
    """A score as a rule gives it: 7.5, 3, 8.25 (no trailing zeros)."""
    return fmt(x, 2).rstrip("0").rstrip(".") if x != x.to_integral_value() else str(int(x))


def _measure(rule: Rule, target: Value | None, actual: Value) -> tuple[Decimal, Interval, str] | None:
    """The quantity the bands are drawn on: the actual itself, or actual / target when the rule says 完成率 or
    draws percentage bands over an actual counted in another unit."""
    pct_bands = any(b.percent for b in rule.bands)
    if rule.on_completion or (pct_bands and not actual.percent):
        if target is None or target.op in ("<", "≤") or target.num.value <= 0 or target.unit != actual.unit:
            return None
        exact = actual.num.value / target.num.value * 100
        iv = (actual.num.interval() / target.num.interval()).scale(Decimal(100))
        return exact, iv, f"completion {actual.text} / {target.text} = {show(exact.quantize(Decimal('0.01')))}%"
    if pct_bands != actual.percent:
        return None
    # The printed actual is the figure the score was given on: its band is read from it as printed.
    return actual.num.value, Interval.point(actual.num.value), f"the actual {actual.text}"


def _apply_bands(rule: Rule, w: Num, score: Num, target: Value | None, actual: Value) -> Outcome:
    got = _measure(rule, target, actual)
    if got is None:
        return _unchecked(w, f"the bands of “{rule.text}” are not drawn in the unit of the actual “{actual.text}”")
    exact, iv, what = got
    pts = [(b, b.points if b.points is not None else w.value) for b in rule.bands]
    sure = [(b, p) for b, p in pts if b.holds(exact)]
    near = [(b, p) for b, p in pts if b.meets(iv)]
    if not sure and not near:
        if rule.otherwise is not None:
            pts_else = rule.otherwise
            return Outcome(_verdict(score, pts_else, pts_else), pts_else, pts_else,
                           f"{what} is in none of the bands: “{rule.otherwise_text}” → {show(pts_else)}")
        return _unchecked(w, f"{what} lies in none of the bands of “{rule.text}”")
    allowed = sure or near
    lo, hi = min(p for _, p in allowed), max(p for _, p in allowed)
    shown = "; ".join(f"“{b.text}” → {show(p)}" for b, p in allowed)
    verdicts = [_verdict(score, p, p) for _, p in sure] or ["inconsistent"]
    verdicts += ["rounding" for _, p in near if _verdict(score, p, p) != "inconsistent"]
    verdict = min(verdicts, key=("consistent", "rounding", "inconsistent").index)
    return Outcome(verdict, lo, hi, f"{what} is in {shown}")


def _gap(d: Deduction, target: Value | None, actual: Value) -> tuple[Decimal, str] | None:
    if d.kind == "event":
        if target is not None and target.num.value != 0:
            return None  # events allowed up to a count: the rule's reading varies from report to report
        return actual.num.value, f"“{actual.text}” counts {show(actual.num.value)} events"
    if target is None or (d.kind == "shortfall") != (target.op in ("≥", ">", "=")):
        return None
    t, a = target.num.value, actual.num.value
    if target.unit != actual.unit and not (actual.percent and target.percent):
        return None
    raw = t - a if d.kind == "shortfall" else a - t
    word = "short of" if d.kind == "shortfall" else "over"
    if d.percent and not actual.percent:
        if t <= 0:
            return None
        rel = raw / t * 100
        return rel, f"{actual.text} is {show(rel.quantize(Decimal('0.01')))}% {word} {target.text}"
    if not d.percent and actual.percent:
        return None
    unit = "points" if actual.percent else (actual.unit or "")
    return raw, f"{actual.text} is {show(raw)} {unit} {word} {target.text}".replace("  ", " ")


def _apply_deduction(rule: Rule, d: Deduction, w: Num, score: Num, target: Value | None, actual: Value) -> Outcome:
    got = _gap(d, target, actual)
    if got is None:
        return _unchecked(w, f"“{d.text}” cannot be measured between {target.text if target else '—'} "
                             f"and the actual {actual.text}")
    gap, said = got
    if gap <= 0:
        lo = hi = w.value
        how = f"{said}: nothing to deduct → {show(w.value)}"
    else:
        steps = gap / d.step
        few, many = Decimal(math.floor(steps)), Decimal(math.ceil(steps))
        off_lo, off_hi = few * d.points, many * d.points
        if d.cap is not None:
            off_lo, off_hi = min(off_lo, d.cap), min(off_hi, d.cap)
        lo, hi = max(w.value - off_hi, Decimal(0)), max(w.value - off_lo, Decimal(0))
        steps_said = show(few) if few == many else f"{show(few)}–{show(many)}"
        how = (f"{said}: “{d.text}” → {steps_said} × {show(d.points)} off {show(w.value)} → "
               + (show(lo) if lo == hi else f"{show(lo)}–{show(hi)}"))
    return Outcome(_verdict(score, lo, hi), lo, hi, how)


def _verdict(score: Num, lo: Decimal, hi: Decimal) -> Verdict:
    """The score as printed against the range the rule allows: inside, inside only through the score's own
    rounding, or outside."""
    if lo <= score.value <= hi:
        return "consistent"
    iv = score.interval()
    return "rounding" if iv.hi >= lo and iv.lo <= hi else "inconsistent"


def _met(target: Value, actual: Value) -> bool | None:
    t, a = target.num.value, actual.num.value
    return {"≥": a >= t, ">": a > t, "≤": a <= t, "<": a < t, "=": a == t}.get(target.op)


def _apply_all_or_nothing(rule: Rule, w: Num, score: Num, target_text: str, actual_text: str) -> Outcome | None:
    """"完成指标得满分，未完成不得分": the full weight when the actual meets its target, else the other clause's."""
    target, actual = read_value(target_text), read_value(actual_text)
    if target is None or actual is None:
        return None  # words (按时, 合格): the check reads a target met in words itself
    if not actual.unit and target.unit:
        actual = Value(actual.op, actual.num, target.unit, actual.text)
    met = _met(target, actual) if target.unit == actual.unit else None
    if met is None:
        return _unchecked(w, f"the actual {actual.text} and the target {target.text} are not in one unit")
    pts = w.value if met else (rule.otherwise or Decimal(0))
    said = (f"{actual.text} meets {target.text}: full marks" if met else
            f"{actual.text} misses {target.text}: “{rule.otherwise_text}”")
    return Outcome(_verdict(score, pts, pts), pts, pts, f"{said} → {show(pts)}")


def apply_rule(rule: Rule, weight: Num, score: Num, target_text: str, actual_text: str) -> Outcome | None:
    """The scores the row's rule allows for its actual, against the score given; None when the rule has no
    band and no deduction (ratio and full-marks rules are applied by checks/scoring.py)."""
    if not rule.bands and not rule.deductions:
        if rule.full_when_met and rule.otherwise is not None and not rule.ratio:
            return _apply_all_or_nothing(rule, weight, score, target_text, actual_text)
        return None
    actual = read_value(actual_text) or _count_in_words(actual_text)
    if actual is None and rule.deductions and rule.deductions[0].kind == "event" and _NONE_HAPPENED.match(
            actual_text.strip()):
        actual = Value("=", Num(Decimal(0), 0, actual_text), "", actual_text)  # 无 / 未发现: no event to count
    if actual is None:
        return _unchecked(weight, f"the rule “{rule.text}” needs a number and the actual “{actual_text}” is not one")
    target = read_value(target_text)
    if target is not None and not actual.unit and target.unit:
        # An actual printed bare under a target with its unit (≥95% / 95) is counted in the target's unit.
        actual = Value(actual.op, actual.num, target.unit, actual.text)
    if rule.deductions:
        return _apply_deduction(rule, rule.deductions[0], weight, score, target, actual)
    return _apply_bands(rule, weight, score, target, actual)
