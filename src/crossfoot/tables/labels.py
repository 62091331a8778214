"""Label normalisation: numbering, 科目 level marks and filler words removed so labels compare."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import alternation

# Outline numbering (一、 （1） ① B13): number syntax, kept in code like the digits it stands beside.
_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]\d+[)）]|\d+[、.．)）](?!\d)|[①-⑳]|[A-Z]\d{1,3}(?=\D))+"
)
_LEVEL = re.compile(r"[\uff08(]" + alternation(words("rows.subject_levels")) + r"[)\uff09]")
_TOTAL_TAIL = re.compile(alternation(words("narrative.label_total_tail")) + "$")
_QUOTES = re.compile(r"[“”\"'‘’「」《》]")
_LEAD = pattern("narrative.label_lead")
_TAIL = pattern("narrative.label_tail")

# 科目 names that were renamed (lexicon.toml [renamed_subjects]); later years' tables print the new name
# under the same code.
RENAMED: dict[str, str] = dict(load_catalogue().renamed)


def clean_label(s: str) -> str:
    """A printed phrase as a label: whitespace, numbering, quotes and filler words removed."""
    t = re.sub(r"[\s\u3000]+", "", s)
    t = _QUOTES.sub("", t)
    prev = None
    while prev != t:
        prev = t
        t = _NUMBERING.sub("", t)
        t = _LEAD.sub("", t)
        t = _TAIL.sub("", t)
    return t.strip("：:，,；;。、")


@lru_cache(maxsize=65536)
def norm_label(s: str) -> str:
    """A label reduced for comparison: 科目 level marks, codes and punctuation dropped."""
    t = clean_label(s)
    t = _LEVEL.sub("", t)
    t = re.sub(r"^\d{3,7}", "", t)
    t = re.sub(r"[（()）：:，,、\-—/]", "", t)
    # 人员经费合计 is 人员经费; 货物支出金额 is 货物支出.
    if len(t) >= 5:
        t = _TOTAL_TAIL.sub("", t)
    return t


@lru_cache(maxsize=65536)
def code_of(s: str) -> str | None:
    """The function / economic classification code a label starts with (201, 20101, 2010101, 30101)."""
    m = re.match(r"^[\s\u3000]*([1-9]\d{2}(?:\d{2}){0,2})(?![\d.])", s)
    return m.group(1) if m else None


@lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """0..100: how well two labels name the same thing (order-insensitive, partial containment counts)."""
    na, nb = norm_label(a), norm_label(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 100.0
    whole = fuzz.ratio(na, nb)
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    if len(short) == len(long_):
        return whole
    # A label inside a longer one ("货物支出" in "政府采购货物支出") names the same thing with a qualifier.
    if short in long_ and len(short) >= 3:
        return max(whole, 85 + 15 * len(short) / len(long_))
    part = fuzz.partial_ratio(short, long_) if len(short) >= 2 else 0.0
    return max(whole, part * (0.5 + 0.4 * len(short) / len(long_)))
