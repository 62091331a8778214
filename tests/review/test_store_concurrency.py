"""Several processes on one database: nothing lost, and a killed writer loses only what it never committed."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier
from pathlib import Path

from crossfoot.review.store import ReviewStore

from .conftest import SHA

N = 500
SHARED_KEY = "shared-finding"


def _writer(db: str, name: str, barrier: Barrier) -> None:
    s = ReviewStore.open(db, reviewer=name)
    barrier.wait()
    for i in range(N):
        s.set_state(SHA, f"{name}-{i}", "confirmed" if i % 2 else "dismissed")
        if i % 50 == 0:
            s.add_note(SHA, SHARED_KEY, f"{name} note {i}")
    s.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "team.sqlite3")
    ctx = mp.get_context("spawn")  # a fresh interpreter each: no inherited SQLite state
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_writer, args=(db, name, barrier)) for name in ("alice", "bob")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    with ReviewStore.open(db, reviewer="lead") as s:
        reviews = s.reviews(SHA)
        for name in ("alice", "bob"):
            for i in range(N):
                r = reviews[f"{name}-{i}"]
                assert (r.reviewer, r.state) == (name, "confirmed" if i % 2 else "dismissed")
        notes = reviews[SHARED_KEY].notes
        assert sorted(n.text for n in notes) == sorted(
            f"{name} note {i}" for name in ("alice", "bob") for i in range(0, N, 50))
        assert len([e for e in s.events(SHA) if e.kind == "state"]) == 2 * N


def _endless_writer(db: str, out: Connection) -> None:
    s = ReviewStore.open(db, reviewer="victim")
    i = 0
    while True:
        e = s.set_state(SHA, f"k{i}", "confirmed", note="x" * 2000 + str(i))
        out.send(e.id)  # only after COMMIT returned
        i += 1


def test_killed_writer_leaves_every_committed_decision(tmp_path: Path) -> None:
    db = str(tmp_path / "team.sqlite3")
    ctx = mp.get_context("spawn")
    recv, send = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_endless_writer, args=(db, send))
    p.start()
    send.close()
    committed: list[int] = []
    while len(committed) < 300:
        assert recv.poll(120), "writer stopped writing"
        committed.append(recv.recv())
    assert p.pid is not None
    os.kill(p.pid, signal.SIGKILL)
    p.join(timeout=60)
    assert p.exitcode == -signal.SIGKILL
    while recv.poll(0.1):
        try:
            committed.append(recv.recv())
        except EOFError:
            break

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    with ReviewStore.open(db, reviewer="lead") as s:
        ids = {e.id for e in s.events(SHA)}
        assert set(committed) <= ids
        # A write can commit just before the kill without having been reported; nothing else exists.
        assert len(ids - set(committed)) <= 1
        s.set_state(SHA, "after", "confirmed")  # and the database is still writable
        assert s.review(SHA, "after").state == "confirmed"
