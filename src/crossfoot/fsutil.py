"""Files crossfoot writes: owner-only, atomic (temp file + rename), never through a planted symlink."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Create (0700) or accept a directory; refuse one that is a symlink."""
    if path.is_symlink():
        raise OSError(f"{path} is a symbolic link; refusing to use it")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def check_output_path(path: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output path that would do harm or fail obscurely: one of the inputs (the report
    itself), a device or pipe (a rename would replace the node), a directory, a missing directory."""
    from crossfoot.errors import InputError
    from crossfoot.textsafe import clean_line

    name = clean_line(str(path))
    try:
        st = os.stat(path)  # follows a symlink: what the user meant is its target
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise InputError(f"{name}: cannot be written ({e.strerror or e})") from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise InputError(f"{name}: is a directory; give a file name")
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: is a device or pipe, not a file; leave out -o to write to standard output")
        for inp in inputs:
            with contextlib.suppress(OSError):
                if os.path.samefile(path, inp):
                    raise InputError(f"{name}: is the input report; choose another output file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{name}: No such file or directory (directory {clean_line(str(parent))} does not exist)")


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write data to path atomically. A symlink at path is replaced, never followed.

    An OSError names path, never the temporary file (which the user never asked for).
    """
    path = Path(path)
    try:
        _atomic_write(path, data, mode)
    except OSError as e:
        if e.filename == str(path) or e.errno is None:
            raise
        raise OSError(e.errno, e.strerror, str(path)) from None


def _atomic_write(path: Path, data: bytes, mode: int) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)  # rename replaces a symlink itself, not its target
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, mode: int = 0o600, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding), mode)
