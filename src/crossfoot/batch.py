"""Batch screening: many reports into one findings table (Parquet) and one summary row per report.

One bad file never stops the run: its error becomes a summary row. Both tables are rewritten
atomically as reports finish, so a killed run resumes by skipping reports already summarised.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

REPORT_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".text")
FLUSH_EVERY_S = 5.0

FINDING_COLUMNS: dict[str, str] = {
    "path": "str", "sha256": "str", "id": "str", "check": "str", "severity": "str", "verdict": "str",
    "page": "int", "quote": "str", "stated": "str", "expected": "str", "message": "str",
    "confidence": "str", "refs": "str",
}
SUMMARY_COLUMNS: dict[str, str] = {
    "path": "str", "sha256": "str", "status": "str", "error": "str", "kind": "str", "department": "str",
    "year": "int", "pages": "int", "tables": "int", "unreadable_pages": "int", "findings": "int",
    "problems_high": "int", "problems_medium": "int", "problems_low": "int", "failed_checks": "str",
    "seconds": "float",
}

Row = dict[str, Any]


class BatchError(Exception):
    """The batch as a whole cannot run (unreadable previous output, unreachable cluster): one line, exit 2."""

Result = tuple[Row, list[Row]]  # (summary row, finding rows)


def summary_path(out: Path) -> Path:
    name = out.name[: -len(".parquet")] if out.name.endswith(".parquet") else out.name
    return out.with_name(name + ".summary.parquet")


# --- inputs

def expand_inputs(specs: Iterable[str]) -> list[Path]:
    """Files as given; directories searched recursively for reports; glob patterns expanded.

    A spec that matches nothing is kept, so it shows up as an error row rather than vanishing.
    """
    out: list[Path] = []
    seen: set[str] = set()

    def add(p: Path) -> None:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            out.append(Path(key))

    for spec in specs:
        p = Path(spec).expanduser()
        if p.is_dir():
            for f in _reports_under(p):
                add(f)
        elif not p.exists() and glob.has_magic(spec):
            for m in sorted(glob.glob(os.path.expanduser(spec), recursive=True)):
                mp = Path(m)
                if mp.is_dir():
                    for f in _reports_under(mp):
                        add(f)
                elif mp.suffix.lower() in REPORT_SUFFIXES:
                    add(mp)
        else:
            add(p)
    return out


def _reports_under(d: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(d):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in REPORT_SUFFIXES:
                found.append(Path(root) / name)
    return found


# --- one report (runs in a worker process or on a Dask worker: top-level, picklable arguments only)

def screen_one(path: str, use_cache: bool = True, inner_jobs: int | None = None) -> Result:
    """Screen one report; never raises for a bad input: the error becomes the summary row."""
    if inner_jobs is not None:
        # Batch parallelism is across reports; pages of one report are parsed in this process.
        os.environ["CROSSFOOT_JOBS"] = str(inner_jobs)
    start = time.perf_counter()
    row: Row = {"path": path, "sha256": "", "status": "error", "error": "", "kind": None,
                "department": None, "year": None, "pages": None, "tables": None, "unreadable_pages": None,
                "findings": None, "problems_high": None, "problems_medium": None, "problems_low": None,
                "failed_checks": "", "seconds": 0.0}
    findings: list[Row] = []
    try:
        from crossfoot.errors import InputError
        from crossfoot.ingest import load
        from crossfoot.pipeline import analyse

        try:
            report = load(path, use_cache=use_cache)
        except InputError as e:
            row["error"] = _one_line(str(e))
            row["sha256"] = _sha_or_empty(path)
            return row, findings
        analysis = analyse(report)
        problems = [f for f in analysis.findings if f.is_problem]
        row.update(
            sha256=report.sha256, status="ok", kind=report.kind, department=report.department,
            year=report.year, pages=report.n_pages, tables=len(report.tables),
            unreadable_pages=len(report.unreadable_pages()), findings=len(analysis.findings),
            problems_high=sum(f.severity == "high" for f in problems),
            problems_medium=sum(f.severity == "medium" for f in problems),
            problems_low=sum(f.severity == "low" for f in problems),
            failed_checks=",".join(analysis.failed_checks),
        )
        for f in analysis.findings:
            d = f.to_json()
            d["refs"] = json.dumps(d["refs"], ensure_ascii=False)
            findings.append({"path": path, "sha256": report.sha256, **d})
    except Exception as e:  # a parser or check bug on one file must not stop the batch
        row["status"] = "error"
        row["error"] = _one_line(f"internal error: {type(e).__name__}: {e}")
        row["sha256"] = row["sha256"] or _sha_or_empty(path)
        findings = []
    finally:
        row["seconds"] = round(time.perf_counter() - start, 3)
    return row, findings


def _one_line(s: str) -> str:
    s = " ".join(s.split())
    return s if len(s) <= 300 else s[:297] + "..."


def _sha_or_empty(path: str) -> str:
    try:
        from crossfoot.cache import file_sha256

        return file_sha256(Path(path))
    except OSError:
        return ""


# --- output tables

def _frame(rows: list[Row], columns: dict[str, str]) -> pl.DataFrame:
    import polars as pl

    types = {"str": pl.String, "int": pl.Int64, "float": pl.Float64}
    schema = {c: types[t] for c, t in columns.items()}
    return pl.DataFrame([{c: r.get(c) for c in columns} for r in rows], schema=schema, orient="row")


def _write_parquet(df: pl.DataFrame, path: Path) -> None:
    import io

    from crossfoot.fsutil import atomic_write_bytes

    buf = io.BytesIO()
    df.write_parquet(buf, compression="zstd")
    atomic_write_bytes(path, buf.getvalue(), mode=0o644)


def _read_parquet_rows(path: Path, columns: dict[str, str]) -> list[Row]:
    import polars as pl

    if not path.exists():
        return []
    try:
        df = pl.read_parquet(path)
    except Exception as e:  # polars raises its own error types for a damaged file
        raise BatchError(f"{path}: cannot resume from it ({_one_line(str(e))}); "
                         "move it away to start afresh") from None
    missing = set(columns) - set(df.columns)
    if missing:
        raise BatchError(f"{path}: not a crossfoot batch table (missing {sorted(missing)[:3]})")
    return df.select(list(columns)).to_dicts()


class Store:
    """The two output tables, kept in memory and rewritten atomically (findings first, then summary)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.summary_file = summary_path(out)
        self.summary: list[Row] = _read_parquet_rows(self.summary_file, SUMMARY_COLUMNS)
        done = {r["path"] for r in self.summary}
        # Findings of a report whose summary row was never written (killed between the two writes)
        # are dropped: the report is screened again.
        self.findings: list[Row] = [r for r in _read_parquet_rows(out, FINDING_COLUMNS) if r["path"] in done]
        self.dirty = False
        self.last_flush = time.monotonic()

    def done(self) -> dict[str, str]:
        return {r["path"]: r["sha256"] or "" for r in self.summary}

    def forget(self, paths: set[str]) -> None:
        self.summary = [r for r in self.summary if r["path"] not in paths]
        self.findings = [r for r in self.findings if r["path"] not in paths]
        self.dirty = True

    def add(self, result: Result) -> None:
        row, finds = result
        self.summary.append(row)
        self.findings.extend(finds)
        self.dirty = True
        if time.monotonic() - self.last_flush >= FLUSH_EVERY_S:
            self.flush()

    def flush(self) -> None:
        if not self.dirty and self.summary_file.exists() and self.out.exists():
            return
        _write_parquet(_frame(self.findings, FINDING_COLUMNS), self.out)
        _write_parquet(_frame(self.summary, SUMMARY_COLUMNS), self.summary_file)
        self.dirty = False
        self.last_flush = time.monotonic()


