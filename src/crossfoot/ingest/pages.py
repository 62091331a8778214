"""Reading a whole PDF: its pages parsed in worker processes, under the report's time budget, then
assembled into the document model. The page parser itself is crossfoot.ingest.pdf, loaded by a page
reader process before it forks the workers (or by each worker, when the pool is spawned); the workers'
tasks are named here. docs/architecture.md ("Processes of a cold run") draws the whole arrangement.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FuturesTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import replace
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from crossfoot.errors import CorruptPDF
from crossfoot.ingest import budget
from crossfoot.ingest.budget import (
    DEFAULT_PAGE_SECONDS,
    DEFAULT_REPORT_SECONDS,
    PAGE_SECONDS_ENV,
    REPORT_SECONDS_ENV,
    _env_number,
)
from crossfoot.ingest.raw import PagePart
from crossfoot.ingest.warm import prepare_assembly
from crossfoot.textsafe import clean_line

if TYPE_CHECKING:
    from crossfoot.model import Report

DEFAULT_JOBS = 2


def _start_worker() -> None:
    """A page worker's start: its limits (crossfoot.ingest.budget), then the parser's modules (loaded
    already in a forked worker; a spawned one loads them here, before its first page)."""
    from crossfoot.ingest.warm import preload_parser

    budget.worker_init()
    preload_parser()
    # What the worker was forked with (modules, the catalogue) lives as long as it does: out of the
    # cyclic collector's way, which would otherwise walk it on every full collection while pages parse.
    gc.freeze()


def _parse_page(path: str, page_number: int, password: str | None) -> PagePart:
    # The task the parent submits: named here, so the parent never imports the parser to name it.
    from crossfoot.ingest.pdf import parse_page

    return parse_page(path, page_number, password)


def _survey(path: str, password: str | None) -> tuple[int, list[int]]:
    """The page count, and each page's stored size (crossfoot.ingest.pdf.page_sizes)."""
    from crossfoot.ingest.pdf import page_count, page_sizes

    return page_count(path, password), page_sizes(path, password)


def _jobs() -> int:
    raw = os.environ.get("CROSSFOOT_JOBS", "")
    try:
        n = int(raw) if raw.strip() else DEFAULT_JOBS
    except ValueError:
        n = DEFAULT_JOBS
    return max(1, n)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_pages(path: Path, *, password: str | None = None, progress: Callable[[int, int], None] | None = None,
                meanwhile: Callable[[], object] | None = None) -> list[PagePart]:
    """Every page, parsed in worker processes under the memory limit (or in place in a process that
    is limited already). The file is opened and its page tree walked in a worker too: a bomb in an
    object stream is decoded under the limit, not in the caller. Pages not parsed within the report's
    time budget come back unreadable, with a note."""
    deadline = time.monotonic() + _env_number(REPORT_SECONDS_ENV, DEFAULT_REPORT_SECONDS)
    # A daemonic process (a Dask worker) may not start children: it parses in place, with the
    # decompression cap and the time budgets but without a memory limit of its own.
    if (budget.is_limited() and _jobs() <= 1) or mp.current_process().daemon:
        return _parse_in_place(path, password, progress, deadline)
    # fork is quick, but forking a process that runs other threads (the TUI) can deadlock the
    # child on a lock some thread held: spawn then.
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        return _parse_beside(path, password, progress, meanwhile, deadline)
    return _parse_pooled(path, password, progress, meanwhile, deadline, "spawn")


