"""One severity policy, applied to every problem when the pipeline produces it.

A severity says how much a reader is misled, judged by what is wrong rather than by which check saw it:

* high — a figure or total the report gets wrong: a wrong amount, a wrong total, a wrong growth rate on a
  main indicator (收入总计, 财政拨款支出, 三公经费…);
* medium — a wrong rate, share, growth on a lesser line, or a wrong label, count or year;
* low — cosmetic or convention (a unit, a duplicate indicator code, a template placeholder).

The words (kinds per check, main indicators) are data in `severity.json`. Checks keep choosing their own
severity for the cases only they can tell (a growth rate on a zero base is a convention matter: "low"),
so a check's "low" on anything but an amount stands. Consistent and rounding results keep theirs.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from importlib.resources import files
from typing import cast

from crossfoot.findings import Finding, Severity

_SEVERITIES: tuple[Severity, ...] = ("none", "low", "medium", "high")
_SENTENCE_END = re.compile(r"[。；;！？\n]")


@cache
def _policy() -> tuple[dict[str, str], dict[str, Severity], tuple[str, ...]]:
    raw = json.loads(files("crossfoot").joinpath("severity.json").read_text(encoding="utf-8"))
    sev = {k: cast(Severity, v) for k, v in raw["severity"].items() if v in _SEVERITIES}
    return dict(raw["kind_by_check"]), sev, tuple(raw["main_indicators"])


def kind_of(f: Finding) -> str:
    """What the finding says is wrong: amount, total, growth(_main), rate, label, cosmetic or keep."""
    kinds, _, main = _policy()
    kind = kinds.get(f.check)
    if kind is None:  # a check this policy does not know yet: judge by the stated figure
        s = f.stated.strip()
        kind = "rate" if s.endswith(("%", "％")) else "amount" if re.search(r"\d", s) else "label"
    if kind == "growth" and _names_main_indicator(f, main):
        kind = "growth_main"
    return kind


def assess(f: Finding) -> Finding:
    """The finding with the policy's severity (problems only; the checks' own low cases kept)."""
    if not f.is_problem:
        return f
    kind = kind_of(f)
    if kind == "keep":
        return f
    sev = _policy()[1].get(kind)
    if sev is None or sev == f.severity:
        return f
    if f.severity == "low" and kind not in ("amount", "total"):
        return f
    return replace(f, severity=sev)


def _names_main_indicator(f: Finding, main: tuple[str, ...]) -> bool:
    """The sentence part before the stated figure names a main indicator (its subject is there)."""
    q = f.quote
    at = q.find(f.stated) if f.stated else -1
    if at < 0:
        window = q
    else:
        ends = [m.end() for m in _SENTENCE_END.finditer(q, 0, at)]
        window = q[ends[-1] if ends else 0:at]
    return any(w in window for w in main)
