"""The output layer shared by `check` (render.py) and `export` (review/): one row model for a finding,
one CSV writer, one Markdown escaper, one "incomplete" line, one table of formats by file extension.

Everything a report wrote is untrusted here: a CSV cell may hold a spreadsheet formula, a Markdown cell
HTML or a link, any string a terminal control (see textsafe).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from crossfoot.textsafe import clean

if TYPE_CHECKING:  # `check` settles its output format before the page workers start; the model loads after
    from crossfoot.findings import Finding
    from crossfoot.model import Report

# The finding part of every tabular output (check --format csv, export csv and xlsx), in this order.
FINDING_COLUMNS: tuple[str, ...] = (
    "id", "page", "verdict", "severity", "check", "confidence", "quote", "stated", "expected",
    "arithmetic", "cells",
)

# Output formats by file extension. "pdf" is the marked-up report (review/annotate.py), written by export only.
EXTENSION_FORMATS: dict[str, str] = {
    ".md": "md", ".markdown": "md", ".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".txt": "text",
    ".parquet": "parquet", ".pdf": "pdf",
}


def refs_text(f: Finding) -> str:
    return "; ".join(f"{r.table} «{r.label}» [{r.column}] = {r.value} (p{r.page})" for r in f.refs)


def finding_values(f: Finding) -> list[object]:
    """A finding in FINDING_COLUMNS order; page as int (or '') so spreadsheets sort it as a number."""
    return [f.key, f.page if f.page is not None else "", f.verdict, f.severity, f.check, f.confidence,
            f.quote, f.stated, f.expected, f.message, refs_text(f)]


def incomplete_line(report: Report) -> str | None:
    """'incomplete: N of M pages not checked (pages …)' when pages were skipped or unreadable."""
    bad = report.unreadable_pages()
    if not bad:
        return None
    return (f"incomplete: {len(bad)} of {report.n_pages} pages not checked "
            f"(pages {', '.join(map(str, bad))})")


# -- CSV ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?[\d,.]+%?$")


def csv_safe(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (the report is untrusted input).

    Excel and WPS evaluate a CSV field starting with = + - @ (or a tab/CR); a leading apostrophe
    makes it text. A signed number ("-12.5") is left alone: it is data, and harmless.
    """
    if not isinstance(value, str):
        return value
    value = clean(value)
    if not value or value[0] not in "=+-@\t\r\u2409\u240d":
        return value
    if value[0] in "+-" and (_NUMBER.match(value) or value.strip("-") == ""):
        return value
    return "'" + value


def csv_document(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The one CSV writer: formulas neutralised, controls made visible, UTF-8 BOM for Excel and WPS."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(header)
    for row in rows:
        w.writerow([csv_safe(v) for v in row])
    return "\ufeff" + out.getvalue()  # BOM: Excel and WPS read UTF-8 CSV correctly only with it


# -- Markdown ----------------------------------------------------------------------------------------

# Markdown syntax report text must not start: code (`), emphasis (* _ ~), table cells (|), escapes (\\),
# and links or images, which need "](" / "][" after a bracket (brackets alone stay readable: 《[本年收入]》).
# HTML becomes entities, so report text is never a tag or an <autolink>.
_MD_SPECIAL = re.compile(r"([\\`*_|~])")
_MD_LINK = re.compile(r"(\]\s*)([(\[])|!(?=\[)")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def md_escape(text: object) -> str:
    """Report text as literal Markdown on one line: no HTML, no link, no table break, no controls."""
    s = " ".join(clean(str(text)).split())
    s = "".join(_MD_ENTITIES.get(ch, ch) for ch in s)
    s = _MD_SPECIAL.sub(r"\\\1", s)
    s = _MD_LINK.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) is not None else "\\!", s)
    # Bare URLs are autolinked by GFM: break the scheme so they stay text.
    return re.sub(r"(?i)\b(https?|ftp|file|mailto|javascript|data):", r"\1&#58;", s).replace("www.", "www&#46;")


# -- formats -----------------------------------------------------------------------------------------


class FormatError(ValueError):
    """A format that does not fit the output file; str(e) is the one-line message."""


def format_for_output(output: str | None, given: str | None, allowed: Sequence[str], default: str) -> str:
    """The format to write: the one given, else the output file's extension, else default.

    A given format that contradicts the extension is refused: x.xlsx never holds Markdown.
    """
    ext_fmt = EXTENSION_FORMATS.get(Path(output).suffix.lower()) if output else None
    if given is not None:
        if ext_fmt is not None and ext_fmt != given:
            raise FormatError(f"{clean(str(output))}: the extension says {ext_fmt}, --format says {given}; "
                              "make them agree")
        return given
    if ext_fmt is None:
        return default
    if ext_fmt not in allowed:
        if ext_fmt == "pdf":
            raise FormatError(f"{clean(str(output))}: a marked-up PDF is written by `crossfoot export`")
        raise FormatError(f"{clean(str(output))}: cannot write {ext_fmt} here (formats: {', '.join(allowed)})")
    return ext_fmt
