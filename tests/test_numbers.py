from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crossfoot.numbers import (
    Interval,
    Num,
    classify,
    fmt,
    growth,
    parse_chinese_count,
    parse_number,
    pct,
    round_to,
)


@pytest.mark.parametrize(
    ("raw", "value", "decimals"),
    [
        ("1,144.45", "1144.45", 2),
        ("１，２３４．５", "1234.5", 1),
        ("24,414,396.73", "24414396.73", 2),
        ("(12.30)", "-12.30", 2),
        ("△5", "-5", 0),
        ("-3.1", "-3.1", 1),
        ("－3.1", "-3.1", 1),
        ("12.5%", "12.5", 1),
        ("1.47万", "14700", -2),
        ("两", "2", 0),
        ("十二", "12", 0),
        ("二十", "20", 0),
        ("一百零五", "105", 0),
        ("0.00", "0", 2),
        (" 307.82 ", "307.82", 2),
    ],
)
def test_parse_printed_forms(raw: str, value: str, decimals: int) -> None:
    n = parse_number(raw)
    assert n is not None
    assert n.value == Decimal(value)
    assert n.decimals == decimals


@pytest.mark.parametrize("raw", ["", " ", "-", "—", "——", "/", "abc", "1.2.3", "12,34", None, "2655户"])
def test_blanks_and_non_numbers(raw: str | None) -> None:
    assert parse_number(raw) is None


def test_percent_keeps_unit() -> None:
    n = parse_number("33.76%")
    assert n is not None and n.unit == "%"


def test_wan_interval_keeps_printed_precision() -> None:
    n = parse_number("1.47万")
    assert n is not None
    assert n.interval() == Interval(Decimal("14650"), Decimal("14750"))


def test_unit_conversion_moves_precision() -> None:
    n = Num(Decimal("1144.45"), 2, "1144.45", "万元")
    yuan = n.in_unit("元")
    assert yuan.value == Decimal("11444500")
    assert yuan.decimals == -2
    assert yuan.interval().contains(Decimal("11444549"))
    assert not yuan.interval().contains(Decimal("11444551"))
    back = yuan.in_unit("万元")
    assert back.value == n.value and back.decimals == 2


def test_chinese_counts() -> None:
    assert parse_chinese_count("十") == 10
    assert parse_chinese_count("三十五") == 35
    assert parse_chinese_count("x") is None


def test_rounding_is_not_an_error() -> None:
    # 0.08 / 5.60 = 1.4286%, but 0.075 / 5.605 = 1.338%: 1.37% is explained by rounding alone.
    a, b = parse_number("0.08"), parse_number("5.60")
    stated = parse_number("1.37")
    assert a and b and stated
    iv = pct(a.interval(), b.interval())
    assert classify(stated, a.value / b.value * 100, iv) == "rounding"


def test_growth_consistent_and_inconsistent() -> None:
    cur, chg = parse_number("1144.45"), parse_number("288.84")
    assert cur and chg
    exact = chg.value / (cur.value - chg.value) * 100
    iv = growth(cur.interval(), chg.interval())
    assert classify(parse_number("33.76") or cur, exact, iv) == "consistent"
    assert classify(parse_number("33.96") or cur, exact, iv) == "inconsistent"


def test_interval_division_by_zero_interval() -> None:
    with pytest.raises(ZeroDivisionError):
        Interval(Decimal(1), Decimal(2)) / Interval(Decimal(-1), Decimal(1))


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)
def test_format_parse_round_trip(value: Decimal, decimals: int, thousands: bool) -> None:
    printed = fmt(value, decimals, thousands=thousands)
    n = parse_number(printed)
    assert n is not None
    assert n.decimals == decimals
    assert n.value == round_to(value, decimals)
    assert fmt(n.value, n.decimals, thousands=thousands) == printed


@given(
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=2),
    st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e6"), places=2),
)
def test_interval_sum_contains_exact_sum(a: Decimal, b: Decimal) -> None:
    na, nb = Num(a, 2), Num(b, 2)
    assert (na.interval() + nb.interval()).contains(a + b)
    assert (na.interval() - nb.interval()).contains(a - b)
