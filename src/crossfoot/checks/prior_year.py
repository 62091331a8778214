"""Prior-year values implied by stated changes: "X 1,144.45万元，比上年增加288.84万元" implies last year's X
was 855.61万元. Two statements about the same X must imply the same prior-year value, and so must any
prior-year figure printed ("上年 X 为 855.61万元")."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import Finding, FindingVerdict
from crossfoot.knowledge import pattern, words
from crossfoot.knowledge import sign as word_sign
from crossfoot.knowledge.vocab import alternation
from crossfoot.model import Block, Report
from crossfoot.numbers import BASE_UNIT, Interval, Num, classify, fmt, parse_number
from crossfoot.tables.labels import clean_label
from crossfoot.tables.structure import compact, sentence_around

# A 科目 path closing on a level tag right before the label ("法院（款）案件审判（项）支出"): the label alone
# ("支出") names no quantity of its own, the path does.
_SUBJECT_PATH = re.compile(
    r"(?:[^，,。；;：:\s（()）]{1,30}[（(]\d{0,7}" + alternation(words("rows.subject_levels")) + r"[)）])+$")
_TAG = re.compile(r"[（(]\d{0,7}" + alternation(words("rows.subject_levels")) + r"[)）]")
_CHANGE = pattern("tables.change_vs_prior")
_PRIOR = pattern("tables.prior_stated")
_LEAD = pattern("tables.label_lead")
# The unit every amount is recomputed in (元: the lexicon's money unit of factor 1), named in the findings.
_YUAN = BASE_UNIT


@dataclass(frozen=True)
class Implied:
    block: Block
    start: int
    end: int
    label: str
    prior: Interval
    exact: Num  # the implied prior at the precision of its inputs
    text: str  # "1,144.45万元 − 288.84万元"


def _num(s: str, unit: str) -> Num | None:
    n = parse_number(s.replace("，", ","))
    return None if n is None else Num(n.value, n.decimals, s, unit).in_unit(_YUAN)


def _label(raw: str) -> str:
    return _LEAD.sub("", compact(raw).strip("“”\""))


def implied_priors(report: Report) -> list[Implied]:
    out: list[Implied] = []
    for b in report.blocks:
        for m in _CHANGE.finditer(b.text):
            cur, chg = _num(m.group("cur"), m.group("u")), _num(m.group("chg"), m.group("cu"))
            if cur is None or chg is None:
                continue
            sign = -1 if word_sign(m.group("dir")) > 0 else 1
            iv = cur.interval() + chg.interval().scale(Decimal(sign))
            exact = cur.value + sign * chg.value
            d = min(cur.decimals, chg.decimals)
            op = "−" if sign < 0 else "+"
            label = _label(m.group("label"))
            path = _SUBJECT_PATH.search(b.text, 0, m.start("label"))
            if path is not None:
                label = _TAG.sub("", clean_label(path.group(0))) + label
            out.append(Implied(b, m.start(), m.end(), label, iv, Num(exact, d, "", _YUAN),
                               f"{m.group('cur')}{m.group('u')} {op} {m.group('chg')}{m.group('cu')}"))
    return out


def _agree(a: Implied, b: Implied) -> FindingVerdict:
    """Both sides are recomputations, so each carries the rounding of its own inputs."""
    d = min(a.exact.decimals, b.exact.decimals)
    if fmt(a.exact.value, d) == fmt(b.exact.value, d):
        return "consistent"
    return "rounding" if a.prior.overlaps(b.prior) else "inconsistent"


def _findings(report: Report) -> Iterator[Finding]:
    priors = implied_priors(report)
    by_label: dict[str, list[Implied]] = {}
    for p in priors:
        if len(p.label) >= 2:
            by_label.setdefault(p.label, []).append(p)
    for items in by_label.values():
        first = items[0]
        for other in items[1:]:
            if other.block is first.block and other.start == first.start:
                continue
            verdict = _agree(other, first)
            yield Finding(
                check="prior_year", severity="medium" if verdict == "inconsistent" else "none",
                verdict=verdict,
                page=other.block.page, quote=sentence_around(other.block.text, other.start, other.end),
                stated=f"{other.label} {fmt(other.exact.value, max(other.exact.decimals, 0))}{_YUAN} (implied)",
                expected=f"{fmt(first.exact.value, max(first.exact.decimals, 0))}{_YUAN}",
                message=f"last year's {other.label}: {other.text} = {fmt(other.exact.value, max(other.exact.decimals, 0))}{_YUAN} "
                        f"here, but {first.text} = {fmt(first.exact.value, max(first.exact.decimals, 0))}{_YUAN} on "
                        f"p{first.block.page}")
    for b in report.blocks:
        for m in _PRIOR.finditer(b.text):
            label = _label(m.group("label"))
            v = _num(m.group("v"), m.group("u"))
            implied = by_label.get(label)
            if v is None or not implied:
                continue
            p = implied[0]
            verdict = classify(v, p.exact.value, p.prior)
            yield Finding(
                check="prior_year", severity="medium" if verdict == "inconsistent" else "none", verdict=verdict,
                page=b.page, quote=sentence_around(b.text, m.start(), m.end()), stated=m.group("v"),
                expected=f"{fmt(p.exact.value, max(v.decimals, 0))}{_YUAN}",
                message=f"last year's {label} printed as {m.group('v')}{m.group('u')}; the change stated on p{p.block.page} "
                        f"implies {p.text} = {fmt(p.exact.value, max(p.exact.decimals, 0))}{_YUAN}")


@check("prior_year", family="structural", severity="medium",
       doc="prior-year values implied by stated changes agree with each other and with any prior-year figure printed")
def prior_year(ctx: Context) -> Iterable[Finding]:
    yield from _findings(ctx.report)
