"""类/款/项 classification codes printed over several columns, joined into one code column."""

from __future__ import annotations

from collections.abc import Sequence

from crossfoot.knowledge import words
from crossfoot.model import Cell

# The 类 | 款 | 项 header labels (the lexicon's subject levels, in that order) and the joined column's label.
_LEI, _KUAN, _XIANG = words("rows.subject_levels")
_CODE_COLUMN = words("ingest.code_column")[0]


def code_columns(header: list[list[str]]) -> tuple[int, int] | None:
    for hrow in header:
        norm = [t.replace(" ", "") for t in hrow]
        for j in range(len(norm) - 1):
            if norm[j] == _LEI and norm[j + 1] == _KUAN:
                end = j + 3 if j + 2 < len(norm) and norm[j + 2] == _XIANG else j + 2
                return j, end
    return None


def lift_code_labels(header: list[list[str]],
                      body: list[list[Cell]]) -> tuple[list[list[str]], list[list[Cell]]]:
    """A 类 | 款 | 项 row printed in the body (often on the 合计 row) is header: the three labels go
    up into a header row of their own, the rest of the row stays a body row."""
    if code_columns(header) is not None:
        return header, body
    for i, row in enumerate(body[:2]):
        span = code_columns([[c.text for c in row]])
        if span is None:
            continue
        a, b = span
        n = len(row)
        header = [*header, [row[j].text if a <= j < b else "" for j in range(n)]]
        rest = [Cell("", c.page, c.bbox) if a <= j < b else c for j, c in enumerate(row)]
        body = body[:i] + ([rest] if any(c.text.strip() for c in rest) else []) + body[i + 1:]
        return header, body
    return header, body


def join_code_parts(parts: Sequence[str]) -> str:
    """类/款/项 code parts into one code by their role: a 款 or 项 part is two digits (a 款 printed
    "2" is 02), a part printed as the full code (20106 under 201) replaces the prefix."""
    digits = [p.replace(" ", "") for p in parts]
    if not all(p.isdigit() for p in digits if p):
        return "".join(digits)
    code = ""
    for p in digits:
        if not p:
            continue
        if code and p.startswith(code) and len(p) > len(code):
            code = p
        elif code:
            code += p.zfill(2) if len(p) <= 2 else p
        else:
            code = p
    return code


def join_codes(header: list[list[str]], body: list[list[Cell]]) -> tuple[list[list[str]], list[list[Cell]]]:
    # Side-by-side groups (人员经费 | 公用经费) each have their own 类 | 款 columns: join every span,
    # rightmost first so the indexes of the others hold.
    for span in sorted(_code_spans(header), reverse=True):
        header, body = _join_span(header, body, span)
    return header, body


def _code_spans(header: list[list[str]]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for hrow in header:
        norm = [t.replace(" ", "") for t in hrow]
        for j in range(len(norm) - 1):
            if norm[j] == _LEI and norm[j + 1] == _KUAN and not any(a <= j < b for a, b in spans):
                spans.append((j, j + 3 if j + 2 < len(norm) and norm[j + 2] == _XIANG else j + 2))
    return spans


def _join_span(header: list[list[str]], body: list[list[Cell]],
               span: tuple[int, int]) -> tuple[list[list[str]], list[list[Cell]]]:
    a, b = span
    new_header: list[list[str]] = []
    for r, hrow in enumerate(header):
        parts = [t.replace(" ", "") for t in hrow[a:b]]
        label = (new_header[r - 1][a] if r > 0 else _CODE_COLUMN) if parts[:2] == [_LEI, _KUAN] else hrow[a]
        new_header.append([*hrow[:a], label, *hrow[b:]])
    new_body: list[list[Cell]] = []
    for row in body:
        cells = row[a:b]
        text = join_code_parts([c.text for c in cells])
        boxes = [c.bbox for c in cells if c.bbox is not None]
        bbox = (min(x[0] for x in boxes), min(x[1] for x in boxes), max(x[2] for x in boxes),
                max(x[3] for x in boxes)) if boxes else None
        new_body.append([*row[:a], Cell(text, cells[0].page, bbox), *row[b:]])
    return new_header, new_body
