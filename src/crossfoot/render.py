"""Plain renderings of the model and of findings: text for people, JSON for tools, Markdown, CSV."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from crossfoot import __version__
from crossfoot.findings import Finding, link_coverage
from crossfoot.model import Report, Table

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
            "unreadable_pages": list(report.unreadable_pages()), "notes": list(report.notes)}


def table_json(t: Table, with_rows: bool = True) -> dict[str, object]:
    d: dict[str, object] = {"id": t.id, "code": t.code, "title": t.title, "unit": t.unit, "pages": list(t.pages)}
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
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


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
    return out.getvalue()


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
        "findings": [f.to_json() for f in _visible(analysis, include_all)],
    }
    if include_all:
        out["coverage"] = link_coverage(analysis.links)
        out["links"] = [x.to_json() for x in analysis.links]
    return out


def coverage_line(c: dict[str, int]) -> str:
    return (f"links: {c['figures']} narrative figures — {c['linked']} tied to a cell ({c['held']} hold, "
            f"{c['differed']} differ), {c['unlinked']} unlinked (?: not checked)")


VERDICT_MARK = {"inconsistent": "✗", "rounding": "≈", "consistent": "✓", "unchecked": "?"}


def _refs_text(f: Finding) -> str:
    return "; ".join(f"{r.table} «{r.label}» [{r.column}] = {r.value} (p{r.page})" for r in f.refs)


def r_table(analysis: Analysis, table_id: str) -> Table | None:
    return analysis.report.table(table_id)


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
    w(f"{len(problems)} problems (high {by_sev['high']}, medium {by_sev['medium']}, low {by_sev['low']})"
      f", {len(analysis.findings) - len(problems)} figures checked and holding\n")
    if r.unreadable_pages():
        w(f"not checked: unreadable pages {', '.join(map(str, r.unreadable_pages()))}\n")
        for p in r.pages:
            if not p.readable and p.note:
                w(f"  p{p.number}: {p.note}\n")
    if analysis.failed_checks:
        w(f"checks that failed to run: {', '.join(analysis.failed_checks)}\n")
    if r.kind == "unknown":
        w("kind unknown: not a 决算/预算/绩效 report crossfoot knows; only generic checks are asserted\n")
    if analysis.held_back:
        shaky = sorted({r.table for f in analysis.held_back for r in f.refs
                        if (t := r_table(analysis, r.table)) is not None and t.uncertain})
        on_shaky = [f for f in analysis.held_back if any(x.table in shaky for x in f.refs)]
        if shaky:
            w(f"held back: {len(on_shaky)} possible problems rest on tables whose parse is uncertain "
              f"({', '.join(shaky)}); check those tables by eye\n")
        if r.kind == "unknown":
            w(f"held back: {len(analysis.held_back) - len(on_shaky)} possible problems rest on tables no "
              "standard form fits\n")
    page: int | None = -1
    for f in fs:
        if f.page != page:
            page = f.page
            w(f"\n── page {page if page else '?'} " + "─" * 40 + "\n")
        conf = " (low confidence)" if f.confidence == "low" and f.is_problem else ""
        w(f"{VERDICT_MARK[f.verdict]} [{f.severity}]{conf} {f.check}: {f.quote}\n")
        w(f"    stated {f.stated} · expected {f.expected}\n    {f.message}\n")
        if f.refs:
            w(f"    cells: {_refs_text(f)}\n")
    if not fs:
        w("\nno problems found\n" if not include_all else "\nnothing checked\n")
    if include_all and analysis.links:
        w(f"\n{coverage_line(link_coverage(analysis.links))}\n")
        for x in analysis.links:
            if x.state == "unlinked":
                w(f"? p{x.page} {x.figure} «{x.label or '?'}»: not tied to any table cell, not checked\n")
    return out.getvalue()


def findings_md(analysis: Analysis, include_all: bool) -> str:
    r = analysis.report
    lines = [f"# crossfoot findings: {r.department or r.path}", "",
             f"- file: `{r.path}` (sha256 `{r.sha256[:16]}…`)", f"- {r.year or '?'} · {r.kind} · "
             f"{r.n_pages} pages · {len(r.tables)} tables", "",
             "| page | verdict | severity | check | quote | stated | expected | arithmetic | cells |",
             "|---|---|---|---|---|---|---|---|---|"]
    for f in _visible(analysis, include_all):
        cells = [str(f.page or ""), f.verdict, f.severity, f.check, f.quote, f.stated, f.expected, f.message,
                 _refs_text(f)]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    if include_all and analysis.links:
        lines += ["", f"- {coverage_line(link_coverage(analysis.links))}"]
    return "\n".join(lines) + "\n"


def findings_csv(analysis: Analysis, include_all: bool) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "page", "verdict", "severity", "check", "quote", "stated", "expected", "message", "cells"])
    for f in _visible(analysis, include_all):
        w.writerow([f.key, f.page or "", f.verdict, f.severity, f.check, f.quote, f.stated, f.expected,
                    f.message, _refs_text(f)])
    if include_all and analysis.links:
        # Unlinked figures as rows of their own: never shown as holding, never as wrong.
        for x in analysis.links:
            if x.state == "unlinked":
                w.writerow(["", x.page, "unlinked", "none", "link", x.label, x.figure, "",
                            "not tied to any table cell: not checked", ""])
        w.writerow(["", "", "coverage", "none", "link", "", "", "",
                    coverage_line(link_coverage(analysis.links)), ""])
    return "\ufeff" + out.getvalue()  # BOM: Excel and WPS read UTF-8 CSV correctly only with it


def render_findings(analysis: Analysis, fmt: str, include_all: bool = False) -> str:
    if fmt == "json":
        return json.dumps(findings_json(analysis, include_all), ensure_ascii=False, indent=1) + "\n"
    if fmt == "md":
        return findings_md(analysis, include_all)
    if fmt == "csv":
        return findings_csv(analysis, include_all)
    return findings_text(analysis, include_all)
