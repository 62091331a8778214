"""Plain renderings of the model and of findings: text for people, JSON for tools, Markdown, CSV."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot import __version__
from crossfoot.findings import CellRef, Finding, link_coverage
from crossfoot.linebreak import wrap
from crossfoot.model import Report, Table
from crossfoot.tables.trust import held_back_notes, held_back_rows
from crossfoot.textsafe import clean, control_notes, json_safe
from crossfoot.writers import (
    FINDING_COLUMNS,
    csv_document,
    finding_values,
    incomplete_line,
    md_escape,
    refs_text,
)

if TYPE_CHECKING:
    from crossfoot.pipeline import Analysis


def _num_json(v: Decimal | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if v == v.to_integral_value() and "." not in str(v) else float(v)


def _bbox(b: tuple[float, float, float, float] | None) -> list[float] | None:
    # Points to two decimals: finer than print, and readable.
    return [round(float(x), 2) for x in b] if b else None


def document_json(report: Report) -> dict[str, object]:
    return {"path": report.path, "sha256": report.sha256, "pages": report.n_pages, "kind": report.kind,
            "department": report.department, "year": report.year, "unit": report.unit,
            "unreadable_pages": list(report.unreadable_pages()), "complete": not report.unreadable_pages(),
            "incomplete": incomplete_line(report), "notes": list(report.notes)}


def table_json(t: Table, with_rows: bool = True) -> dict[str, object]:
    d: dict[str, object] = {"id": t.id, "code": t.code, "title": t.title, "unit": t.unit, "pages": list(t.pages),
                            "confidence": t.confidence, "uncertain": t.uncertain}
    if with_rows:
        d["header"] = [list(h) for h in t.header]
        d["columns"] = list(t.columns)
        d["header_tree"] = t.header_tree()
        d["rows"] = [[{"text": c.text, "value": _num_json(c.value), "page": c.page,
                       "bbox": _bbox(c.bbox)} for c in row] for row in t.rows]
        d["notes"] = list(t.notes)
    else:
        d["rows"] = len(t.rows)
        d["cols"] = t.n_cols
    return d


def dump_json(report: Report) -> str:
    doc = {
        "crossfoot": __version__,
        "document": document_json(report),
        "tables": [table_json(t) for t in report.tables],
        "blocks": [{"page": b.page, "bbox": _bbox(b.bbox), "text": b.text}
                   for b in report.blocks],
    }
    return json_safe(json.dumps(doc, ensure_ascii=False, indent=1)) + "\n"


def dump_text(report: Report) -> str:
    out = io.StringIO()
    w = out.write
    w(f"{report.path}\n  sha256 {report.sha256}\n  {report.n_pages} pages · kind {report.kind} · "
      f"department {report.department or '?'} · year {report.year or '?'} · unit {report.unit or '?'}\n")
    for n in report.notes:
        w(f"  note: {n}\n")
    if report.unreadable_pages():
        w(f"  unreadable pages: {', '.join(map(str, report.unreadable_pages()))}\n")
    w(f"\n{len(report.tables)} tables\n")
    for t in report.tables:
        pages = f"p{t.pages[0]}" + (f"-{t.pages[-1]}" if len(t.pages) > 1 else "")
        w(f"\n== {t.id} {t.code or ''} {t.title or '(untitled)'} · unit {t.unit or '?'} · {pages} · "
          f"{len(t.rows)} rows × {t.n_cols} cols\n")
        w("   columns: " + " | ".join(t.columns) + "\n")
        for i, row in enumerate(t.rows):
            w(f"   {i:3d}: " + " | ".join(c.text for c in row) + "\n")
        for n in t.notes:
            w(f"   note: {n}\n")
    w(f"\n{len(report.blocks)} narrative blocks\n")
    for b in report.blocks:
        w(f"[p{b.page}] {b.text}\n")
    if (line := incomplete_line(report)) is not None:
        w(f"\n{line}\n")
    # A cached parse or a text export reaches here without ingest's cleaning: the terminal is protected here.
    return clean(out.getvalue())


def _visible(analysis: Analysis, include_all: bool) -> list[Finding]:
    return [f for f in analysis.findings if include_all or f.verdict == "inconsistent"]


def findings_json(analysis: Analysis, include_all: bool) -> dict[str, object]:
    r = analysis.report
    doc = document_json(r)
    doc["tables"] = [table_json(t, with_rows=False) for t in r.tables]
    out: dict[str, object] = {
        "crossfoot": __version__,
        "document": doc,
        "failed_checks": list(analysis.failed_checks),
        "held_back": [f.to_json() for f in analysis.held_back],
        "not_checked": held_back_notes(r.tables, analysis.held_back),
        "findings": [f.to_json() for f in _visible(analysis, include_all)],
    }
    if include_all:
        out["coverage"] = link_coverage(analysis.links)
        out["links"] = [x.to_json() for x in analysis.links]
    return out


def coverage_line(c: dict[str, int]) -> str:
    return (f"links: {c['figures']} narrative figures — {c['linked']} tied to a cell ({c['held']} hold, "
            f"{c['differed']} differ), {c['unlinked']} unlinked (?: not checked)")


TEXT_WIDTH = 80  # the text report fits a standard terminal
VERDICT_MARK = {"inconsistent": "✗", "rounding": "≈", "consistent": "✓", "unchecked": "?"}


def _ref_text(r: CellRef) -> str:
    return f"{r.table} «{r.label}» [{r.column}] = {r.value or 'blank'} (p{r.page})"



def findings_text(analysis: Analysis, include_all: bool) -> str:
    r = analysis.report
    fs = _visible(analysis, include_all)
    problems = [f for f in analysis.findings if f.is_problem]
    out = io.StringIO()
    w = out.write
    w(f"{r.path}\n{r.department or '?'} · {r.year or '?'} · {r.kind} · {r.n_pages} pages · "
      f"{len(r.tables)} tables\n")
    by_sev: dict[str, int] = defaultdict(int)
    for f in problems:
        by_sev[f.severity] += 1
    # "Could not check" findings (a score rule over an actual that is no number) are not holding.
    unchecked = sum(1 for f in analysis.findings if f.verdict == "unchecked")
    w(f"{len(problems)} problems (high {by_sev['high']}, medium {by_sev['medium']}, low {by_sev['low']})"
      f", {len(analysis.findings) - len(problems) - unchecked} figures checked and holding"
      + (f", {unchecked} could not be checked" if unchecked else "") + "\n")
    if (line := incomplete_line(r)) is not None:
        w(f"{line}\n")
        for p in r.pages:
            if not p.readable and p.note:
                w(f"  p{p.number}: {p.note}\n")
    for n in control_notes(r.notes):
        w(f"note: {n}\n")
    if analysis.failed_checks:
        w(f"checks that failed to run: {', '.join(analysis.failed_checks)}\n")
    if r.kind == "unknown":
        w("kind unknown: not a 决算/预算/绩效 report crossfoot knows; only generic checks are asserted\n")
    if analysis.held_back:
        notes = held_back_notes(r.tables, analysis.held_back)
        if notes:
            w(f"held back: {len(analysis.held_back)} possible problems rest on tables whose shape could not be read "
              f"reliably; check those tables by eye:\n")
            for note in notes:
                w(f"  {note}\n")
        doubtful = {t.id for t in r.tables if t.uncertain}
        unformed = [f for f in analysis.held_back if not any(x.table in doubtful for x in f.refs)]
        if r.kind == "unknown" and unformed:
            w(f"held back: {len(unformed)} possible problems rest on tables no standard form fits\n")
    page: int | None = -1
    for f in fs:
        if f.page != page:
            page = f.page
            w(f"\n── page {page if page else '?'} " + "─" * 40 + "\n")
        conf = " (low confidence)" if f.confidence == "low" and f.is_problem else ""
        # Fits 80 columns: long quotes, arithmetic and cell lists wrap (never inside a number).
        w(wrap(f"{VERDICT_MARK[f.verdict]} [{f.severity}]{conf} {f.check}: {f.quote}", TEXT_WIDTH, "    ") + "\n")
        w("    " + wrap(f"stated {f.stated} · expected {f.expected}", TEXT_WIDTH, "    ") + "\n")
        w("    " + wrap(f.message, TEXT_WIDTH, "    ") + "\n")
        for k, ref in enumerate(f.refs):
            head = "    cells: " if k == 0 else " " * 11
            w(head + wrap(_ref_text(ref), TEXT_WIDTH, " " * 11) + "\n")
    if not fs:
        none = "nothing checked" if include_all else "no problems found"
        w(f"\n{none}{' on the pages that could be read' if r.unreadable_pages() else ''}\n")
    if include_all and analysis.links:
        w(f"\n{coverage_line(link_coverage(analysis.links))}\n")
        for x in analysis.links:
            if x.state == "unlinked":
                w(f"? p{x.page} {x.figure} «{x.label or '?'}»: not tied to any table cell, not checked\n")
    if (line := incomplete_line(r)) is not None:
        w(f"\n{line}\n")  # last too: the line a reader of a long listing sees
    return clean(out.getvalue())


def findings_md(analysis: Analysis, include_all: bool) -> str:
    r = analysis.report
    lines = [f"# crossfoot findings: {md_escape(r.department or r.path)}", "",
             f"- file: {md_escape(r.path)} (sha256 `{r.sha256[:16]}…`)", f"- {r.year or '?'} · {r.kind} · "
             f"{r.n_pages} pages · {len(r.tables)} tables", ""]
    if (line := incomplete_line(r)) is not None:
        lines += [f"**{line}**", ""]
    lines += [*(f"- note: {md_escape(n)}" for n in control_notes(r.notes)), ""] if control_notes(r.notes) else []
    lines += [
             "| page | verdict | severity | check | quote | stated | expected | arithmetic | cells |",
             "|---|---|---|---|---|---|---|---|---|"]
    for f in _visible(analysis, include_all):
        cells = [str(f.page or ""), f.verdict, f.severity, f.check, f.quote, f.stated, f.expected, f.message,
                 refs_text(f)]
        lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
    notes = held_back_notes(r.tables, analysis.held_back)
    if notes:
        lines += ["", "## Not checked: tables whose shape could not be read reliably", ""]
        lines += [f"- {md_escape(n)}" for n in notes]
    if include_all and analysis.links:
        lines += ["", f"- {coverage_line(link_coverage(analysis.links))}"]
    return "\n".join(lines) + "\n"


def findings_csv(analysis: Analysis, include_all: bool) -> str:
    rows = [finding_values(f) for f in _visible(analysis, include_all)]
    # Tables whose checks were held back: "could not check", never a verdict of their own.
    for t, note in held_back_rows(analysis.report.tables, analysis.held_back):
        row: list[object] = [""] * len(FINDING_COLUMNS)
        row[1], row[2], row[4], row[9], row[10] = (t.pages[0] if t.pages else ""), "unchecked", "table_shape", note, t.id
        rows.append(row)
    if include_all and analysis.links:
        # Unlinked figures as rows of their own: never shown as holding, never as wrong.
        col = {name: k for k, name in enumerate(FINDING_COLUMNS)}
        for x in analysis.links:
            if x.state == "unlinked":
                row = [""] * len(FINDING_COLUMNS)
                row[col["page"]], row[col["verdict"]], row[col["severity"]], row[col["check"]] = x.page, "unlinked", "none", "link"
                row[col["quote"]], row[col["stated"]] = x.label, x.figure
                row[col["arithmetic"]] = "not tied to any table cell: not checked"
                rows.append(row)
        row = [""] * len(FINDING_COLUMNS)
        row[col["verdict"]], row[col["severity"]], row[col["check"]] = "coverage", "none", "link"
        row[col["arithmetic"]] = coverage_line(link_coverage(analysis.links))
        rows.append(row)
    if (line := incomplete_line(analysis.report)) is not None:
        # A row a spreadsheet reader cannot miss, in the id column, with no verdict.
        rows.append([line, *([""] * (len(FINDING_COLUMNS) - 1))])
    return csv_document(FINDING_COLUMNS, rows)


def render_findings(analysis: Analysis, fmt: str, include_all: bool = False) -> str:
    if fmt == "json":
        return json_safe(json.dumps(findings_json(analysis, include_all), ensure_ascii=False, indent=1)) + "\n"
    if fmt == "md":
        return findings_md(analysis, include_all)
    if fmt == "csv":
        return findings_csv(analysis, include_all)
    return findings_text(analysis, include_all)