def _parse_beside(path: Path, password: str | None, progress: Callable[[int, int], None] | None,
                  meanwhile: Callable[[], object] | None, deadline: float) -> list[PagePart]:
    """The pages read by a process of their own (forked, it forks the page workers), while this one
    runs `meanwhile`.

    The reader loads the parser (pdfplumber, pdfminer, crossfoot.ingest.pdf) once and its workers
    share it; this process loads what assembly and the checks need at the same time, on the other
    core, and never loads the parser at all. Loading both here, one after the other, left a core
    idle for the parser's load and then took CPU from the page workers for the rest.
    """
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # a forked child must not write out this process's buffers again
        with suppress(Exception):
            stream.flush()
    reader = ctx.Process(target=_read_pages, args=(there, str(path), password, deadline, progress is not None),
                         name="crossfoot-pages")
    reader.start()
    there.close()
    stopped = False
    try:
        if meanwhile is not None:  # the caller's start-up, while the pages are read (crossfoot.ingest.warm)
            with suppress(Exception):  # best effort: what fails here fails again, and is reported, later
                meanwhile()
        while True:
            try:
                msg = here.recv()
            except EOFError:
                raise CorruptPDF(f"{clean_line(str(path))}: the process reading it died (out of memory or "
                                 "killed)") from None
            if msg[0] == "progress":
                if progress:
                    progress(msg[1], msg[2])
                continue
            stopped = True
            if msg[0] == "error":
                raise msg[1]
            parts: list[PagePart] = msg[1]
            return parts
    finally:
        if not stopped and reader.is_alive() and reader.pid:
            # Interrupted here (ctrl-C, an error): the reader stops its page workers on an interrupt.
            with suppress(OSError):
                os.kill(reader.pid, signal.SIGINT)
        reader.join(timeout=10)
        if reader.is_alive():
            reader.terminate()
            reader.join(timeout=5)
        here.close()


def _read_pages(conn: Connection, path: str, password: str | None, deadline: float, report: bool) -> None:
    """The page reader's whole life (see _parse_beside): the parser loaded, the pages parsed by its
    workers, the parts sent back, or the error that stopped it; progress on the way when `report`."""
    from crossfoot.ingest.warm import preload_parser

    def progress(done: int, total: int) -> None:
        conn.send(("progress", done, total))

    try:
        # Loaded once, here, and shared by the forked workers. Loaded by each worker instead, they would
        # load in parallel, but that doubles the work, and on two cores costs as much wall time as it saves.
        preload_parser()
        parts = _parse_pooled(Path(path), password, progress if report else None, None, deadline, "fork")
        conn.send(("parts", parts))
    except KeyboardInterrupt:
        pass  # the caller was interrupted as well, or told this process to stop: nothing to send
    except BaseException as e:  # an input error (a corrupt file, the deadline) or a bug: the caller raises it
        try:
            conn.send(("error", e))
        except Exception:  # not picklable
            conn.send(("error", CorruptPDF(f"{clean_line(path)}: {type(e).__name__}: {clean_line(str(e))}")))
    finally:
        conn.close()


def _parse_pooled(path: Path, password: str | None, progress: Callable[[int, int], None] | None,
                  meanwhile: Callable[[], object] | None, deadline: float, method: str) -> list[PagePart]:
    """The page workers, forked (in the page reader) or spawned (from a process running threads): one
    surveys the file, the pages go out, and come back in their order whatever order they parse in."""
    ex = ProcessPoolExecutor(max_workers=_jobs(), mp_context=mp.get_context(method), initializer=_start_worker)
    finished = False
    try:
        counting = ex.submit(_survey, str(path), password)
        # The first pages go out with the count: every PDF has a first page, and a worker that is free
        # starts on one at once instead of waiting for the count to come back. One past the end comes
        # back unreadable and is dropped.
        early = {ex.submit(_parse_page, str(path), i + 1, password): i for i in range(_jobs())}
        total, sizes = _counted(counting, path, deadline)
        for fut, i in early.items():
            if i >= total:
                fut.cancel()
        parts: list[PagePart | None] = [None] * total
        futs = {fut: i for fut, i in early.items() if i < total}
        # The rest largest first: the workers then end on small pages, together, rather than one parsing
        # a long table page alone at the end while the other waits.
        rest = sorted(range(len(early), total), key=lambda i: (-sizes[i] if i < len(sizes) else 0, i))
        futs.update({ex.submit(_parse_page, str(path), i + 1, password): i for i in rest})
        if meanwhile is not None:  # the caller's start-up, while the workers parse (crossfoot.ingest.warm)
            with suppress(Exception):  # best effort: what fails here fails again, and is reported, later
                meanwhile()
        try:
            for done, fut in enumerate(as_completed(futs, timeout=_remaining(deadline)), start=1):
                i = futs[fut]
                try:
                    parts[i] = fut.result()
                except BrokenProcessPool:
                    break  # a worker died (killed from outside): the pages not done are listed below
                except Exception as e:  # the result could not come back (e.g. not picklable): this page only
                    parts[i] = PagePart(i + 1, 0.0, 0.0, readable=False,
                                        note=f"page not parsed ({type(e).__name__})")
                if progress:
                    progress(done, total)
        except FuturesTimeout:
            pass
        finished = all(p is not None for p in parts)
        return [p if p is not None else _not_parsed(i + 1, deadline) for i, p in enumerate(parts)]
    finally:
        if not finished:
            # On ctrl-C, an error or the deadline, stop the workers rather than let them parse on.
            for proc in list((getattr(ex, "_processes", None) or {}).values()):
                with suppress(Exception):
                    proc.terminate()
        ex.shutdown(wait=finished, cancel_futures=not finished)
        if not finished:
            # Let the pool's manager thread close its wake-up pipe now: left running, it races the
            # interpreter's exit hook, which then writes to the closed pipe and prints a traceback.
            manager = getattr(ex, "_executor_manager_thread", None)
            if manager is not None:
                manager.join(timeout=5)


