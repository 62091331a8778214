"""Batch screening: many reports into one findings table and one summary row per report.

The output's extension picks the format: .csv and .xlsx (what auditors open) or .parquet (for tools);
the summary goes next to it (findings.summary.csv). One bad file never stops the run: its error
becomes a summary row, a report with unreadable pages a `partial` row. Both tables are rewritten
atomically, owner-only, after every finished report, so a killed or stalled run loses nothing and
resumes by skipping reports already summarised.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import polars as pl

REPORT_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".text")
OUTPUT_FORMATS = {".parquet": "parquet", ".csv": "csv", ".xlsx": "xlsx"}

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


@dataclass(frozen=True)
class BatchOptions:
    """What `crossfoot batch` was asked for (the CLI builds it; argparse stays in cli.py)."""

    paths: tuple[str, ...]
    output: str
    jobs: int = 0
    dask: str | None = None
    use_cache: bool = True


def output_format(out: Path) -> str:
    fmt = OUTPUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise BatchError(f"{_name(out)}: give a .csv, .xlsx or .parquet file (the extension decides the format)")
    return fmt


def summary_path(out: Path) -> Path:
    suffix = out.suffix if out.suffix.lower() in OUTPUT_FORMATS else ".parquet"
    stem = out.name[: -len(out.suffix)] if out.suffix.lower() in OUTPUT_FORMATS else out.name
    return out.with_name(stem + ".summary" + suffix)


def _name(p: Path | str) -> str:
    from crossfoot.textsafe import clean_line

    return clean_line(str(p))


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

def screen_one(path: str, use_cache: bool = True, inner_jobs: int | None = None,
               own_process: bool = False) -> Result:
    """Screen one report; never raises for a bad input: the error becomes the summary row.

    own_process: this runs in a worker process of our own pool, which may be put under the memory
    limit (a Dask worker is shared, and is not).
    """
    if inner_jobs is not None:
        # Batch parallelism is across reports; pages of one report are parsed in this process.
        os.environ["CROSSFOOT_JOBS"] = str(inner_jobs)
    if own_process:
        from crossfoot.ingest.budget import limit_this_process

        limit_this_process()
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
            sha256=report.sha256, status="partial" if report.unreadable_pages() else "ok", kind=report.kind, department=report.department,
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
    except MemoryError:
        row["status"] = "error"
        row["error"] = "out of memory: the report needs more than the memory limit"
        row["sha256"] = row["sha256"] or _sha_or_empty(path)
        findings = []
    except Exception as e:  # a parser or check bug on one file must not stop the batch
        row["status"] = "error"
        row["error"] = _one_line(f"internal error: {type(e).__name__}: {e}")
        row["sha256"] = row["sha256"] or _sha_or_empty(path)
        findings = []
    finally:
        row["seconds"] = round(time.perf_counter() - start, 3)
    return row, findings


def _one_line(s: str) -> str:
    from crossfoot.textsafe import clean_line

    s = clean_line(s)
    return s if len(s) <= 300 else s[:297] + "..."


def _sha_or_empty(path: str) -> str:
    from crossfoot.ingest import is_regular_file

    if not is_regular_file(path):  # hashing a FIFO or /dev/zero never ends
        return ""
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


def _write_table(rows: list[Row], columns: dict[str, str], path: Path, fmt: str) -> None:
    """One table, atomically and owner-only (the findings quote the reports: not for other users)."""
    from crossfoot.fsutil import atomic_write_bytes

    if fmt == "parquet":
        buf = io.BytesIO()
        _frame(rows, columns).write_parquet(buf, compression="zstd")
        data = buf.getvalue()
    elif fmt == "csv":
        from crossfoot.writers import csv_document

        data = csv_document(list(columns), ([r.get(c) for c in columns] for r in rows)).encode("utf-8")
    else:
        data = _xlsx_bytes(rows, columns)
    atomic_write_bytes(path, data)


def _xlsx_bytes(rows: list[Row], columns: dict[str, str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from crossfoot.textsafe import clean

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("table")
    ws.append(list(columns))
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            cell = WriteOnlyCell(ws, value=clean(v) if isinstance(v, str) else v)
            if isinstance(v, str):
                cell.data_type = "s"  # text from a report never becomes a formula
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _read_table(path: Path, columns: dict[str, str], fmt: str) -> list[Row]:
    if not path.exists():
        return []
    try:
        if fmt == "parquet":
            import polars as pl

            df = pl.read_parquet(path)
            header, raw = list(df.columns), [list(r.values()) for r in df.to_dicts()]
        elif fmt == "csv":
            with path.open(encoding="utf-8-sig", newline="") as fh:
                table = list(csv.reader(fh))
            header, raw = (table[0], table[1:]) if table else ([], [])
        else:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            table = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            wb.close()
            header, raw = ([str(h) for h in table[0]], table[1:]) if table else ([], [])
    except Exception as e:  # each reader raises its own error types for a damaged file
        raise BatchError(f"{_name(path)}: cannot resume from it ({_one_line(str(e))}); "
                         "move it away to start afresh") from None
    missing = set(columns) - set(header)
    if missing:
        raise BatchError(f"{_name(path)}: not a crossfoot batch table (missing {sorted(missing)[:3]})")
    idx = {c: header.index(c) for c in columns}
    return [{c: _typed(r[idx[c]], t) for c, t in columns.items()} for r in raw if len(r) >= len(header)]


def _typed(v: object, tp: str) -> object:
    """A value read back from CSV or xlsx into the column's type ("" is missing)."""
    if v is None or v == "":
        return None
    if tp == "int":
        return int(float(str(v)))
    if tp == "float":
        return float(str(v))
    s = str(v)
    # csv_safe's apostrophe in front of what a spreadsheet would run: not part of the value.
    return s[1:] if len(s) > 1 and s[0] == "'" and s[1] in "=+-@" else s