# --- runners: each yields results as reports finish

def run_local(paths: list[str], jobs: int, use_cache: bool) -> Iterator[Result]:
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield screen_one(p, use_cache)
        return
    pending = list(reversed(paths))
    suspects: list[str] = []
    while pending:
        ex = ProcessPoolExecutor(max_workers=min(jobs, len(pending)))
        running: dict[Future[Result], str] = {}
        broken = False
        try:
            while (pending or running) and not broken:
                while pending and len(running) < 2 * jobs:  # bounded queue: results stream out
                    p = pending.pop()
                    running[ex.submit(screen_one, p, use_cache, 1)] = p
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    p = running.pop(fut)
                    try:
                        yield fut.result()
                    except BrokenProcessPool:
                        broken = True
                        suspects.append(p)
                    except Exception as e:  # pickling or pool errors: record, keep going
                        yield _error_row(p, f"internal error: {type(e).__name__}: {e}")
        finally:
            ex.shutdown(wait=not broken, cancel_futures=True)
        if broken:
            # A worker died (crash or out of memory) and took every running report with it:
            # retry those one at a time so only the culprit gets the error row.
            suspects.extend(running.values())
            for p in suspects:
                yield _isolated(p, use_cache)
            suspects = []


def _isolated(path: str, use_cache: bool) -> Result:
    with ProcessPoolExecutor(max_workers=1) as ex:
        try:
            return ex.submit(screen_one, path, use_cache, 1).result()
        except BrokenProcessPool:
            return _error_row(path, "internal error: the worker process died (crash or out of memory)")


