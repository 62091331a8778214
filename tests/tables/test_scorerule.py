"""Scoring rules in their printed shapes: bands, deductions, ratio and full-marks rules, and what they allow."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crossfoot.numbers import parse_number
from crossfoot.tables.scorerule import apply_rule, is_rule, parse_rule

BANDS = "95%以上得3分；80%（含）-95%得2分；80%以下不得分"
BETWEEN = "80%≤完成率<95%得2分；完成率≥95%得3分；低于80%得0分"


def outcome(rule: str, weight: str, score: str, target: str, actual: str):  # type: ignore[no-untyped-def]
    w, s = parse_number(weight), parse_number(score)
    assert w is not None and s is not None
    return apply_rule(parse_rule(rule), w, s, target, actual)


def test_band_clauses_are_read_with_their_bounds() -> None:
    r = parse_rule(BANDS)
    assert [(b.lo, b.hi, b.points) for b in r.bands] == [
        (Decimal(95), None, Decimal(3)), (Decimal(80), Decimal(95), Decimal(2)), (None, Decimal(80), Decimal(0))]
    assert r.bands[1].lo_in is True and r.bands[1].hi_in is None  # （含） said for 80 only
    r = parse_rule(BETWEEN)
    assert r.on_completion and (r.bands[0].lo_in, r.bands[0].hi_in) == (True, False)


@pytest.mark.parametrize(("score", "actual", "verdict", "expected"), [
    ("3", "96%", "consistent", (3, 3)),
    ("2", "85%", "consistent", (2, 2)),
    ("3", "85%", "inconsistent", (2, 2)),
    ("2", "79.5%", "inconsistent", (0, 0)),
    ("2", "95%", "consistent", (2, 3)),  # 以上 does not say whether 95 belongs: either band's score holds
    ("3", "95%", "consistent", (2, 3)),
    ("0", "80%", "inconsistent", (2, 2)),  # 80%（含）: 80 is in the 2-point band
])
def test_banded_rule_on_the_actual(score: str, actual: str, verdict: str, expected: tuple[int, int]) -> None:
    o = outcome(BANDS, "3", score, "≥95%", actual)
    assert o is not None and o.verdict == verdict and (o.lo, o.hi) == tuple(Decimal(x) for x in expected)
    if verdict == "inconsistent":
        assert actual in o.reason and "→" in o.reason  # which band, in words


def test_percentage_bands_over_a_count_are_drawn_on_the_completion_ratio() -> None:
    o = outcome(BANDS, "3", "3", "≥200人", "170人")
    assert o is not None and o.verdict == "inconsistent" and o.lo == 2 and "170人 / ≥200人 = 85%" in o.reason
    o = outcome(BETWEEN, "3", "2", "≥95%", "90%")  # 完成率 named: 90 / 95 = 94.7% → 2
    assert o is not None and o.verdict == "consistent"


def test_an_actual_printed_bare_takes_its_targets_unit() -> None:
    o = outcome(BANDS, "3", "3", "≥95%", "90")
    assert o is not None and o.verdict == "inconsistent" and o.lo == 2


@pytest.mark.parametrize("actual", ["基本达成目标", "按时", "较好"])
def test_an_actual_that_is_no_number_is_not_checked(actual: str) -> None:
    o = outcome(BANDS, "3", "3", "≥95%", actual)
    assert o is not None and o.verdict == "unchecked" and o.reason.startswith("could not check")


def test_bands_in_another_unit_than_the_actual_are_not_checked() -> None:
    o = outcome("3次以上得3分；1-2次得1分", "3", "3", "≥95%", "90%")
    assert o is not None and o.verdict == "unchecked"


@pytest.mark.parametrize(("rule", "score", "target", "actual", "verdict", "lo", "hi"), [
    ("每降低1%扣0.5分", "7.5", "≥95%", "90%", "consistent", "7.5", "7.5"),
    ("每降低1%扣0.5分", "9", "≥95%", "90%", "inconsistent", "7.5", "7.5"),
    ("每降低1%扣0.5分", "8.5", "≥95%", "92.5%", "consistent", "8.5", "9"),  # 2.5 steps: whole or part
    ("每降低1%扣0.5分", "10", "≥95%", "97%", "consistent", "10", "10"),  # met: nothing to deduct
    ("每降低1个百分点扣1分", "7", "≥95%", "90%", "inconsistent", "5", "5"),
    ("达到目标值得满分，每少1人扣1分，最多扣5分", "5", "≥100人", "90人", "consistent", "5", "5"),
    ("每降低1%扣1分", "8", "≥100人", "95人", "inconsistent", "5", "5"),  # 5% short of 100 people
    ("每超支1%扣1分", "8", "≤100万元", "104万元", "inconsistent", "6", "6"),
    ("每发现一次扣1分，扣完为止", "3", "0次", "2次", "consistent", "3", "3"),
    ("每发现一次扣1分，扣完为止", "5", "0次", "2次", "inconsistent", "3", "3"),
    ("每发现一次扣1分，扣完为止", "0", "0次", "9次", "consistent", "0", "0"),  # 扣完为止: never below 0
])
def test_deduction_rules(rule: str, score: str, target: str, actual: str, verdict: str, lo: str, hi: str) -> None:
    o = outcome(rule, "10" if "发现" not in rule else "5", score, target, actual)
    assert o is not None and o.verdict == verdict and (o.lo, o.hi) == (Decimal(lo), Decimal(hi)), o


def test_deduction_that_cannot_be_measured_is_not_checked() -> None:
    o = outcome("每降低1%扣0.5分", "10", "8", "按时", "按时")
    assert o is not None and o.verdict == "unchecked"
    o = outcome("每降低1%扣0.5分", "10", "8", "≤2小时", "3小时")  # a ceiling cannot fall short
    assert o is not None and o.verdict == "unchecked"


def test_ratio_and_full_marks_rules_are_left_to_the_check() -> None:
    r = parse_rule("完成指标得满分,未完成按完成情况得分")
    assert r.ratio and r.full_when_met and not r.bands and not r.deductions
    assert outcome("完成指标得满分,未完成按完成情况得分", "10", "10", "≥9100万元", "5889.6万元") is None
    assert parse_rule("未完成的按完成比例得分").ratio


@pytest.mark.parametrize(("text", "rule"), [
    (BANDS, True), (BETWEEN, True), ("每降低1%扣0.5分", True), ("每发现一次扣1分，扣完为止", True),
    ("≥95%", False), ("基本达成目标", False), ("2套", False), ("完成指标得满分,未完成按完成情况得分", False),
    ("受疫情影响，满意度得9分", False),
])
def test_what_is_a_rule_cell(text: str, rule: bool) -> None:
    assert is_rule(text) is rule


@pytest.mark.parametrize(("actual", "score", "verdict"), [
    ("发现问题2次", "3", "consistent"), ("发现问题2次", "5", "inconsistent"),  # a count told in words
    ("无", "5", "consistent"), ("未发现问题", "4", "inconsistent"),  # no event: nothing to deduct
])
def test_events_counted_in_words(actual: str, score: str, verdict: str) -> None:
    o = outcome("每发现一次扣1分，扣完为止", "5", score, "0次", actual)
    assert o is not None and o.verdict == verdict and actual in o.reason


def test_nothing_happened_is_no_number_for_a_band() -> None:
    o = outcome(BANDS, "3", "3", "≥95%", "无")
    assert o is not None and o.verdict == "unchecked"


@pytest.mark.parametrize(("rule", "score", "target", "actual", "verdict", "points"), [
    ("95%以上得3分，否则不得分", "0", "≥95%", "90%", "consistent", "0"),  # the otherwise clause
    ("95%以上得3分，否则不得分", "3", "≥95%", "90%", "inconsistent", "0"),
    ("95%以上得3分，其余得1分", "1", "≥95%", "90%", "consistent", "1"),
    ("完成目标得满分，未完成不得分", "5", "≥2份", "1", "inconsistent", "0"),  # all or nothing
    ("完成目标得满分，未完成不得分", "5", "≥2份", "3", "consistent", "5"),
    ("完成目标得满分，未完成不得分", "0", "≤50万元", "48.6万元", "inconsistent", "5"),
])
def test_otherwise_clauses(rule: str, score: str, target: str, actual: str, verdict: str, points: str) -> None:
    o = outcome(rule, "3" if "95%" in rule else "5", score, target, actual)
    assert o is not None and o.verdict == verdict and o.lo == o.hi == Decimal(points), o


def test_all_or_nothing_over_words_is_left_to_the_check() -> None:
    assert outcome("完成目标得满分，未完成不得分", "5", "5", "按时", "按时") is None
    assert is_rule("95%以上得3分，否则不得分") and not is_rule("完成目标得满分，未完成不得分")
