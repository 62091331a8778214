"""The triage store: reviewers' decisions on findings, as an append-only audit trail in SQLite.

Every user action is one row in `events` and is never updated or deleted (triggers refuse it):
setting a state (with an optional note), adding a note, raising a manual finding, retracting one,
and undo, which is itself an event pointing at the event it cancels. The current state of a finding
is a fold over its events, so two reviewers writing at once never overwrite each other: the latest
state wins (their disagreement stays visible), and every note is kept and shown.

Events are keyed by the report's sha256 and Finding.key, so re-parsing a report, or a newer
crossfoot, keeps every decision whose finding still exists; the others are reported as stale.

Typical use (the app, the export)::

    store = ReviewStore.open(args.review_db, reviewer=args.reviewer)
    store.set_state(report.sha256, finding.key, "confirmed", note="agreed with 财务科")
    rec = store.reconcile(report.sha256, analysis.findings)   # findings + manual + stale, with reviews
    store.undo(report.sha256)                                 # this reviewer's last action

The store is safe to share between threads (one connection behind a lock) and between processes
and users (WAL, BEGIN IMMEDIATE, busy_timeout).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, cast, get_args

from crossfoot import __version__
from crossfoot.findings import CellRef, Finding, Severity
from crossfoot.review.location import (
    DB_FILENAME,
    ReviewStoreError,
    _create_file,
    _name,
    _one_line,
    default_db_path,
    default_reviewer,
)

__all__ = ["DB_FILENAME", "DECISIONS", "Event", "Note", "Reconciled", "Review", "ReviewStore",
           "ReviewStoreError", "default_db_path", "default_reviewer", "manual_finding"]

Decision = Literal["open", "confirmed", "dismissed"]
EventKind = Literal["state", "note", "manual", "retract", "undo"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)
MANUAL_CHECK = "manual"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000

# Kinds a reviewer's undo walks back through; an undo itself is never undone by a later undo.
_UNDOABLE: tuple[EventKind, ...] = ("state", "note", "manual", "retract")

_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS events (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        report   TEXT NOT NULL,
        finding  TEXT NOT NULL,
        kind     TEXT NOT NULL CHECK (kind IN ('state', 'note', 'manual', 'retract', 'undo')),
        state    TEXT CHECK (state IN ('open', 'confirmed', 'dismissed')),
        note     TEXT,
        payload  TEXT,
        undoes   INTEGER REFERENCES events(id),
        reviewer TEXT NOT NULL,
        at       TEXT NOT NULL,
        version  TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS events_by_report ON events (report, finding)",
    "CREATE INDEX IF NOT EXISTS events_by_undoes ON events (undoes)",
    """CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'the review audit trail is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the review audit trail is append-only'); END""",
)


@dataclass(frozen=True)
class Event:
    """One row of the audit trail."""

    id: int
    report: str  # report sha256
    finding: str  # Finding.key
    kind: EventKind
    state: Decision | None
    note: str | None
    reviewer: str
    at: str  # ISO 8601, UTC
    undoes: int | None = None
    payload: str | None = None  # manual findings: the Finding as JSON
    version: str = ""  # crossfoot version that wrote it


@dataclass(frozen=True)
class Note:
    text: str
    reviewer: str
    at: str
    event_id: int


@dataclass(frozen=True)
class Review:
    """The current review of one finding, folded from its events (undone events left out)."""

    key: str
    state: Decision = "open"
    reviewer: str | None = None  # who set the current state (None: never decided)
    at: str | None = None  # when
    notes: tuple[Note, ...] = ()
    by_reviewer: dict[str, Decision] = field(default_factory=dict)  # each reviewer's latest state
    last_event_at: str | None = None

    @property
    def decided(self) -> bool:
        return self.reviewer is not None

    @property
    def disputed(self) -> bool:
        """Reviewers' latest states differ: the latest wins, but a lead should look."""
        return len(set(self.by_reviewer.values())) > 1

    @property
    def has_activity(self) -> bool:
        return self.decided or bool(self.notes)


@dataclass(frozen=True)
class Reconciled:
    """Current findings joined with the store: what the app lists and the export writes."""

    findings: tuple[tuple[Finding, Review], ...]  # crossfoot's findings, in the given order
    manual: tuple[tuple[Finding, Review], ...]  # reviewers' own findings, oldest first
    stale: tuple[Review, ...]  # decisions or notes on keys no current finding has

    def review(self, key: str) -> Review:
        for f, r in (*self.findings, *self.manual):
            if f.key == key:
                return r
        return Review(key)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def manual_finding(*, page: int | None, quote: str, stated: str = "", expected: str = "",
                   message: str = "", severity: Severity = "medium",
                   refs: Sequence[CellRef] = ()) -> Finding:
    """A reviewer's own finding on a figure (stated), a cell (refs) or a sentence (quote)."""
    return Finding(check=MANUAL_CHECK, severity=severity, verdict="inconsistent", page=page,
                   quote=quote[:120], stated=stated, expected=expected, message=message,
                   refs=tuple(refs), confidence="high")