def _error_row(path: str, msg: str) -> Result:
    base: Row = {c: None for c in SUMMARY_COLUMNS}
    base.update(path=path, sha256=_sha_or_empty(path), status="error", error=_one_line(msg),
                failed_checks="", seconds=0.0)
    return base, []


def run_dask(paths: list[str], address: str, use_cache: bool) -> Iterator[Result]:
    import importlib

    try:
        # Typed as Any: distributed's API is only partly annotated.
        dd: Any = importlib.import_module("dask.distributed")
    except ImportError:
        raise BatchError("--dask needs dask[distributed]: pip install 'crossfoot[dask]'") from None
    try:
        client = dd.Client(address, timeout=os.environ.get("CROSSFOOT_DASK_TIMEOUT", "20s"))
    except (OSError, TimeoutError) as e:
        raise BatchError(f"cannot reach the Dask scheduler at {address} ({_one_line(str(e))})") from None
    try:
        futures = client.map(screen_one, paths, use_cache=use_cache, inner_jobs=1, pure=False)
        by_key = {f.key: p for f, p in zip(futures, paths, strict=True)}
        for fut in dd.as_completed(futures):
            try:
                yield fut.result()
            except Exception as e:  # a worker lost mid-task: the report gets an error row
                yield _error_row(by_key[fut.key], f"internal error on the Dask worker: {type(e).__name__}: {e}")
            fut.release()
    finally:
        client.close()


# --- command

def run_batch(specs: Iterable[str], out: Path, *, jobs: int = 0, dask: str | None = None,
              use_cache: bool = True, log: Callable[[str], None] | None = None) -> tuple[int, int]:
    """Screen every report; returns (screened now, skipped as already done)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    store = Store(out)
    files = [str(p) for p in expand_inputs(specs)]
    done = store.done()
    todo: list[str] = []
    changed: set[str] = set()
    for p in files:
        if p in done:
            prev = done[p]
            now = _sha_or_empty(p)
            if prev == now or not now:
                continue
            changed.add(p)  # edited since it was screened: screen again
        todo.append(p)
    if changed:
        store.forget(changed)
    skipped = len(files) - len(todo)
    n_jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    runner = run_dask(todo, dask, use_cache) if dask else run_local(todo, n_jobs, use_cache)
    n = 0
    try:
        for result in runner:
            store.add(result)
            n += 1
            if log:
                row = result[0]
                status = "ok" if row["status"] == "ok" else f"error: {row['error']}"
                log(f"[{n}/{len(todo)}] {row['path']}: {status}")
    finally:
        store.flush()
    return n, skipped


def run_batch_cli(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.exists() and out.is_dir():
        print(f"crossfoot: {out}: is a directory; give a .parquet file", file=sys.stderr)
        return 2

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        n, skipped = run_batch(args.paths, out, jobs=args.jobs, dask=args.dask,
                               use_cache=not args.no_cache, log=log)
    except BatchError as e:
        print(f"crossfoot: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # the output cannot be written: nothing else to do
        print(f"crossfoot: {out}: cannot write ({e.strerror or e})", file=sys.stderr)
        return 2
    store = Store(out)
    errors = sum(r["status"] != "ok" for r in store.summary)
    log(f"screened {n} report(s), skipped {skipped} already done; {len(store.summary)} in "
        f"{summary_path(out)} ({errors} could not be read); {len(store.findings)} findings in {out}")
    return 0