def _remaining(deadline: float) -> float:
    return max(deadline - time.monotonic(), 0.0)


def _not_parsed(number: int, deadline: float) -> PagePart:
    if _remaining(deadline) <= 0:
        note = (f"page not parsed: the report took longer than "
                f"{_env_number(REPORT_SECONDS_ENV, DEFAULT_REPORT_SECONDS):g} s ({REPORT_SECONDS_ENV})")
    else:
        note = "page not parsed: its parsing process died (out of memory or killed)"
    return PagePart(number, 0.0, 0.0, readable=False, note=note)


def _counted(counting: Future[tuple[int, list[int]]], path: Path, deadline: float) -> tuple[int, list[int]]:
    """The page count and sizes a worker found (_survey), or the input error why not."""
    name = clean_line(str(path))
    try:
        return counting.result(timeout=_remaining(deadline))
    except FuturesTimeout:
        raise CorruptPDF(f"{name}: opening it took longer than "
                         f"{_env_number(REPORT_SECONDS_ENV, DEFAULT_REPORT_SECONDS):g} s "
                         f"({REPORT_SECONDS_ENV})") from None
    except BrokenProcessPool:
        raise CorruptPDF(f"{name}: the process opening it died (out of memory or killed)") from None


def _parse_in_place(path: Path, password: str | None, progress: Callable[[int, int], None] | None,
                    deadline: float) -> list[PagePart]:
    from crossfoot.ingest.guard import cap_decompression
    from crossfoot.ingest.pdf import _close_all, page_count, parse_page

    cap_decompression()
    page_seconds = _env_number(PAGE_SECONDS_ENV, DEFAULT_PAGE_SECONDS)
    try:
        total = page_count(str(path), password)
        parts: list[PagePart] = []
        for i in range(total):
            left = _remaining(deadline)
            if left <= 0:
                parts.append(_not_parsed(i + 1, deadline))
                continue
            # The report's budget bounds the page's: one timer, never two nested.
            parts.append(parse_page(str(path), i + 1, password, min(page_seconds, left) if page_seconds > 0
                                    else left))
            if progress:
                progress(i + 1, total)
        return parts
    finally:
        _close_all()


def read_pdf(path: Path, *, password: str | None = None, progress: Callable[[int, int], None] | None = None,
             meanwhile: Callable[[], object] | None = None) -> Report:
    from crossfoot.ingest.guard import no_text_layer

    path = Path(path)
    parts = parse_pages(path, password=password, progress=progress, meanwhile=partial(prepare_assembly, meanwhile))
    from crossfoot.ingest.assemble import assemble

    # Garbled pages are reported page by page; only a file with no text at all is refused.
    if not any(p.lines or p.tables for p in parts) and not any(p.note and "scan" not in p.note for p in parts):
        raise no_text_layer(path)
    report = assemble(str(path), _sha256(path), parts)
    extra = tuple(f"page {p.number}: {x}" for p in parts for x in p.problems)
    return replace(report, notes=report.notes + extra) if extra else report