def finding_to_payload(f: Finding) -> str:
    return json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True)


def finding_from_payload(payload: str) -> Finding:
    d = json.loads(payload)
    refs = tuple(CellRef(table=str(r["table"]), row=int(r["row"]), col=int(r["col"]),
                         label=str(r["label"]), column=str(r["column"]), value=str(r["value"]),
                         page=int(r["page"])) for r in d.get("refs", []))
    page = d.get("page")
    return Finding(check=str(d["check"]), severity=d["severity"], verdict=d["verdict"],
                   page=None if page is None else int(page), quote=str(d["quote"]),
                   stated=str(d["stated"]), expected=str(d["expected"]), message=str(d["message"]),
                   refs=refs, confidence=d.get("confidence", "high"))


class ReviewStore:
    """A review database. Open with ReviewStore.open(); close() when done (or use `with`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, reviewer: str) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path
        self.reviewer = reviewer
        self.read_only = False

    # -- opening -----------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path | None = None, reviewer: str | None = None, *,
             read_only: bool = False) -> ReviewStore:
        """Open (creating if needed) a review database.

        path None: the personal default (default_db_path(); file 0600 in a 0700 directory).
        An explicit path is a shared team database: an existing file keeps its mode; a new one is
        created 0660 when its directory is group-writable (the team's intent), else 0600.
        reviewer None: the login name.
        read_only: open an existing database without ever writing to it (what export needs, so a
        reviewer with read access only can export); every write method then raises ReviewStoreError.
        Raises ReviewStoreError (an InputError, one line) when it cannot be opened.
        """
        explicit = path is not None
        db = Path(path).expanduser() if path is not None else default_db_path(create_dir=not read_only)
        who = (reviewer or "").strip() or default_reviewer()
        try:
            if read_only:
                if not db.is_file():
                    raise OSError(f"{db} is not a file")
                # mode=ro never creates, never writes, never switches the journal mode.
                conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False)
            else:
                _create_file(db, explicit)
                conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                       check_same_thread=False)
        except (OSError, sqlite3.Error) as e:
            raise ReviewStoreError(f"review database {_name(db)}: cannot be opened ({_one_line(e)})") from None
        store = cls(conn, db, who)
        store.read_only = read_only
        try:
            store._setup()
        except sqlite3.OperationalError as e:
            conn.close()
            # A WAL database whose -shm file is gone and cannot be created (no write access to the
            # directory) cannot be opened read-only; with no -wal file there is nothing beyond the main
            # file to read, and immutable=1 reads it without any side file.
            if not (read_only and "unable to open" in str(e) and not Path(f"{db}-wal").exists()):
                raise ReviewStoreError(f"review database {_name(db)}: not usable ({_one_line(e)})") from None
            store = cls._immutable(db, who)
        except sqlite3.Error as e:
            conn.close()
            raise ReviewStoreError(f"review database {_name(db)}: not usable ({_one_line(e)})") from None
        return store

    @classmethod
    def _immutable(cls, db: Path, who: str) -> ReviewStore:
        try:
            conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                   isolation_level=None, check_same_thread=False)
            store = cls(conn, db, who)
            store.read_only = True
            store._setup()
        except sqlite3.Error as e:
            raise ReviewStoreError(f"review database {_name(db)}: cannot be read ({_one_line(e)})") from None
        return store

    def _setup(self) -> None:
        c = self._conn
        c.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = self._schema_version()
        # Is it crossfoot's? Asked before anything is written (WAL switch included): someone else's
        # database given by mistake is left exactly as it was.
        tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version == 0 and tables - {"events", "sqlite_sequence"}:
            raise sqlite3.DatabaseError("not a crossfoot review database")
        if self.read_only:
            if "events" not in tables:
                raise sqlite3.DatabaseError("no review has been recorded in it yet (not set up)")
            return
        # A decision the reviewer saw saved must survive a crash of the process or the machine.
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        # A set-up database is opened without writing, so a reviewer with read access can export.
        if str(c.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            self._enable_wal()
        if version == SCHEMA_VERSION:
            return
        with self._write():
            version = self._schema_version()
            if version == 0:
                tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if tables - {"events", "sqlite_sequence"}:
                    raise sqlite3.DatabaseError("not a crossfoot review database")
            # One statement at a time: executescript() would commit the open transaction first.
            for stmt in _SCHEMA:
                c.execute(stmt)
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _schema_version(self) -> int:
        version = int(self._conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer crossfoot (schema {version}); upgrade crossfoot")
        return version

    def _enable_wal(self) -> None:
        # journal_mode=WAL needs a moment's exclusive lock; another process opening at the same
        # instant can make it fail once despite busy_timeout.
        mode = ""
        for attempt in range(50):
            try:
                mode = str(self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == 49:
                    raise
                time.sleep(0.05)
        if mode.lower() != "wal":
            raise sqlite3.DatabaseError(f"cannot switch to WAL mode (got {mode})")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ReviewStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; IMMEDIATE so concurrent writers queue on busy_timeout, not fail.

        A failed write (disk full, read-only file, damaged database) is one ReviewStoreError saying the
        action was not saved; the transaction is rolled back so nothing half-written remains.
        """
        if self.read_only:
            raise ReviewStoreError(f"review database {_name(self.path)}: opened read-only; nothing was saved")
        with self._lock:
            c = self._conn
            try:
                c.execute("BEGIN IMMEDIATE")
                try:
                    yield c
                except BaseException:
                    with contextlib.suppress(sqlite3.Error):
                        c.execute("ROLLBACK")
                    raise
                c.execute("COMMIT")
            except sqlite3.Error as e:
                with contextlib.suppress(sqlite3.Error):
                    if c.in_transaction:
                        c.execute("ROLLBACK")
                raise ReviewStoreError(f"review database {_name(self.path)}: not saved ({_one_line(e)})") from None

    def _insert(self, c: sqlite3.Connection, report: str, finding: str, kind: EventKind, *,
                state: Decision | None = None, note: str | None = None, payload: str | None = None,
                undoes: int | None = None) -> Event:
        at = _now()
        cur = c.execute(
            "INSERT INTO events (report, finding, kind, state, note, payload, undoes, reviewer, at, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (report, finding, kind, state, note, payload, undoes, self.reviewer, at, __version__))
        assert cur.lastrowid is not None
        return Event(cur.lastrowid, report, finding, kind, state, note, self.reviewer, at, undoes, payload,
                     __version__)

    # -- writing -----------------------------------------------------------------------------------

    def set_state(self, report: str, key: str, state: Decision, note: str | None = None) -> Event:
        """Mark a finding confirmed, dismissed (a false alarm) or open again; the note goes with it."""
        if state not in DECISIONS:
            raise ValueError(f"unknown review state {state!r}")
        with self._write() as c:
            return self._insert(c, report, key, "state", state=state, note=_clean(note))

    def add_note(self, report: str, key: str, text: str) -> Event:
        """Add a note; notes accumulate (two reviewers' notes are both kept)."""
        text = _clean(text) or ""
        if not text:
            raise ValueError("empty note")
        with self._write() as c:
            return self._insert(c, report, key, "note", note=text)

    def add_manual(self, report: str, finding: Finding, note: str | None = None) -> Event:
        """Record a reviewer's own finding (check "manual"; build it with manual_finding())."""
        if finding.check != MANUAL_CHECK:
            finding = Finding(MANUAL_CHECK, finding.severity, finding.verdict, finding.page, finding.quote,
                              finding.stated, finding.expected, finding.message, finding.refs,
                              finding.confidence)
        with self._write() as c:
            return self._insert(c, report, finding.key, "manual", note=_clean(note),
                                payload=finding_to_payload(finding))

    def retract_manual(self, report: str, key: str, note: str | None = None) -> Event:
        """Withdraw a manual finding (anyone's); it stays in the audit trail."""
        with self._write() as c:
            return self._insert(c, report, key, "retract", note=_clean(note))

    def undo(self, report: str, key: str | None = None) -> Event | None:
        """Cancel this reviewer's latest action on the report (or on one finding) not yet undone.

        Repeated calls walk further back. Returns the event undone, or None if nothing is left.
        The undo is itself an event: the trail records what was undone, by whom, when.
        """
        kinds = ",".join(f"'{k}'" for k in _UNDOABLE)
        sql = (f"SELECT * FROM events e WHERE e.report = ? AND e.reviewer = ? AND e.kind IN ({kinds})"
               " AND NOT EXISTS (SELECT 1 FROM events u WHERE u.kind = 'undo' AND u.undoes = e.id)")
        params: list[object] = [report, self.reviewer]
        if key is not None:
            sql += " AND e.finding = ?"
            params.append(key)
        sql += " ORDER BY e.id DESC LIMIT 1"
        with self._write() as c:
            row = c.execute(sql, params).fetchone()
            if row is None:
                return None
            target = _event(row)
            self._insert(c, report, target.finding, "undo", undoes=target.id)
            return target

    # -- reading -----------------------------------------------------------------------------------

    def events(self, report: str, key: str | None = None) -> list[Event]:
        """The audit trail of a report (or one finding), oldest first, undo events included."""
        sql = "SELECT * FROM events WHERE report = ?"
        params: list[object] = [report]
        if key is not None:
            sql += " AND finding = ?"
            params.append(key)
        try:
            with self._lock:
                rows = self._conn.execute(sql + " ORDER BY id", params).fetchall()
        except sqlite3.Error as e:  # damaged pages, a file truncated or replaced under us
            raise ReviewStoreError(f"review database {_name(self.path)}: cannot be read ({_one_line(e)})") from None
        return [_event(r) for r in rows]

    def reviews(self, report: str) -> dict[str, Review]:
        """Finding key -> current review, for every key with at least one live event."""
        return _fold(self.events(report))[0]

    def review(self, report: str, key: str) -> Review:
        return _fold(self.events(report, key))[0].get(key, Review(key))

    def manual_findings(self, report: str) -> list[Finding]:
        """Live manual findings (not undone, not retracted), oldest first."""
        return _fold(self.events(report))[1]

    def reconcile(self, report: str, findings: Iterable[Finding]) -> Reconciled:
        """Join current findings with their reviews; list manual findings and stale decisions.

        Pass every finding of the analysis (not only the displayed ones): a decision on a finding
        that is merely hidden (e.g. consistent, without --all) is not stale.
        """
        reviews, manual, retracted = _fold(self.events(report))
        fs = list(findings)
        rows = tuple((f, reviews.get(f.key, Review(f.key))) for f in fs)
        live = {f.key for f in fs}
        man = tuple((m, reviews.get(m.key, Review(m.key))) for m in manual if m.key not in live)
        # Decisions on a withdrawn manual finding went with it; they are not stale.
        live |= {m.key for m, _ in man} | retracted
        stale = tuple(r for k, r in reviews.items() if k not in live and r.has_activity)
        return Reconciled(rows, man, stale)


def _clean(s: str | None) -> str | None:
    if s is None:
        return None
    s = s.strip()
    return s or None


def _event(row: Sequence[object]) -> Event:
    (id_, report, finding, kind, state, note, payload, undoes, reviewer, at, version) = row
    return Event(id=cast(int, id_), report=cast(str, report), finding=cast(str, finding),
                 kind=cast(EventKind, kind), state=cast("Decision | None", state),
                 note=cast("str | None", note), reviewer=cast(str, reviewer), at=cast(str, at),
                 undoes=cast("int | None", undoes), payload=cast("str | None", payload),
                 version=cast(str, version))


def _fold(events: list[Event]) -> tuple[dict[str, Review], list[Finding], set[str]]:
    """(reviews by key, live manual findings, keys of retracted manual findings)."""
    undone = {e.undoes for e in events if e.kind == "undo"}
    live = [e for e in events if e.kind != "undo" and e.id not in undone]
    state: dict[str, Event] = {}
    per_reviewer: dict[str, dict[str, Decision]] = {}
    notes: dict[str, list[Note]] = {}
    last: dict[str, str] = {}
    manual: dict[str, Finding] = {}
    retracted: set[str] = set()
    for e in live:  # oldest first: later events win
        last[e.finding] = e.at
        if e.kind == "state" and e.state is not None:
            state[e.finding] = e
            per_reviewer.setdefault(e.finding, {})[e.reviewer] = e.state
        elif e.kind == "manual" and e.payload:
            manual[e.finding] = finding_from_payload(e.payload)
        elif e.kind == "retract" and e.finding in manual:
            del manual[e.finding]
            retracted.add(e.finding)
        if e.note:
            notes.setdefault(e.finding, []).append(Note(e.note, e.reviewer, e.at, e.id))
    out: dict[str, Review] = {}
    for key in last:
        s = state.get(key)
        out[key] = Review(key=key, state=s.state if s and s.state else "open",
                          reviewer=s.reviewer if s else None, at=s.at if s else None,
                          notes=tuple(notes.get(key, ())), by_reviewer=per_reviewer.get(key, {}),
                          last_event_at=last[key])
    return out, list(manual.values()), retracted - manual.keys()
