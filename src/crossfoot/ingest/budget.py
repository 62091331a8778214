"""Budgets of a parse: time per page and per report, memory per parsing process, objects per page.

A report is untrusted input. Each budget turns a runaway into a page (or a report) listed as not checked,
never into a hang, a machine out of memory or a traceback. A leaf module: the workers (ingest/pdf.py) and
the batch import it, it imports none of them.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Per-page budget: a page that takes longer, or draws more objects, is skipped with a note rather than
# holding the whole report (and the review server) hostage. Overridable for unusual reports.
PAGE_SECONDS_ENV = "CROSSFOOT_PAGE_SECONDS"
PAGE_OBJECTS_ENV = "CROSSFOOT_PAGE_MAX_OBJECTS"
DEFAULT_PAGE_SECONDS = 60.0
DEFAULT_PAGE_OBJECTS = 250_000
# Per-report budget: pages not parsed by then are listed as not checked (the report is "incomplete").
REPORT_SECONDS_ENV = "CROSSFOOT_REPORT_SECONDS"
DEFAULT_REPORT_SECONDS = 600.0
# Address space of a parsing process: a compressed bomb fails there with MemoryError (a page or the
# report lost, said so) instead of taking the machine's memory. Generous for any real report.
MEMORY_MB_ENV = "CROSSFOOT_PARSE_MEMORY_MB"
DEFAULT_MEMORY_MB = 2048  # on top of what the worker maps when it starts (the interpreter, pdfplumber)
# Set in a process whose memory is limited already (a page worker, a batch worker): parse in place.
_LIMITED = False


class _PageOverBudget(BaseException):
    """Raised by the page timer; a BaseException so no `except Exception` in pdfminer swallows it."""


def _env_number(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    # SIGALRM can only be handled in a main thread; in-process parsing from a UI thread runs unbounded.
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _PageOverBudget

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def limit_this_process() -> bool:
    """Put this process under the parse memory limit (RLIMIT_AS). Only ever called in a process of
    our own (a page worker, a batch worker), never in the app or a shared Dask worker.
    Returns whether a limit is in force."""
    global _LIMITED
    mb = _env_number(MEMORY_MB_ENV, DEFAULT_MEMORY_MB)
    try:
        import resource
    except ImportError:  # not on this platform: the decompression cap still holds
        return False
    if mb > 0:
        # RLIMIT_AS counts address space already mapped: a worker forked from a process that loaded
        # polars starts with ~1 GB of it. The budget is on top of what the process holds when limited.
        want = int(mb * 1024 * 1024) + _mapped_bytes()
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                want = min(want, hard)
            if soft == resource.RLIM_INFINITY or soft > want:
                resource.setrlimit(resource.RLIMIT_AS, (want, hard))
        except (ValueError, OSError):
            return False
    _LIMITED = True
    return True


def _mapped_bytes() -> int:
    """This process's mapped address space (VmSize), 0 where /proc is not there to say."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def worker_init() -> None:
    """Initializer of the page workers: memory limit, decompression cap, and no ctrl-C traceback
    (the parent handles the interrupt and stops the workers). The cyclic collector is on whatever
    the parent chose (crossfoot.runtime): pdfminer's objects form cycles, and a page parses under a
    memory limit."""
    from crossfoot.ingest.guard import cap_decompression

    gc.enable()

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit_this_process()
    cap_decompression()


def is_limited() -> bool:
    """Whether this process runs under the parse memory limit already (a page or batch worker)."""
    return _LIMITED
