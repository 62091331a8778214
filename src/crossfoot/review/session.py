"""One review session: an analysis with its triage — decisions, notes, undo and reviewers' own findings.

The app's screens and commands receive a session instead of the app, so the triage rules live here,
free of Textual, and are unit-tested without driving a UI. The store is optional: without one the
session still lists and exports findings, and every triage call answers False with `unavailable` set.

Typical use::

    session = ReviewSession(analysis, ReviewStore.open(db))
    session.decide(finding.key, "confirmed")
    session.raise_finding(page=3, quote=sentence, stated="445.69万元", message="不符")
    data = session.export("xlsx", scope="problems")
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from typing import Literal, get_args

from crossfoot.findings import CellRef, Finding, Severity
from crossfoot.pipeline import Analysis
from crossfoot.review.store import Decision, Event, ReviewStore, manual_finding

log = logging.getLogger(__name__)

ExportScope = Literal["view", "problems", "all"]
EXPORT_SCOPES: tuple[ExportScope, ...] = get_args(ExportScope)
NO_STORE = "Review triage is unavailable (no review database)."


class ReviewSession:
    """The analysis plus the reviewers' work on it; the only writer of the triage store in the app."""

    def __init__(self, analysis: Analysis, store: ReviewStore | None = None, *,
                 store_error: str | None = None) -> None:
        self.analysis = analysis
        self.store = store
        self.store_error = store_error  # why there is no store, when opening it failed
        self._decisions: dict[str, Decision] = {}
        self._manual: list[Finding] = []
        self.refresh()

    @property
    def sha(self) -> str:
        return self.analysis.report.sha256

    @property
    def has_store(self) -> bool:
        return self.store is not None

    def refresh(self) -> None:
        """Re-read decisions and manual findings (another reviewer may have written meanwhile)."""
        if self.store is None:
            self._decisions, self._manual = {}, []
            return
        self._decisions = {k: r.state for k, r in self.store.reviews(self.sha).items()}
        live = {f.key for f in self.analysis.findings}
        self._manual = [m for m in self.store.manual_findings(self.sha) if m.key not in live]

    # --- reading --------------------------------------------------------------------------

    def decisions(self) -> dict[str, Decision]:
        return self._decisions

    def decision(self, key: str) -> Decision:
        return self._decisions.get(key, "open")

    @property
    def manual(self) -> tuple[Finding, ...]:
        """Reviewers' own findings, oldest first."""
        return tuple(self._manual)

    def review_line(self, key: str) -> str:
        """The detail pane's review line: state, who, disagreement and the latest notes."""
        if self.store is None:
            return ""
        r = self.store.review(self.sha, key)
        if not r.has_activity:
            return "review: open"
        line = f"review: {r.state}" + (f" by {r.reviewer}" if r.reviewer else "")
        if r.disputed:
            line += " (reviewers disagree)"
        for n in r.notes[-3:]:
            line += f"\n  note ({n.reviewer}): {n.text}"
        return line

    def triage_counts(self) -> dict[str, int] | None:
        """Problems by decision (open / confirmed / dismissed); None without a store."""
        if self.store is None:
            return None
        counts = {"open": 0, "confirmed": 0, "dismissed": 0}
        for f in (*self.analysis.findings, *self._manual):
            if f.is_problem:
                counts[self.decision(f.key)] += 1
        return counts

    def next_open(self, order: Sequence[str], after: str) -> str | None:
        """The first undecided key after `after` in display order, wrapping; None when all are decided."""
        if not order:
            return None
        start = order.index(after) + 1 if after in order else 0
        for k in (*order[start:], *order[:start]):
            if k != after and self.decision(k) == "open":
                return k
        return None

    # --- writing (each False without a store) ---------------------------------------------

    def decide(self, key: str, decision: Decision, note: str | None = None) -> bool:
        if self.store is None:
            return False
        self.store.set_state(self.sha, key, decision, note=note)
        self.refresh()
        return True

    def add_note(self, key: str, text: str) -> bool:
        if self.store is None or not text.strip():
            return False
        self.store.add_note(self.sha, key, text)
        self.refresh()
        return True

    def undo(self) -> Event | None:
        """Cancel this reviewer's last action; None when there is nothing to undo (or no store)."""
        if self.store is None:
            return None
        ev = self.store.undo(self.sha)
        self.refresh()
        return ev

    def raise_finding(self, *, page: int | None, quote: str, stated: str = "", expected: str = "",
                      message: str = "", severity: Severity = "medium",
                      refs: Sequence[CellRef] = ()) -> Finding | None:
        """A reviewer's own finding on a figure, cell or sentence; exported like crossfoot's."""
        if self.store is None:
            return None
        f = manual_finding(page=page, quote=quote, stated=stated, expected=expected, message=message,
                           severity=severity, refs=refs)
        self.store.add_manual(self.sha, f, note=message or None)
        self.refresh()
        return f

    # --- export ---------------------------------------------------------------------------

    def export(self, fmt: str, scope: ExportScope = "problems", view: Collection[str] = ()) -> bytes:
        """The working paper: the findings in `view` (keys shown), the problems, or everything."""
        from crossfoot.review.export import export_bytes

        if scope not in EXPORT_SCOPES:
            raise ValueError(f"unknown export scope {scope!r}")
        only = frozenset(view) if scope == "view" else None
        return export_bytes(self.analysis, self.store, fmt, include_all=scope != "problems", only=only)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
