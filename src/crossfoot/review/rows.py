"""The working paper's rows, shared by every export writer (export.py, workpaper.py, workbook.py): the column
list, a finding or stale decision with its review, and the counts. Its own module so that the writers and the
export front end that picks among them do not import each other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from crossfoot.findings import Finding
from crossfoot.model import Report
from crossfoot.pipeline import Analysis
from crossfoot.review.store import Review
from crossfoot.writers import FINDING_COLUMNS, finding_values

Source = Literal["crossfoot", "manual", "stale"]

# One column list for CSV and the workbook's findings sheet, so the two always agree; the finding part is
# the one `check --format csv` writes (crossfoot.writers).
REVIEW_COLUMNS: tuple[str, ...] = ("review_state", "reviewer", "reviewed_at", "disputed", "notes")
COLUMNS: tuple[str, ...] = (FINDING_COLUMNS[0], "source", *FINDING_COLUMNS[1:], *REVIEW_COLUMNS)



@dataclass(frozen=True)
class ExportRow:
    """One line of the working paper: a finding (crossfoot's or a reviewer's) or a stale decision."""

    source: Source
    key: str
    finding: Finding | None  # None for a stale decision
    review: Review


@dataclass(frozen=True)
class ExportData:
    analysis: Analysis
    rows: tuple[ExportRow, ...]
    include_all: bool
    exported_by: str
    exported_at: str
    review_db: str | None
    trail: tuple[dict[str, object], ...]  # the report's audit trail, oldest first

    @property
    def report(self) -> Report:
        return self.analysis.report

    def of(self, source: Source) -> list[ExportRow]:
        return [r for r in self.rows if r.source == source]


# -- shared pieces ---------------------------------------------------------------------------------


def notes_text(r: Review) -> str:
    return "\n".join(f"{n.reviewer} {short_time(n.at)}: {n.text}" for n in r.notes)


def short_time(at: str | None) -> str:
    """'2026-11-23 20:41 UTC' from a stored ISO time (which is always UTC)."""
    if not at:
        return ""
    try:
        return datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return at


def disputed_text(r: Review) -> str:
    if not r.disputed:
        return ""
    return "; ".join(f"{who}: {state}" for who, state in sorted(r.by_reviewer.items()))


def row_values(row: ExportRow) -> list[object]:
    """The row in COLUMNS order; page as int (or '') so spreadsheets sort it as a number."""
    f, r = row.finding, row.review
    values = finding_values(f) if f is not None else [row.key, *([""] * (len(FINDING_COLUMNS) - 1))]
    return [values[0], row.source, *values[1:], r.state, r.reviewer or "", short_time(r.at), disputed_text(r),
            notes_text(r)]


def summary(data: ExportData) -> dict[str, dict[str, int]]:
    """Counts over the exported findings (crossfoot's and manual): verdict, problem severity, review."""
    found = [r for r in data.rows if r.finding is not None]
    verdict = Counter(r.finding.verdict for r in found if r.finding is not None)
    severity = Counter(r.finding.severity for r in found if r.finding is not None and r.finding.is_problem)
    review = Counter(r.review.state for r in found)
    return {
        "verdict": {k: verdict.get(k, 0) for k in ("inconsistent", "rounding", "consistent", "unchecked")},
        "severity": {k: severity.get(k, 0) for k in ("high", "medium", "low", "none")},
        "review": {k: review.get(k, 0) for k in ("open", "confirmed", "dismissed")},
        "source": {k: len(data.of(k)) for k in ("crossfoot", "manual", "stale")},
    }