class Store:
    """The two output tables, kept in memory and rewritten atomically (findings first, then summary)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.fmt = output_format(out)
        self.summary_file = summary_path(out)
        self.summary: list[Row] = _read_table(self.summary_file, SUMMARY_COLUMNS, self.fmt)
        done = {r["path"] for r in self.summary}
        # Findings of a report whose summary row was never written (killed between the two writes)
        # are dropped: the report is screened again.
        self.findings: list[Row] = [r for r in _read_table(out, FINDING_COLUMNS, self.fmt) if r["path"] in done]
        self.dirty = False

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
        self.flush()  # every finished report: a run that stalls or is killed later loses nothing

    def flush(self) -> None:
        if not self.dirty and self.summary_file.exists() and self.out.exists():
            return
        _write_table(self.findings, FINDING_COLUMNS, self.out, self.fmt)
        _write_table(self.summary, SUMMARY_COLUMNS, self.summary_file, self.fmt)
        self.dirty = False


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
                    running[ex.submit(screen_one, p, use_cache, 1, True)] = p
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
            return ex.submit(screen_one, path, use_cache, 1, True).result()
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
    output_format(out)
    files = [str(p) for p in expand_inputs(specs)]
    from crossfoot.errors import InputError
    from crossfoot.fsutil import check_output_path

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        for target in (out, summary_path(out)):
            check_output_path(target, inputs=[Path(f) for f in files])
    except InputError as e:
        raise BatchError(str(e)) from None
    store = Store(out)
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
                status = row["status"] if row["status"] != "error" else f"error: {row['error']}"
                log(f"[{n}/{len(todo)}] {_name(row['path'])}: {status}")
    finally:
        store.flush()
    return n, skipped


def run_batch_cli(opts: BatchOptions) -> int:
    out = Path(opts.output)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    try:
        n, skipped = run_batch(opts.paths, out, jobs=opts.jobs, dask=opts.dask, use_cache=opts.use_cache, log=log)
        store = Store(out)
    except BatchError as e:
        print(f"crossfoot: {e}", file=sys.stderr)
        return 2
    except OSError as e:  # the output cannot be written: nothing else to do
        print(f"crossfoot: {_name(out)}: cannot write ({e.strerror or e})", file=sys.stderr)
        return 2
    errors = sum(r["status"] == "error" for r in store.summary)
    partial = sum(r["status"] == "partial" for r in store.summary)
    log(f"screened {n} report(s), skipped {skipped} already done; {len(store.summary)} in "
        f"{_name(summary_path(out))} ({errors} could not be read), {partial} partial (pages not checked); "
        f"{len(store.findings)} findings in {_name(out)}")
    return 0
