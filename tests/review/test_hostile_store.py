"""Hostile and broken review databases (issue 15 items 5 and 8): a damaged file, a full disk,
someone else's database, a reviewer with read access only, a data directory that is not private."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.test_hostile import run
from tests.test_robustness import assert_refused

TIMEOUT = 300


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _review_db(tmp_path: Path, sha: str) -> Path:
    from crossfoot.review.store import ReviewStore

    db = tmp_path / "team.sqlite3"
    with ReviewStore.open(db, reviewer="alice") as s:
        for i in range(200):
            s.set_state(sha, f"k{i}", "confirmed", note="x" * 200)
    return db


def test_export_from_a_damaged_review_database_is_one_line(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    from crossfoot.cache import file_sha256

    pdf = narrative_pdf(tmp_path / "n.pdf")
    db = _review_db(tmp_path, file_sha256(pdf))
    data = bytearray(db.read_bytes())
    for off in range(4096 * 2, len(data), 4096):  # every page after the schema: garbage
        data[off + 10: off + 200] = os.urandom(190)
    db.write_bytes(bytes(data))
    for p in db.parent.glob("team.sqlite3-*"):
        p.unlink()
    r = run("export", pdf, "--review-db", db, "--format", "csv", cache=cache)
    assert_refused(r, "review database")


def test_failed_write_is_a_clean_error(tmp_path: Path) -> None:
    """A full disk, simulated with a file-size limit: the decision is refused with one error."""
    code = f"""
import resource, signal, sys
sys.path[:0] = {[str(Path(__file__).resolve().parents[2] / "src")]!r}
from crossfoot.review.store import ReviewStore, ReviewStoreError
s = ReviewStore.open({str(tmp_path / "r.sqlite3")!r}, reviewer="bob")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (40000, resource.RLIM_INFINITY))
try:
    for i in range(2000):
        s.set_state("a" * 64, f"k{{i}}", "confirmed", note="n" * 500)
except ReviewStoreError as e:
    print("REFUSED", e)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.stdout.startswith("REFUSED review database") and "not saved" in r.stdout, r.stdout


# 8 -- sharing a review database as documented -------------------------------------------------------

def test_export_opens_the_review_database_read_only(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    from crossfoot.cache import file_sha256

    pdf = narrative_pdf(tmp_path / "n.pdf")
    db = _review_db(tmp_path, file_sha256(pdf))
    # immutable proves no write is even attempted: SQLite refuses to write to a file opened so, but the
    # test runs as root, for whom permission bits prove nothing; check the bytes instead.
    before = db.read_bytes()
    mtime = db.stat().st_mtime_ns
    r = run("export", pdf, "--review-db", db, "--format", "json", cache=cache)
    assert r.returncode == 0, r.stderr
    assert db.read_bytes() == before and db.stat().st_mtime_ns == mtime


def test_read_only_store_refuses_writes_with_one_error(tmp_path: Path) -> None:
    from crossfoot.review.store import ReviewStore, ReviewStoreError

    db = _review_db(tmp_path, "a" * 64)
    with ReviewStore.open(db, read_only=True) as s:
        assert len(s.reviews("a" * 64)) == 200
        with pytest.raises(ReviewStoreError, match="read-only"):
            s.set_state("a" * 64, "k1", "dismissed")


def test_someone_elses_database_is_not_switched_to_wal(tmp_path: Path) -> None:
    from crossfoot.review.store import ReviewStore, ReviewStoreError

    db = tmp_path / "other.sqlite3"
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE ledger (x)")
    c.commit()
    c.close()
    with pytest.raises(ReviewStoreError, match="not a crossfoot review database"):
        ReviewStore.open(db)
    c = sqlite3.connect(db)
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    c.close()


def test_data_dir_must_be_private_and_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crossfoot.review.store import ReviewStoreError, default_db_path

    d = tmp_path / "data"
    d.mkdir(mode=0o777)
    os.chmod(d, 0o777)
    monkeypatch.setenv("CROSSFOOT_DATA_DIR", str(d))
    default_db_path()
    assert stat.S_IMODE(d.stat().st_mode) == 0o700
    if os.getuid() == 0:  # only root can hand the directory to someone else
        os.chown(d, 65534, 65534)
        with pytest.raises(ReviewStoreError, match="another user"):
            default_db_path()


def test_read_only_fallback_reads_a_checkpointed_wal_database_without_side_files(tmp_path: Path) -> None:
    """What a reader gets when the directory refuses it a -shm file (not reproducible as root): the main
    file read as immutable holds every decision once the last writer has closed (WAL checkpointed)."""
    from crossfoot.review.store import ReviewStore

    db = _review_db(tmp_path, "a" * 64)
    assert not Path(f"{db}-wal").exists()  # the last connection checkpointed and removed it
    with ReviewStore._immutable(db, "reader") as s:
        assert s.read_only and len(s.reviews("a" * 64)) == 200
