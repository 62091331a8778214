from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from crossfoot.errors import InputError
from crossfoot.findings import CellRef
from crossfoot.review import store as store_mod
from crossfoot.review.store import MANUAL_CHECK, ReviewStore, ReviewStoreError, manual_finding

from .conftest import SHA, make_analysis, make_findings


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_decisions_survive_reopening(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    f1, f2, *_ = make_findings()
    with ReviewStore.open(db, reviewer="alice") as s:
        s.set_state(SHA, f1.key, "confirmed", note="与财务科核对一致")
        s.set_state(SHA, f2.key, "dismissed")
        s.add_note(SHA, f2.key, "合计行含上年结转")
    with ReviewStore.open(db, reviewer="bob") as s:
        r1, r2 = s.review(SHA, f1.key), s.review(SHA, f2.key)
    assert (r1.state, r1.reviewer) == ("confirmed", "alice")
    assert [n.text for n in r1.notes] == ["与财务科核对一致"]
    assert r2.state == "dismissed"
    assert [n.text for n in r2.notes] == ["合计行含上年结转"]
    assert r1.at is not None and r1.at.endswith("+00:00")


def test_undecided_finding_is_open(store: ReviewStore) -> None:
    r = store.review(SHA, "nope")
    assert (r.state, r.decided, r.notes) == ("open", False, ())


def test_reports_are_kept_apart(store: ReviewStore) -> None:
    store.set_state(SHA, "k", "confirmed")
    assert store.review("cd" * 32, "k").state == "open"


def test_reparse_keeps_decisions_and_shows_stale(store: ReviewStore) -> None:
    a, b, c, d = make_findings()
    for f in (a, b, c):
        store.set_state(SHA, f.key, "confirmed")
    store.add_note(SHA, c.key, "only a note")
    # Re-parse: same report, findings rebuilt (new objects), one gone, one new.
    again = make_analysis(tuple(f.__class__(**{**f.__dict__}) for f in (a, b, d)))
    rec = store.reconcile(SHA, again.findings)
    states = {f.key: r.state for f, r in rec.findings}
    assert states == {a.key: "confirmed", b.key: "confirmed", d.key: "open"}
    assert [r.key for r in rec.stale] == [c.key]
    assert rec.stale[0].state == "confirmed" and rec.stale[0].notes[0].text == "only a note"


def test_hidden_finding_is_not_stale(store: ReviewStore) -> None:
    consistent = make_findings()[2]
    store.set_state(SHA, consistent.key, "confirmed")
    assert store.reconcile(SHA, make_findings()).stale == ()


def test_latest_state_wins_and_disagreement_is_visible(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    key = make_findings()[0].key
    alice, bob = ReviewStore.open(db, reviewer="alice"), ReviewStore.open(db, reviewer="bob")
    alice.set_state(SHA, key, "confirmed", note="差0.18万元，确认")
    bob.set_state(SHA, key, "dismissed", note="印刷错误，正文已更正")
    alice.add_note(SHA, key, "需补充说明")
    r = alice.review(SHA, key)
    assert (r.state, r.reviewer) == ("dismissed", "bob")
    assert r.disputed and r.by_reviewer == {"alice": "confirmed", "bob": "dismissed"}
    assert [(n.reviewer, n.text) for n in r.notes] == [
        ("alice", "差0.18万元，确认"), ("bob", "印刷错误，正文已更正"), ("alice", "需补充说明")]
    alice.close()
    bob.close()


def test_undo_walks_back_own_actions_as_new_events(store: ReviewStore) -> None:
    key = "k1"
    e1 = store.set_state(SHA, key, "confirmed")
    e2 = store.set_state(SHA, key, "dismissed", note="false alarm")
    assert store.review(SHA, key).state == "dismissed"
    assert store.undo(SHA) == e2
    r = store.review(SHA, key)
    assert r.state == "confirmed" and r.notes == ()
    assert store.undo(SHA) == e1
    assert store.review(SHA, key).state == "open"
    assert store.undo(SHA) is None
    trail = store.events(SHA)
    assert [e.kind for e in trail] == ["state", "state", "undo", "undo"]
    assert [e.undoes for e in trail[2:]] == [e2.id, e1.id]


def test_undo_never_touches_another_reviewers_actions(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    with ReviewStore.open(db, reviewer="alice") as alice, ReviewStore.open(db, reviewer="bob") as bob:
        alice.set_state(SHA, "k", "confirmed")
        assert bob.undo(SHA) is None
        bob.add_note(SHA, "k", "seen")
        assert bob.undo(SHA) is not None
        r = alice.review(SHA, "k")
        assert (r.state, r.notes) == ("confirmed", ())


def test_undo_limited_to_one_finding(store: ReviewStore) -> None:
    store.set_state(SHA, "a", "confirmed")
    store.set_state(SHA, "b", "dismissed")
    undone = store.undo(SHA, key="a")
    assert undone is not None and undone.finding == "a"
    assert store.review(SHA, "b").state == "dismissed"


def test_audit_trail_is_append_only(store: ReviewStore) -> None:
    store.set_state(SHA, "k", "confirmed")
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE events SET state = 'dismissed'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM events")
    conn.close()
    assert store.review(SHA, "k").state == "confirmed"


def test_every_event_records_who_when_and_version(store: ReviewStore) -> None:
    store.set_state(SHA, "k", "confirmed")
    (e,) = store.events(SHA)
    assert e.reviewer == "alice" and e.version and e.at.startswith("20")


def test_manual_finding_round_trip_and_retract(store: ReviewStore) -> None:
    ref = CellRef("t1", 2, 1, "合计", "本年收入", "1,334.75", 3)
    m = manual_finding(page=3, quote="合计行与分项之和不符", stated="1,334.75", message="复核人手工复算",
                       severity="high", refs=(ref,))
    store.add_manual(SHA, m, note="现场发现")
    (got,) = store.manual_findings(SHA)
    assert got == m and got.check == MANUAL_CHECK and got.key == m.key
    store.set_state(SHA, m.key, "confirmed")
    rec = store.reconcile(SHA, make_findings())
    assert [(f.key, r.state) for f, r in rec.manual] == [(m.key, "confirmed")]
    assert rec.stale == ()
    store.retract_manual(SHA, m.key)
    rec = store.reconcile(SHA, make_findings())
    assert rec.manual == () and rec.stale == ()
    store.undo(SHA)  # the retraction
    assert store.manual_findings(SHA) == [m]


def test_manual_finding_is_forced_to_manual_check(store: ReviewStore) -> None:
    f = make_findings()[0]
    store.add_manual(SHA, f)
    (got,) = store.manual_findings(SHA)
    assert got.check == MANUAL_CHECK and got.quote == f.quote


def test_rejects_bad_input(store: ReviewStore) -> None:
    with pytest.raises(ValueError):
        store.set_state(SHA, "k", "maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        store.add_note(SHA, "k", "   ")
    assert store.events(SHA) == []


def test_default_location_modes(data_dir: Path) -> None:
    with ReviewStore.open() as s:
        s.set_state(SHA, "k", "confirmed")
        assert s.path == data_dir / "reviews.sqlite3"
        assert mode(data_dir) == 0o700
        assert mode(s.path) == 0o600
        # The WAL and shared-memory files exist while open and inherit the database's mode.
        for suffix in ("-wal", "-shm"):
            side = Path(str(s.path) + suffix)
            assert side.exists() and mode(side) == 0o600
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_shared_db_keeps_the_teams_mode(tmp_path: Path) -> None:
    db = tmp_path / "team.sqlite3"
    db.touch()
    os.chmod(db, 0o664)
    with ReviewStore.open(db, reviewer="alice") as s:
        s.set_state(SHA, "k", "confirmed")
    assert mode(db) == 0o664


def test_new_shared_db_in_group_writable_dir_is_group_writable(tmp_path: Path) -> None:
    shared = tmp_path / "team"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    with ReviewStore.open(shared / "reviews.sqlite3", reviewer="alice") as s:
        s.set_state(SHA, "k", "confirmed")
        assert mode(s.path) == 0o660
        assert mode(Path(str(s.path) + "-wal")) == 0o660
    private = tmp_path / "mine"
    private.mkdir(mode=0o755)
    with ReviewStore.open(private / "r.sqlite3") as s:
        assert mode(s.path) == 0o600


def test_unusable_databases_are_one_line_input_errors(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ReviewStoreError, match=r"junk\.sqlite3"):
        ReviewStore.open(junk)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(ReviewStoreError, match="not a crossfoot review database"):
        ReviewStore.open(other)
    with pytest.raises(InputError, match="does not exist"):
        ReviewStore.open(tmp_path / "no" / "such" / "dir.sqlite3")
    link = tmp_path / "link.sqlite3"
    link.symlink_to(tmp_path / "target.sqlite3")
    with pytest.raises(ReviewStoreError, match="symbolic link"):
        ReviewStore.open(link)


def test_reviewer_falls_back_when_login_name_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> str:
        raise OSError("no login name")

    monkeypatch.setattr("getpass.getuser", boom)
    assert store_mod.default_reviewer() == f"uid{os.getuid()}"
    with ReviewStore.open(reviewer="  ") as s:
        assert s.reviewer == f"uid{os.getuid()}"
    with ReviewStore.open(reviewer="张三") as s:
        assert s.reviewer == "张三"


def test_reopening_writes_nothing(tmp_path: Path) -> None:
    """A set-up database opens while another reviewer holds the write lock (and with read access only)."""
    db = tmp_path / "team.sqlite3"
    with ReviewStore.open(db, reviewer="alice") as s:
        s.set_state(SHA, "k", "confirmed")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with ReviewStore.open(db, reviewer="lead") as s:
            assert s.review(SHA, "k").state == "confirmed"
    finally:
        other.execute("ROLLBACK")
        other.close()
