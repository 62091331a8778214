"""Where crossfoot keeps what it can rebuild: the directory, and whether it is safely ours.

Its own module, importing nothing of crossfoot's: the knowledge files are read through it
(crossfoot.knowledge.parsed), and they load before the data model exists.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    env = os.environ.get("CROSSFOOT_CACHE_DIR")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crossfoot"))


def usable_dir() -> Path | None:
    """The cache directory, created 0700 — or None when it is not safely ours (then no caching)."""
    try:
        d = cache_dir()
        if d.is_symlink():
            raise OSError(f"{d} is a symbolic link")
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.lstat(d)
        if not stat.S_ISDIR(st.st_mode):
            raise OSError(f"{d} is not a directory")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise OSError(f"{d} belongs to another user")
        if st.st_mode & 0o022:
            # Someone else could plant entries; tighten if we can, otherwise do not use it.
            os.chmod(d, stat.S_IMODE(st.st_mode) & ~0o077)
        return d
    except OSError as e:
        log.info("cache disabled: %s", e)
        return None
