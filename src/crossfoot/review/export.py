"""Working-paper export: every finding with its review state, as Markdown, CSV, XLSX or JSON.

export_bytes() is what the app calls (no Textual here: it serves the bytes with deliver_binary);
export_cli() is `crossfoot export`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

from crossfoot import __version__
from crossfoot.errors import InputError
from crossfoot.model import Report
from crossfoot.pipeline import Analysis
from crossfoot.review.rows import (
    COLUMNS,
    ExportData,
    ExportRow,
    row_values,
    summary,
)
from crossfoot.review.store import Event, Reconciled, Review, ReviewStore, default_db_path, default_reviewer
from crossfoot.tables.trust import held_back_rows
from crossfoot.textsafe import clean_line, json_safe
from crossfoot.writers import csv_document, csv_safe, refs_text

__all__ = ["COLUMNS", "FORMATS", "ExportData", "ExportOptions", "ExportRow", "collect", "csv_safe",
           "export_bytes", "export_report", "refs_text", "row_values"]

ExportFormat = Literal["md", "csv", "xlsx", "json"]
FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

@dataclass(frozen=True)
class ExportOptions:
    """What `crossfoot export` was asked for (the CLI builds it; argparse stays in cli.py)."""

    format: str = "md"
    output: str | None = None
    review_db: str | None = None
    reviewer: str | None = None
    include_all: bool = False
    use_cache: bool = True
    password: str | None = None  # the report's, to open it again for the marked-up PDF
    dismissed: Literal["faint", "omit"] = "faint"  # pdf: dismissed findings drawn faint or left out
    keep_password: bool = True  # pdf: an encrypted report's marked-up copy keeps its password


def collect(analysis: Analysis, store: ReviewStore | None, *, include_all: bool = False,
            exported_by: str | None = None, only: frozenset[str] | None = None) -> ExportData:
    """Join the analysis with the store: problems (or everything, include_all), manual, stale.

    `only` keeps the findings with those keys (the app's current view); stale decisions then go.
    """
    sha = analysis.report.sha256
    if store is not None:
        rec = store.reconcile(sha, analysis.findings)
        trail = tuple(_event_json(e) for e in store.events(sha))
    else:
        rec = Reconciled(tuple((f, Review(f.key)) for f in analysis.findings), (), ())
        trail = ()
    rows: list[ExportRow] = [ExportRow("crossfoot", f.key, f, r) for f, r in rec.findings
                             if include_all or f.is_problem]
    rows += [ExportRow("manual", f.key, f, r) for f, r in rec.manual]
    rows += [ExportRow("stale", r.key, None, r) for r in rec.stale]
    if only is not None:
        rows = [r for r in rows if r.key in only]
    who = exported_by or (store.reviewer if store is not None else default_reviewer())
    return ExportData(analysis, tuple(rows), include_all, who,
                      datetime.now(UTC).isoformat(timespec="seconds"),
                      str(store.path) if store is not None else None, trail)


def export_bytes(analysis: Analysis, store: ReviewStore | None, fmt: str, *, include_all: bool = False,
                 exported_by: str | None = None, only: frozenset[str] | None = None) -> bytes:
    """The working paper in fmt (md | csv | xlsx | json) as bytes, ready to write or to deliver."""
    writer = WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}")
    return writer(collect(analysis, store, include_all=include_all, exported_by=exported_by, only=only))


def _md(data: ExportData) -> bytes:
    from crossfoot.review.workpaper import render_md

    return render_md(data).encode("utf-8")


def _xlsx(data: ExportData) -> bytes:
    from crossfoot.review.workbook import render_xlsx

    return render_xlsx(data)


def _json(data: ExportData) -> bytes:
    return (json_safe(json.dumps(render_json(data), ensure_ascii=False, indent=1)) + "\n").encode("utf-8")


def _csv(data: ExportData) -> bytes:
    return render_csv(data).encode("utf-8")


# The writer registry: one function per format, each from the same ExportData. The annotated PDF
# (review/annotate.py, issue 17) plugs in here as "pdf", with "pdf" added to ExportFormat; the CLI
# then accepts it, and `-o x.pdf` (writers.EXTENSION_FORMATS) picks it.
WRITERS: dict[str, Callable[[ExportData], bytes]] = {"md": _md, "csv": _csv, "xlsx": _xlsx, "json": _json}


def export_filename(report: Report, fmt: str) -> str:
    """A download name for the app: the report's name with the format's suffix."""
    return f"{Path(report.path).stem or 'report'}.review.{fmt}"


# -- CSV and JSON ----------------------------------------------------------------------------------


def render_csv(data: ExportData) -> str:
    from crossfoot.writers import incomplete_line

    rows = [row_values(row) for row in data.rows]
    # Tables whose problems were held back: "could not check", with the table and the reason.
    for t, note in held_back_rows(data.report.tables, data.analysis.held_back):
        cells: list[object] = ["", "not_checked", t.pages[0] if t.pages else "", "unchecked", "", "table_shape",
                               "", "", "", "", note, t.id]
        rows.append(cells + [""] * (len(COLUMNS) - len(cells)))
    if (line := incomplete_line(data.report)) is not None:
        rows.append([line, *([""] * (len(COLUMNS) - 1))])
    return csv_document(COLUMNS, rows)


def review_json(r: Review) -> dict[str, object]:
    return {"state": r.state, "reviewer": r.reviewer, "at": r.at, "disputed": r.disputed,
            "by_reviewer": dict(sorted(r.by_reviewer.items())),
            "notes": [{"text": n.text, "reviewer": n.reviewer, "at": n.at} for n in r.notes]}


def render_json(data: ExportData) -> dict[str, object]:
    """`crossfoot check --format json` (same document, same findings and ids) plus the review."""
    from crossfoot.render import findings_json

    doc = findings_json(data.analysis, data.include_all)
    by_key = {r.key: r for r in data.of("crossfoot")}
    findings = doc["findings"]
    assert isinstance(findings, list)
    for fj in findings:
        fj["review"] = review_json(by_key[fj["id"]].review)
    doc["manual"] = [{**r.finding.to_json(), "review": review_json(r.review)}
                     for r in data.of("manual") if r.finding is not None]
    doc["stale"] = [{"id": r.key, "review": review_json(r.review)} for r in data.of("stale")]
    doc["summary"] = summary(data)
    doc["export"] = {"by": data.exported_by, "at": data.exported_at, "review_db": data.review_db,
                     "crossfoot": __version__}
    doc["audit_trail"] = list(data.trail)
    return doc


def _event_json(e: Event) -> dict[str, object]:
    return {"id": e.id, "finding": e.finding, "kind": e.kind, "state": e.state, "note": e.note,
            "undoes": e.undoes, "reviewer": e.reviewer, "at": e.at, "version": e.version}


# -- command line ----------------------------------------------------------------------------------


def open_store_for_export(review_db: str | None, reviewer: str | None) -> ReviewStore | None:
    """The store to read, read-only, or None when the personal default does not exist yet (nothing
    reviewed). Export never writes to it, so a reviewer with read access only can export.

    A named --review-db must exist: a mistyped shared path must not export as "nothing reviewed".
    """
    if review_db:
        if not Path(review_db).expanduser().is_file():
            raise InputError(f"review database {clean_line(review_db)}: no such file")
        return ReviewStore.open(review_db, reviewer=reviewer, read_only=True)
    if not default_db_path(create_dir=False).is_file():
        return None
    return ReviewStore.open(None, reviewer=reviewer, read_only=True)


def export_report(opts: ExportOptions, report: Report) -> int:
    """`crossfoot export FILE [--format md|csv|xlsx|json] [-o OUT] [--all] [--review-db DB] [--reviewer]`.

    The format comes from --format, else from OUT's extension; a contradiction is refused before any work.
    """
    from crossfoot.fsutil import atomic_write_bytes, check_output_path
    from crossfoot.pipeline import analyse_cached
    from crossfoot.writers import FormatError, format_for_output

    out = opts.output
    try:
        fmt = format_for_output(out, opts.format or None, FORMATS, "md")
    except FormatError as e:
        raise InputError(str(e)) from None
    if fmt not in FORMATS:
        raise InputError(f"export cannot write {fmt} (formats: {', '.join(FORMATS)})")
    if fmt == "xlsx" and not out:
        raise InputError("--format xlsx needs -o FILE.xlsx (a workbook cannot go to standard output)")
    if out:
        check_output_path(Path(out), inputs=[Path(report.path)])
    store = open_store_for_export(opts.review_db, opts.reviewer)
    try:
        # Same findings as `check`, through the same cache; a password-protected report never is cached
        # (the caller passes use_cache False for it).
        analysis = analyse_cached(report, use_cache=opts.use_cache)
        data = export_bytes(analysis, store, fmt, include_all=opts.include_all, exported_by=opts.reviewer)
    finally:
        if store is not None:
            store.close()
    if out:
        atomic_write_bytes(Path(out), data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
