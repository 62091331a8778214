"""The words of the marked-up report: the note on each finding, the bookmark titles, the summary.

Chinese text for a Chinese reader; the vocabulary (verdicts, states, check names, labels) is data in
data/annotate_zh.json, the sentences are assembled here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources

from crossfoot import __version__
from crossfoot.findings import Finding
from crossfoot.model import Report
from crossfoot.review.rows import short_time
from crossfoot.review.store import Review

SUMMARY_LINES = 40  # beyond this the summary note points to the bookmarks


@dataclass(frozen=True)
class Mark:
    finding: Finding
    review: Review
    manual: bool = False


@cache
def words() -> dict[str, dict[str, str]]:
    raw = resources.files("crossfoot.review").joinpath("data/annotate_zh.json").read_text("utf-8")
    data = json.loads(raw)
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def w(group: str, key: str, **kw: object) -> str:
    text = words()[group].get(key, key)
    return text.format(**kw) if kw else text


def note_text(m: Mark, report: Report | None) -> str:
    """The note a viewer shows for the finding: check, quote, stated and recomputed values, arithmetic,
    cells, review state and notes."""
    f, r = m.finding, m.review
    head = f"【{w('verdict', f.verdict)}·{w('severity', f.severity)}】{w('check', f.check)}（{f.check}）"
    if m.manual:
        head = f"{w('field', 'manual')} {head}"
    where = w("field", "page", page=f.page) if f.page else w("field", "no_page")
    lines = [head, f"{where} {w('field', 'quote')}：“{f.quote}”"]
    if f.stated:
        lines.append(f"{w('field', 'stated')}：{f.stated}")
    if f.expected:
        lines.append(f"{w('field', 'expected')}：{f.expected}")
    if f.message:
        lines.append(f"{w('field', 'arithmetic')}：{f.message}")
    if f.refs:
        lines.append(f"{w('field', 'cells')}：")
        lines += [f"  · {cell_text(ref.table, ref.label, ref.column, ref.value, ref.page, report)}" for ref in f.refs]
    if f.confidence == "low":
        lines.append(w("field", "low_confidence"))
    state = w("state", r.state)
    if r.reviewer:
        state += f" — {r.reviewer}，{short_time(r.at)}"
    lines.append(f"{w('field', 'review')}：{state}")
    if r.notes:
        lines.append(f"{w('field', 'notes')}：")
        lines += [f"  · {n.reviewer} {short_time(n.at)}：{n.text}" for n in r.notes]
    return "\n".join(lines)


def cell_text(table: str, label: str, column: str, value: str, page: int, report: Report | None) -> str:
    t = report.table(table) if report is not None else None
    name = (t.code or t.title or table) if t is not None else table
    return w("field", "cell_of", table=name, label=label, column=column, value=value, page=page)



def outline_title(m: Mark) -> str:
    f = m.finding
    where = w("field", "page", page=f.page) if f.page else w("field", "no_page")
    mark = f"{w('field', 'manual')}·" if m.manual else ""
    values = f"{f.stated} → {f.expected}" if f.stated or f.expected else ""
    state = "" if m.review.state == "open" else f"［{w('state', m.review.state)}］"
    title = f"{where} · {mark}{w('check', f.check)} · {w('verdict', f.verdict)}{state}：{values}"
    return title if len(title) <= 90 else title[:89] + "…"


def summary_text(marks: Sequence[Mark], exported_by: str, stale: int) -> str:
    problems = [m for m in marks if m.finding.is_problem or m.manual]
    sev = Counter(m.finding.severity for m in problems)
    state = Counter(m.review.state for m in marks)
    head = w("field", "summary_head", n=len(marks), problems=len(problems), high=sev["high"],
              medium=sev["medium"], low=sev["low"], confirmed=state["confirmed"], dismissed=state["dismissed"],
              open=state["open"], manual=sum(1 for m in marks if m.manual))
    lines = [head]
    if stale:
        lines.append(w("field", "summary_stale", stale=stale))
    lines += [f"· {outline_title(m)}" for m in marks[:SUMMARY_LINES]]
    if len(marks) > SUMMARY_LINES:
        lines.append(w("field", "summary_more", more=len(marks) - SUMMARY_LINES))
    at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(w("field", "exported", who=exported_by or "-", at=at, version=__version__))
    return "\n".join(lines)
