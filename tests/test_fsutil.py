from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from crossfoot import fsutil


def _mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


def test_file_is_owner_only(tmp_path: Path) -> None:
    old = os.umask(0)  # even a permissive umask must not widen the file
    try:
        fsutil.atomic_write_text(tmp_path / "out.json", "{}")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "out.json") == 0o600
    assert (tmp_path / "out.json").read_text() == "{}"


def test_overwrite_tightens_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o666)
    fsutil.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


def test_private_dir_is_0700(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        d = fsutil.private_dir(tmp_path / "a" / "b")
    finally:
        os.umask(old)
    assert d.is_dir() and _mode(d) == 0o700


def test_private_dir_refuses_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OSError, match="symbolic link"):
        fsutil.private_dir(tmp_path / "link")


def test_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "report.md"
    target.symlink_to(victim)
    fsutil.atomic_write_text(target, "findings")
    assert victim.read_text() == "precious"
    assert not target.is_symlink()
    assert target.read_text() == "findings" and _mode(target) == 0o600


def test_dangling_symlink_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.symlink_to(tmp_path / "nowhere" / "x")
    fsutil.atomic_write_bytes(target, b"ok")
    assert not target.is_symlink() and target.read_bytes() == b"ok"
    assert not (tmp_path / "nowhere").exists()


def test_failed_write_leaves_old_content_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.parquet"
    target.write_bytes(b"complete old version")

    def boom(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        fsutil.atomic_write_bytes(target, b"half" * 1000)
    assert target.read_bytes() == b"complete old version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet"]


def test_write_is_all_or_nothing_for_readers(tmp_path: Path) -> None:
    # The target is only ever the old or the new file: the new one appears by rename (same inode).
    target = tmp_path / "t"
    fsutil.atomic_write_bytes(target, b"a" * 100)
    before = os.stat(target).st_ino
    fsutil.atomic_write_bytes(target, b"b" * 100)
    assert os.stat(target).st_ino != before
    assert target.read_bytes() == b"b" * 100


def test_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    fsutil.atomic_write_text(Path("rel.txt"), "x")
    assert (tmp_path / "rel.txt").read_text() == "x"
