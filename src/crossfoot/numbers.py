"""Printed numbers: parsing, precision, unit conversion and interval arithmetic.

A figure printed with d decimals stands for every value that rounds to it, so every
comparison in crossfoot is between intervals, never between floats with a fixed tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal

from crossfoot.datafiles import parse_toml

Verdict = Literal["consistent", "rounding", "inconsistent"]



def _money_units() -> dict[str, Decimal]:
    """The lexicon's money units ([units].money in knowledge/lexicon.toml: unit = its factor to the base unit).
    Read here straight from the file, not through the catalogue: the data model imports this module, and a
    warm, cached run loads the model without building the catalogue."""
    path = Path(__file__).parent / "knowledge" / "lexicon.toml"
    money = parse_toml(path.read_text(encoding="utf-8"))["units"]["money"]
    return {str(k): Decimal(str(v)) for k, v in money.items()}


# Units a money figure can be printed in, as multiples of the base unit (元).
MONEY_UNITS: dict[str, Decimal] = _money_units()
BASE_UNIT = next(u for u, k in MONEY_UNITS.items() if k == 1)  # the unit of factor 1 (元)

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％（）",
    "0123456789.,-+%()",
)
EMPTY_MARKS = frozenset({"", "-", "—", "——", "–", "--", "/", "－", "——————", "…", "*", "＊"})

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}

_NUM_BODY = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_WAN_SUFFIX = {"万": Decimal(10000), "亿": Decimal(100000000)}
# A cell printed with its unit ("5万元") is read in the base unit: the base unit and the 万/亿 multiples of it.
# Longest first: "5万元" ends with 元 too.
_FOLDED_UNITS = tuple(sorted(((u, k) for u, k in MONEY_UNITS.items()
                              if u == BASE_UNIT or (u.endswith(BASE_UNIT) and u[:-len(BASE_UNIT)] in _WAN_SUFFIX)),
                             key=lambda uk: -len(uk[0])))


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] of exact decimals."""

    lo: Decimal
    hi: Decimal

    @staticmethod
    def point(v: Decimal) -> Interval:
        return Interval(v, v)

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.lo - other.hi, self.hi - other.lo)

    def __mul__(self, other: Interval) -> Interval:
        ps = (self.lo * other.lo, self.lo * other.hi, self.hi * other.lo, self.hi * other.hi)
        return Interval(min(ps), max(ps))

    def __truediv__(self, other: Interval) -> Interval:
        if other.contains(Decimal(0)):
            raise ZeroDivisionError("divisor interval contains zero")
        qs = (self.lo / other.lo, self.lo / other.hi, self.hi / other.lo, self.hi / other.hi)
        return Interval(min(qs), max(qs))

    def scale(self, k: Decimal) -> Interval:
        a, b = self.lo * k, self.hi * k
        return Interval(min(a, b), max(a, b))

    def contains(self, v: Decimal) -> bool:
        return self.lo <= v <= self.hi

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2


def interval_sum(items: list[Interval]) -> Interval:
    total = Interval.point(Decimal(0))
    for it in items:
        total = total + it
    return total


@dataclass(frozen=True)
class Num:
    """A number as printed: its exact value, how many decimals were printed, and its unit if any.

    decimals may be negative after a unit conversion or a 万 suffix: -2 means "to the nearest 100".
    """

    value: Decimal
    decimals: int
    text: str = ""
    unit: str | None = None

    @property
    def half_ulp(self) -> Decimal:
        return Decimal(5).scaleb(-(self.decimals + 1))

    def interval(self) -> Interval:
        h = self.half_ulp
        return Interval(self.value - h, self.value + h)

    def exact(self) -> Interval:
        return Interval.point(self.value)

    def in_unit(self, unit: str) -> Num:
        """The same amount in another money unit; decimals shift with the scale so precision is kept."""
        if self.unit is None or self.unit == unit:
            return Num(self.value, self.decimals, self.text, unit)
        src, dst = MONEY_UNITS.get(self.unit), MONEY_UNITS.get(unit)
        if src is None or dst is None:
            raise ValueError(f"cannot convert {self.unit} to {unit}")
        factor = src / dst
        # 万元 -> 元 multiplies by 10^4, so the last printed digit moves four places left:
        # decimals may go negative (-2 means the figure is known to the nearest hundred).
        return Num(self.value * factor, self.decimals - factor.adjusted(), self.text, unit)

    def __str__(self) -> str:
        return fmt(self.value, self.decimals)


def fmt(value: Decimal, decimals: int, thousands: bool = False) -> str:
    """Format like a report prints: fixed decimals, half-up rounding."""
    v = round_to(value, decimals)
    if v == 0:
        v = abs(v)
    d = max(decimals, 0)
    return f"{v:,.{d}f}" if thousands else f"{v:.{d}f}"


