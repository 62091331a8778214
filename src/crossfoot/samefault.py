"""One disagreement, one finding.

Two checks can reach the same disagreement from two sides: a per-科目 paragraph whose heading amount and
budget sentence differ is a `self_conflict`, and the sentence's amount against the table row is a
`narrative_vs_table` problem about the very same pair of figures. Listing both makes an auditor read the
same question twice. Problems on one page, quoting the same passage, about the same figure and resting on
the same table row value, are one fault: the most severe is kept and says which other checks reached it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from crossfoot.findings import SEVERITY_ORDER, Finding

_NOISE = re.compile(r"[\s，。、；：,.;:…“”\"'（）()]+")
_NUMBERING = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]+[)）]|[\d一二三四五六七八九十]+[、.．])")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_HEAD = 16  # characters of a quote's start that must agree: the passage, not a word they both open with


def _head(quote: str) -> str:
    return _NOISE.sub("", _NUMBERING.sub("", quote))[:_HEAD]


def _figures(f: Finding) -> set[float]:
    """The numbers a finding states and expects: the same fault is about the same figure."""
    return {float(m.replace(",", "")) for m in _NUMBER.findall(f"{f.stated} {f.expected}")}


def _cells(f: Finding) -> set[tuple[str, str]]:
    return {(r.label, r.value) for r in f.refs if r.value}


def same_fault(a: Finding, b: Finding) -> bool:
    """Both problems, other checks, one page, one passage, a figure and a table row value in common."""
    if not (a.is_problem and b.is_problem) or a.check == b.check or a.page != b.page or a.page is None:
        return False
    ha, hb = _head(a.quote), _head(b.quote)
    if len(ha) < _HEAD or ha != hb:
        return False
    return bool(_cells(a) & _cells(b)) and bool(_figures(a) & _figures(b))


def merge_same_faults(findings: Sequence[Finding]) -> list[Finding]:
    """The findings with each fault listed once (order kept; the most severe of a group stands for it)."""
    out: list[Finding] = []
    also: dict[int, list[str]] = {}
    for f in findings:
        k = next((i for i, g in enumerate(out) if same_fault(f, g)), None)
        if k is None:
            out.append(f)
            continue
        if SEVERITY_ORDER[f.severity] > SEVERITY_ORDER[out[k].severity]:
            also.setdefault(k, []).append(out[k].check)
            out[k] = f
        else:
            also.setdefault(k, []).append(f.check)
    for k, checks in also.items():
        names = ", ".join(dict.fromkeys(checks))
        out[k] = replace(out[k], message=f"{out[k].message} (the same disagreement is also found by {names})")
    return out
