"""The review session: triage rules (decide, notes, undo, next open, manual findings, export) without a UI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from crossfoot.review.session import ReviewSession
from crossfoot.review.store import MANUAL_CHECK, ReviewStore

from .conftest import make_analysis, make_findings


def _session(tmp_path: Path) -> ReviewSession:
    return ReviewSession(make_analysis(), ReviewStore.open(tmp_path / "r.sqlite3", reviewer="ann"))


def test_decisions_counts_and_review_line(tmp_path: Path) -> None:
    s = _session(tmp_path)
    a, b = (f.key for f in make_findings()[:2])
    assert s.triage_counts() == {"open": 2, "confirmed": 0, "dismissed": 0}
    assert s.review_line(a) == "review: open"
    assert s.decide(a, "confirmed")
    assert s.decision(a) == "confirmed" and s.decisions() == {a: "confirmed"}
    assert s.triage_counts() == {"open": 1, "confirmed": 1, "dismissed": 0}
    assert s.add_note(b, "与财务科核对")
    assert "note (ann): 与财务科核对" in s.review_line(b)
    assert not s.add_note(b, "   ")  # an empty note is not an action
    assert s.review_line(a).startswith("review: confirmed by ann")


def test_undo_walks_back_the_last_action(tmp_path: Path) -> None:
    s = _session(tmp_path)
    a = make_findings()[0].key
    s.decide(a, "dismissed")
    assert s.undo() is not None
    assert s.decision(a) == "open"
    assert s.undo() is None  # nothing left to undo


def test_next_open_skips_decided_and_wraps(tmp_path: Path) -> None:
    s = _session(tmp_path)
    keys = [f.key for f in make_findings()]
    s.decide(keys[1], "confirmed")
    assert s.next_open(keys, keys[0]) == keys[2]
    assert s.next_open(keys, keys[3]) == keys[0]  # wraps to the top
    for k in keys:
        s.decide(k, "dismissed")
    assert s.next_open(keys, keys[0]) is None


def test_raise_finding_is_listed_counted_and_exported(tmp_path: Path) -> None:
    s = _session(tmp_path)
    f = s.raise_finding(page=2, quote="支出合计1,000.00万元", stated="1,000.00", message="口径不一致",
                        severity="high")
    assert f is not None and f.check == MANUAL_CHECK and f.severity == "high"
    assert s.manual == (f,)
    assert s.triage_counts() == {"open": 3, "confirmed": 0, "dismissed": 0}
    rows = list(csv.DictReader(io.StringIO(s.export("csv", "problems").decode("utf-8-sig"))))
    assert any(r["source"] == "manual" and r["stated"] == "1,000.00" for r in rows)
    # A second session on the same database sees it too: it lives in the store, not in the app.
    again = ReviewSession(make_analysis(), s.store)
    assert again.manual == (f,)


def test_export_scopes(tmp_path: Path) -> None:
    s = _session(tmp_path)
    fs = make_findings()

    def keys(data: bytes) -> set[str]:
        return {r["id"] for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}

    problems = keys(s.export("csv", "problems"))
    everything = keys(s.export("csv", "all"))
    view = keys(s.export("csv", "view", [fs[1].key]))
    assert len(problems) == 2 and len(everything) == 4 and len(view) == 1
    assert view < problems < everything


def test_without_a_store_nothing_is_written_and_nothing_breaks() -> None:
    s = ReviewSession(make_analysis(), None, store_error="disk full")
    key = make_findings()[0].key
    assert not s.has_store and s.store_error == "disk full"
    assert s.triage_counts() is None and s.review_line(key) == ""
    assert not s.decide(key, "confirmed") and not s.add_note(key, "x")
    assert s.undo() is None and s.raise_finding(page=1, quote="q") is None
    assert b"narrative-total" in s.export("md", "problems")