def round_to(value: Decimal, decimals: int) -> Decimal:
    """Half-up rounding to `decimals` places (negative: to tens, hundreds...)."""
    if decimals >= 0:
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    k = Decimal(1).scaleb(-decimals)
    return (value / k).quantize(Decimal(1), rounding=ROUND_HALF_UP) * k


_SPACES = re.compile(r"[\s\u3000]+")


def normalize_text(s: str) -> str:
    """Full-width digits and punctuation to ASCII; spaces (also U+3000) removed."""
    # Called for every cell and label by several checks: those (short) texts are memoised, long ones not.
    return _normalize_short(s) if len(s) <= 64 else _SPACES.sub("", s.translate(_FULLWIDTH))


@lru_cache(maxsize=65536)
def _normalize_short(s: str) -> str:
    return _SPACES.sub("", s.translate(_FULLWIDTH))


def parse_chinese_count(s: str) -> int | None:
    """Small Chinese numerals: 一, 两, 十二, 二十, 一百零五. None when s is not one."""
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        else:
            total += (cur or 1) * _CN_UNITS[ch]
            cur = 0
    return total + cur


# Pure, and called for every cell by several checks: memoised (Num is frozen, so sharing is safe).
@lru_cache(maxsize=65536)
def parse_number(raw: str | None) -> Num | None:
    """Parse a printed number as the reports print them; None for blanks, dashes and non-numbers.

    Handles thousands separators (ASCII and full-width), full-width digits, '-', parentheses and
    '△' for negatives, a trailing '%', a '万'/'亿' suffix (value scaled, precision kept relative to
    the printed digits), and small Chinese numerals.
    """
    if raw is None:
        return None
    s = normalize_text(raw)
    if s in EMPTY_MARKS:
        return None
    unit: str | None = None
    neg = False
    if s.startswith("△") or s.startswith("▲"):
        neg, s = True, s[1:]
    if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
        neg, s = True, s[1:-1]
    if s.endswith("%"):
        unit, s = "%", s[:-1]
    elif s.endswith("‰"):
        unit, s = "‰", s[:-1]
    scale = Decimal(1)
    for suffix, k in _FOLDED_UNITS:
        if s.endswith(suffix) and len(s) > len(suffix):
            unit, scale, s = BASE_UNIT, k, s[: -len(suffix)]
            break
    else:
        if s[-1:] in _WAN_SUFFIX and len(s) > 1:
            scale, s = _WAN_SUFFIX[s[-1]], s[:-1]
    cn = parse_chinese_count(s)
    if cn is not None:
        return Num(Decimal(-cn if neg else cn) * scale, 0, raw.strip(), unit)
    if s.startswith("-") or s.startswith("+"):
        neg = neg ^ (s[0] == "-")
        s = s[1:]
    if not s or not _NUM_BODY.match(s) or not any(c.isdigit() for c in s):
        return None
    body = s.replace(",", "")
    try:
        v = Decimal(body)
    except InvalidOperation:
        return None
    decimals = len(body.split(".")[1]) if "." in body else 0
    if scale != 1:
        # '1.47万' is 14700 known to the nearest hundred: decimals 2 - 4 = -2.
        v *= scale
        decimals -= scale.adjusted()
    if neg:
        v = -v
    return Num(v, decimals, raw.strip(), unit)


def classify(stated: Num, recomputed_exact: Decimal, recomputed: Interval) -> Verdict:
    """statcheck-style verdict of a stated figure against a recomputation.

    consistent: the exact recomputation from the printed inputs, rounded to the stated precision,
    gives the stated figure. rounding: it does not, but some values the printed inputs may stand for
    give it (the stated interval overlaps the recomputed one). inconsistent: nothing explains it.
    """
    if round_to(recomputed_exact, stated.decimals) == round_to(stated.value, stated.decimals):
        return "consistent"
    if stated.interval().overlaps(recomputed):
        return "rounding"
    return "inconsistent"


def pct(part: Interval, whole: Interval) -> Interval:
    return (part / whole).scale(Decimal(100))


def growth(current: Interval, change: Interval) -> Interval:
    """Growth rate in % given the current value and the change from the prior year."""
    return pct(change, current - change)


def to_unit(value: Decimal, unit_from: str, unit_to: str) -> Decimal:
    return value * MONEY_UNITS[unit_from] / MONEY_UNITS[unit_to]


def same_amount(a: Interval, b: Interval) -> bool:
    """Whether two printed amounts may be the same quantity: their intervals share an interior point.

    Touching ends do not count: 29.42 and 29.43 meet only at 29.425, which half-up rounding prints
    as 29.43, so the two cannot be one value printed twice. Point intervals (exact values) compare
    by containment.
    """
    if a.lo == a.hi:
        return b.lo <= a.lo <= b.hi
    if b.lo == b.hi:
        return a.lo <= b.lo <= a.hi
    return a.lo < b.hi and b.lo < a.hi
