"""One disagreement, one finding.

Two checks can reach the same disagreement from two sides: a per-科目 paragraph whose heading amount and
budget sentence differ is a `self_conflict`, and the sentence's amount against the table row is a
`narrative_vs_table` problem about the very same pair of figures. Listing both makes an auditor read the
same question twice. Problems on one page, quoting the same passage, about the same figure and resting on
the same table row value, are one fault: the most severe is kept and says which other checks reached it.

One misprinted cell can also break two sums at once: a 项 row that prints its 款's total in a column fails
both its row (合计 = 基本 + 项目) and its column (款 = sum of its 项) by the very same amount. When two failing
sums of one table share exactly one cell, and changing that one cell by the same amount would make both hold,
the cell is the fault: it is listed once, on that cell, with both sums as its evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from crossfoot.findings import SEVERITY_ORDER, CellRef, Finding
from crossfoot.numbers import parse_number

_NOISE = re.compile(r"[\s，。、；：,.;:…“”\"'（）()]+")
_NUMBERING = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]+[)）]|[\d一二三四五六七八九十]+[、.．])")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_HEAD = 16  # characters of a quote's start that must agree: the passage, not a word they both open with


def _head(quote: str) -> str:
    return _NOISE.sub("", _NUMBERING.sub("", quote))[:_HEAD]


_FIGURE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*([%％]?)")


def _figures(f: Finding) -> set[tuple[float, bool]]:
    """The numbers a finding states and expects, each with whether it is a percentage: the same fault is
    about the same figure. Zero is left out: 0.00% and 0.00元 in one passage are not one figure."""
    out = {(float(m.group(1).replace(",", "")), bool(m.group(2))) for m in _FIGURE.finditer(f"{f.stated} {f.expected}")}
    return {x for x in out if x[0] != 0}


def _cells(f: Finding) -> set[tuple[str, str]]:
    return {(r.label, r.value) for r in f.refs if r.value}


def same_fault(a: Finding, b: Finding) -> bool:
    """Both problems, other checks, one page, one passage, a figure and (when both name cells) a cell in common."""
    if not (a.is_problem and b.is_problem) or a.check == b.check or a.page != b.page or a.page is None:
        return False
    ha, hb = _head(a.quote), _head(b.quote)
    if len(ha) < _HEAD or ha != hb:
        return False
    # A problem read from the text alone (a paragraph against itself) names no cell: the passage and the
    # figure then decide; two problems that both name cells must also share one.
    cells_agree = not a.refs or not b.refs or bool(_cells(a) & _cells(b))
    return cells_agree and bool(_figures(a) & _figures(b))


_SUM_CHECK = "table_sum"  # its refs: the stated total first, then the parts it should equal


def _amount(text: str) -> Decimal | None:
    n = parse_number(text.strip()) if text else None
    return n.value if n is not None else None


def _repair(f: Finding, cell: CellRef) -> Decimal | None:
    """How much the cell would have to change for the failing sum to hold: by (stated − computed) when it
    is one of the parts, by the opposite when it is the stated total."""
    stated, computed = _amount(f.stated), _amount(f.expected)
    if stated is None or computed is None or stated == computed:
        return None
    gap = stated - computed
    return -gap if f.refs and f.refs[0] == cell else gap


def one_cell(a: Finding, b: Finding) -> CellRef | None:
    """The one cell two failing sums of a table share, when changing it by one amount makes both hold."""
    if not (a.is_problem and b.is_problem) or a.check != _SUM_CHECK or b.check != _SUM_CHECK:
        return None
    shared = set(a.refs) & set(b.refs)
    if len(shared) != 1:
        return None
    cell = next(iter(shared))
    da, db = _repair(a, cell), _repair(b, cell)
    if da is None or db is None or abs(da - db) > Decimal("0.005"):
        return None
    return cell


def _merge_one_cell(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    for f in findings:
        k = next(((i, c) for i, g in enumerate(out) if (c := one_cell(g, f)) is not None), None)
        if k is None:
            out.append(f)
            continue
        i, cell = k
        g = out[i]
        change = _repair(g, cell) or Decimal(0)
        value = _amount(cell.value) or Decimal(0)
        # The sum printed on the cell's own row leads: its quote shows the cell an auditor must look at.
        lead, other = (f, g) if (f.refs[0].row == cell.row) > (g.refs[0].row == cell.row) else (g, f)
        if SEVERITY_ORDER[other.severity] > SEVERITY_ORDER[lead.severity]:
            lead = replace(lead, severity=other.severity)
        at = other.refs[0]
        note = (f"; one cell explains this and the failing sum at {at.label} / {at.column} alike: {cell.label} / "
                f"{cell.column} prints {cell.value} — were it {value + change:,.2f} (changed by {change:+,.2f}) "
                "both would hold")
        refs = (cell, *dict.fromkeys(r for r in (*lead.refs, *other.refs) if r != cell))
        out[i] = replace(lead, message=lead.message + note, refs=refs)
    return out


def merge_same_faults(findings: Sequence[Finding]) -> list[Finding]:
    """The findings with each fault listed once (order kept; the most severe of a group stands for it)."""
    findings = _merge_one_cell(list(findings))
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
