"""Page-by-page progress on stderr for long runs; silent when stderr is not a terminal."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int], None]


@contextmanager
def stderr_progress(label: str, *, min_seconds: float = 0.5) -> Iterator[Progress]:
    """Yield a (done, total) callback drawing a one-line bar, only on a TTY and only past min_seconds."""
    tty = sys.stderr.isatty()
    start = time.monotonic()
    drawn = False

    def update(done: int, total: int) -> None:
        nonlocal drawn
        if not tty or time.monotonic() - start < min_seconds:
            return
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} pages")
        sys.stderr.flush()
        drawn = True

    try:
        yield update
    finally:
        if drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
