"""Where review databases live and how their files are made: the personal data directory (ours, closed to
others), the file's mode for a personal or a team database, the reviewer's declared name.

Kept apart from the store itself (store.py), which is about the audit trail inside the file.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import stat
from pathlib import Path

from crossfoot.errors import InputError
from crossfoot.fsutil import private_dir

DB_FILENAME = "reviews.sqlite3"


class ReviewStoreError(InputError):
    """The review database cannot be opened or is not a crossfoot review database."""


def default_db_path(create_dir: bool = True) -> Path:
    """$CROSSFOOT_DATA_DIR/reviews.sqlite3, else in the platform's user data dir (created 0700)."""
    env = os.environ.get("CROSSFOOT_DATA_DIR")
    if env:
        base = Path(env)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("crossfoot"))
    if create_dir:
        _check_private(private_dir(base))
    return base / DB_FILENAME


def _check_private(d: Path) -> None:
    """The personal data directory must be ours and closed to others, as the cache directory is:
    anyone who can write into it can rewrite the audit trail."""
    st = os.lstat(d)
    if not stat.S_ISDIR(st.st_mode):
        raise ReviewStoreError(f"data directory {_name(d)}: not a directory")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise ReviewStoreError(f"data directory {_name(d)}: belongs to another user; set CROSSFOOT_DATA_DIR "
                               "to a directory of your own, or use --review-db for a shared database")
    if st.st_mode & 0o077:
        try:
            os.chmod(d, stat.S_IMODE(st.st_mode) & ~0o077)
        except OSError as e:
            raise ReviewStoreError(f"data directory {_name(d)}: open to other users and cannot be closed "
                                   f"({e.strerror or e})") from None


def default_reviewer() -> str:
    """The login name; never fails (no passwd entry in a container is common)."""
    with contextlib.suppress(Exception):
        name = getpass.getuser().strip()
        if name:
            return name
    uid = getattr(os, "getuid", None)
    return f"uid{uid()}" if uid is not None else "unknown"


def _name(p: Path) -> str:
    from crossfoot.textsafe import clean_line

    return clean_line(str(p))


def _one_line(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _create_file(db: Path, explicit: bool) -> None:
    """Create the database file with the right mode before SQLite does (its -wal/-shm copy it)."""
    if db.is_symlink():
        raise OSError(f"{db} is a symbolic link; refusing to use it")
    if db.exists():
        if not db.is_file():
            raise OSError(f"{db} is not a file")
        return
    if explicit:
        parent = db.parent if str(db.parent) else Path(".")
        if not parent.is_dir():
            raise OSError(f"directory {parent} does not exist")
        shared = bool(parent.stat().st_mode & stat.S_IWGRP)
        mode = 0o660 if shared else 0o600
    else:
        mode = 0o600
    try:
        fd = os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), mode)
    except FileExistsError:  # another process created it first: fine
        return
    try:
        # The umask may have narrowed the mode; a shared file must really be group-writable.
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
