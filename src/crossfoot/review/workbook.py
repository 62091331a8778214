"""The XLSX working paper: a findings sheet, a summary sheet, and every table as printed.

Table sheets keep the printed text's look but hold numbers as numbers (so an auditor can re-foot
them with SUM), and the cells a finding rests on are filled and carry a comment naming it.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from crossfoot.findings import Finding
from crossfoot.model import Cell, Table, _looks_like_code
from crossfoot.review.rows import COLUMNS, ExportData, row_values, short_time, summary
from crossfoot.tables.trust import held_back_notes
from crossfoot.textsafe import clean
from crossfoot.writers import incomplete_line

FINDINGS_SHEET = "findings"
SUMMARY_SHEET = "summary"
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "bad" red
EVIDENCE_FILL = PatternFill("solid", fgColor="FFEB9C")  # Excel's "neutral" yellow
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
WIDTHS = {"id": 18, "quote": 50, "arithmetic": 50, "cells": 45, "notes": 45, "stated": 14, "expected": 14}


def render_xlsx(data: ExportData) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = FINDINGS_SHEET
    sheets = _sheet_names(data.report.tables)
    evidence = _evidence(data)
    _findings_sheet(ws, data, sheets)
    _summary_sheet(wb.create_sheet(SUMMARY_SHEET), data)
    for t in data.report.tables:
        _table_sheet(wb.create_sheet(sheets[t.id]), t, evidence.get(t.id, {}))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet_names(tables: tuple[Table, ...]) -> dict[str, str]:
    """Table id -> a valid, unique sheet name (<= 31 chars, none of []:*?/\\)."""
    names: dict[str, str] = {}
    used = {FINDINGS_SHEET, SUMMARY_SHEET}
    for t in tables:
        base = _BAD_SHEET_CHARS.sub("_", clean(f"{t.id} {t.code or t.title or ''}").strip())[:31].strip("' ")
        name, n = base or "table", 1
        while name.lower() in used:
            n += 1
            suffix = f"~{n}"
            name = base[: 31 - len(suffix)] + suffix
        used.add(name.lower())
        names[t.id] = name
    return names


def _evidence(data: ExportData) -> dict[str, dict[tuple[int, int], list[Finding]]]:
    """Table id -> (row, col) -> the exported findings resting on that cell."""
    out: dict[str, dict[tuple[int, int], list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for row in data.rows:
        if row.finding is None:
            continue
        for ref in row.finding.refs:
            out[ref.table][(ref.row, ref.col)].append(row.finding)
    return out


def _findings_sheet(ws: Worksheet, data: ExportData, sheets: dict[str, str]) -> None:
    ws.append(list(COLUMNS))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
    cells_col = COLUMNS.index("cells") + 1
    for row in data.rows:
        ws.append([_text(v) for v in row_values(row)])
        for c in ws[ws.max_row]:
            _as_text_if_formula(c)
        f = row.finding
        if f is not None and f.refs and f.refs[0].table in sheets:
            # Jump from the finding to its first evidence cell.
            ref = f.refs[0]
            t = data.report.table(ref.table)
            offset = len(t.header) if t is not None else 0
            target = f"{get_column_letter(ref.col + 1)}{offset + ref.row + 1}"
            link = ws.cell(row=ws.max_row, column=cells_col)
            # An internal location, not a "#..." target, which some readers treat as an external file.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheets[ref.table]}'!{target}",
                                       tooltip="show the evidence cell")
            link.font = Font(color="0563C1", underline="single")
    for j, name in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS.get(name, 11)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r in ws.iter_rows(min_row=2):
        for c in r:
            c.alignment = wrap
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions


def _summary_sheet(ws: Worksheet, data: ExportData) -> None:
    r = data.report
    rows: list[tuple[str, object]] = [
        ("report", Path(r.path).name), ("sha256", r.sha256), ("department", r.department or ""),
        ("year", r.year or ""), ("kind", r.kind), ("pages", r.n_pages), ("tables", len(r.tables)),
        ("unreadable pages", ", ".join(map(str, r.unreadable_pages()))),
        ("complete", incomplete_line(r) or "yes: every page was checked"),
        ("failed checks", ", ".join(data.analysis.failed_checks)),
        ("not checked (table shape)", "; ".join(held_back_notes(r.tables, data.analysis.held_back))),
        ("scope", "all findings" if data.include_all else "problems only"),
        ("exported by", data.exported_by), ("exported at", short_time(data.exported_at)),
        ("review database", data.review_db or ""),
    ]
    for group, counts in summary(data).items():
        rows += [(f"{group}: {k}", v) for k, v in counts.items()]
    for k, v in rows:
        ws.append([k, _text(v)])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        _as_text_if_formula(ws.cell(row=ws.max_row, column=2))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70


def _table_sheet(ws: Worksheet, t: Table, evidence: dict[tuple[int, int], list[Finding]]) -> None:
    title = " ".join(x for x in (t.code, t.title) if x)
    for hrow in t.header:
        ws.append([_text(h) for h in hrow])
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
            c.fill = HEADER_FILL
            c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            _as_text_if_formula(c)
    offset = len(t.header)
    for i, row in enumerate(t.rows):
        label_part = True
        for j, cell in enumerate(row):
            xc = ws.cell(row=offset + i + 1, column=j + 1)
            value, fmt, label_part = _cell_value(cell, label_part)
            xc.value = _text(value)
            _as_text_if_formula(xc)
            if fmt:
                xc.number_format = fmt
            found = evidence.get((i, j))
            if found:
                problem = any(f.is_problem for f in found)
                xc.fill = PROBLEM_FILL if problem else EVIDENCE_FILL
                text = "\n".join(f"{f.key} {f.check} ({f.verdict}, p{f.page or '?'}): {f.message}"[:300]
                                 for f in found)
                xc.comment = Comment(_text(text), "crossfoot", width=360, height=120)
    for j in range(t.n_cols):
        ws.column_dimensions[get_column_letter(j + 1)].width = 28 if j == 0 else 14
    if offset:
        ws.freeze_panes = ws.cell(row=offset + 1, column=1)
    footer = [f"{title} · unit {t.unit or '?'} · pages {', '.join(map(str, t.pages))}", *t.notes]
    ws.append([])
    for line in footer:
        ws.append([_text(line)])
        _as_text_if_formula(ws.cell(row=ws.max_row, column=1))


def _text(v: object) -> object:
    """A string as a spreadsheet may hold it: openpyxl refuses control characters (IllegalCharacterError),
    and report text or a reviewer's note may carry them. They become visible markers (textsafe)."""
    return clean(v) if isinstance(v, str) else v


def _as_text_if_formula(c: XlCell) -> None:
    """openpyxl stores any string starting with '=' as a formula; text from a report must stay text."""
    if c.data_type == "f":
        c.data_type = "s"


def _cell_value(cell: Cell, label_part: bool) -> tuple[object, str | None, bool]:
    """(value to write, number format, still in the row's label cells).

    Leading codes (201, 20101...) are labels, as in Table.row_label: kept as text so 2010101 is not
    shown as 2.01E+06. A figure whose text has no digit (a Chinese numeral) stays text too.
    """
    text = cell.text
    num = cell.num
    if num is None or not any(ch.isdigit() for ch in text) or num.unit not in (None, "%"):
        return text, None, label_part and (num is None or not text.strip())
    if label_part and _looks_like_code(text.strip()):
        return text, None, True
    decimals = max(num.decimals, 0)
    frac = "." + "0" * decimals if decimals else ""
    grouping = "#,##0" if ("," in text or "，" in text) else "0"
    if num.unit == "%":
        return float(num.value / Decimal(100)), f"{grouping}{frac}%", False
    value: object = int(num.value) if decimals == 0 and num.value == num.value.to_integral_value() \
        else float(num.value)
    return value, f"{grouping}{frac}", False
