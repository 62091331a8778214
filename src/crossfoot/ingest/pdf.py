"""One PDF page into lines and ruled-table grids (a PagePart), in a page worker.

parse_page is what a page worker runs (crossfoot.ingest.pages runs the workers and assembles the
report); the open PDF is cached per process so a worker opens the file once, not per page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from crossfoot.errors import CorruptPDF
from crossfoot.ingest.budget import (
    DEFAULT_PAGE_OBJECTS,
    DEFAULT_PAGE_SECONDS,
    MEMORY_MB_ENV,
    PAGE_OBJECTS_ENV,
    PAGE_SECONDS_ENV,
    _env_number,
    _PageOverBudget,
    _time_budget,
)
from crossfoot.ingest.layout import Char, build_lines, group_lines, text_of
from crossfoot.ingest.raw import PagePart, RawCell, RawTable
from crossfoot.ingest.rowsplit import split_boxes
from crossfoot.ingest.visible import dedupe, invisible_rect, visible_chars
from crossfoot.knowledge import words
from crossfoot.textsafe import clean, clean_line, control_note, count_unsafe

if TYPE_CHECKING:
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.pdf import PDF


DEFAULT_JOBS = 2
# Ruled tables first; a table drawn with horizontal rules only gets its columns from text alignment.
LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


_OPEN: dict[tuple[str, str | None], PDF] = {}


def _open(path: str, password: str | None) -> PDF:
    key = (path, password)
    pdf = _OPEN.get(key)
    if pdf is None:
        from crossfoot.ingest.guard import open_pdf

        for old in _OPEN.values():  # one file per process at a time: release the previous one
            old.close()
        _OPEN.clear()
        pdf = open_pdf(Path(path), password)
        _OPEN[key] = pdf
    return pdf


def _close_all() -> None:
    for pdf in _OPEN.values():
        pdf.close()
    _OPEN.clear()


def _clusters(values: Sequence[float], tol: float = 1.5) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(bounds: Sequence[float], v: float) -> int:
    """The index of the bound nearest to v (the lower one on a tie); bounds ascend."""
    i = bisect_left(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds):
        return i - 1
    return i - 1 if abs(bounds[i - 1] - v) <= abs(bounds[i] - v) else i


def _inside(c: Char, bbox: tuple[float, float, float, float]) -> bool:
    x = (float(c["x0"]) + float(c["x1"])) / 2
    y = (float(c["top"]) + float(c["bottom"])) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _raw_table(page_no: int, cell_boxes: Sequence[tuple[float, float, float, float]],
               chars: Sequence[Char]) -> RawTable | None:
    if len(cell_boxes) < 2:
        return None
    xs = _clusters([b[0] for b in cell_boxes] + [b[2] for b in cell_boxes])
    ys = _clusters([b[1] for b in cell_boxes] + [b[3] for b in cell_boxes])
    if len(xs) < 2 or len(ys) < 2:
        return None
    # Chars go to cells by their centre; sorted by y so each cell scans only its row band.
    centred = sorted(((float(c["top"]) + float(c["bottom"])) / 2, i) for i, c in enumerate(chars))
    ys_sorted = [y for y, _ in centred]
    # x centres once per char, as _inside computes them, rather than once per char and cell box.
    xs_centre = [(float(c["x0"]) + float(c["x1"])) / 2 for c in chars]
    cells: list[RawCell] = []
    for b in cell_boxes:
        lo, hi = bisect_left(ys_sorted, b[1]), bisect_right(ys_sorted, b[3])
        bx0, by0, bx1, by1 = b[0], b[1], b[2], b[3]
        mine = [chars[i] for y, i in centred[lo:hi] if bx0 <= xs_centre[i] <= bx1 and by0 <= y <= by1]
        ink = (min(float(c["x0"]) for c in mine), max(float(c["x1"]) for c in mine)) if mine else None
        cells.append(RawCell(text=text_of(mine), bbox=(b[0], b[1], b[2], b[3]), r0=_index(ys, b[1]),
                             r1=_index(ys, b[3]), c0=_index(xs, b[0]), c1=_index(xs, b[2]), ink=ink))
    cells = [c for c in cells if c.r1 > c.r0 and c.c1 > c.c0]
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    return RawTable(page=page_no, bbox=bbox, n_rows=len(ys) - 1, n_cols=len(xs) - 1, cells=tuple(cells),
                    col_x=tuple(xs))


def _box(c: Sequence[float]) -> tuple[float, float, float, float]:
    return (float(c[0]), float(c[1]), float(c[2]), float(c[3]))


def _same_table(seen: Sequence[float], first: Sequence[float], chars: Sequence[Char], tol: float = 3.0) -> bool:
    """The table read from visible rules is the first reading's table: the same frame, or one that
    leaves out only caption and note lines (a title and 单位 line drawn in white cells)."""
    from crossfoot.ingest.tables import is_caption_line, is_note_line

    if abs(seen[0] - first[0]) > tol or abs(seen[2] - first[2]) > tol:
        return False
    if seen[1] < first[1] - tol or seen[3] > first[3] + tol:
        return False
    left_out = [c for c in chars if seen[0] <= (float(c["x0"]) + float(c["x1"])) / 2 <= seen[2]
                and str(c.get("text", "")).strip()
                and (first[1] <= float(c["top"]) < seen[1] - 1 or seen[3] + 1 < float(c["bottom"]) <= first[3])]
    return all(is_caption_line(ln.text) or is_note_line(ln.text) for ln in build_lines(left_out, 0))


def _find_tables(page: PlumberPage, chars: Sequence[Char]) -> list[RawTable]:
    found = page.find_tables(LINES)
    if any(invisible_rect(r) for r in page.rects):
        # Read again without the invisible rects' edges: a table found with the same frame is read
        # from its visible rules; where those edges were part of a table's frame (it comes out
        # smaller or not at all), the first reading stays.
        seen = page.filter(lambda obj: not invisible_rect(obj)).find_tables(LINES)
        found = [next((s for s in seen if _same_table(s.bbox, f.bbox, chars)), f) for f in found]
    tables = [t for t in (_raw_table(page.page_number, [_box(c) for c in f.cells], chars) for f in found) if t]
    # Body rows left unruled inside a ruled frame: one row per line of amounts (crossfoot.ingest.rowsplit).
    tables = [_raw_table(t.page, boxes, chars) or t if (boxes := split_boxes(t, chars)) else t for t in tables]
    tables = [t for t in tables if t.n_cols >= 2 or t.n_rows >= 2]
    if tables:
        return [_with_row_above(t, chars) for t in tables]
    return _hrule_tables(page, chars)


# An amount with decimals or a 类/款/项 code (3, 5 or 7 digits): not a year, not a page number.
_AMOUNT_OR_CODE = re.compile(r"-?\d[\d,]*\.\d+|\d{3}|\d{5}|\d{7}")


# The title noun (表) ending a caption cell such as 公开01表.
_TABLE = words("ingest.table_noun")


def _with_row_above(t: RawTable, chars: Sequence[Char]) -> RawTable:
    """A row printed right above a table's frame, its text in the table's columns with an amount or
    code among it, is the table's first row: at a page break the row's top rule stays on the
    previous page (the row would otherwise read as the table's caption)."""
    x0, top, x1, _ = t.bbox
    near = [c for c in chars if str(c.get("text", "")).strip() and x0 <= (float(c["x0"]) + float(c["x1"])) / 2 <= x1
            and top - 30 <= float(c["bottom"]) <= top + 1]
    if not near or t.n_cols < 2:
        return t
    # The lowest line, and the lines above it that touch it: a row whose cells wrap, with its amount
    # centred between the lines of its label.
    lines = sorted(group_lines(near), key=lambda g: -max(float(c["bottom"]) for c in g))
    line = list(lines[0])
    line_top = min(float(c["top"]) for c in line)
    height = max(float(c["bottom"]) for c in line) - line_top
    if top - max(float(c["bottom"]) for c in line) > max(height, 2.0):
        return t
    for g in lines[1:4]:
        if max(float(c["bottom"]) for c in g) < line_top - 0.3 * height:
            break
        line += g
        line_top = min(line_top, min(float(c["top"]) for c in g))
    per_col: dict[int, list[Char]] = {}
    for c in sorted(line, key=lambda c: float(c["x0"])):
        j = bisect_right(t.col_x, (float(c["x0"]) + float(c["x1"])) / 2) - 1
        per_col.setdefault(min(max(j, 0), t.n_cols - 1), []).append(c)
    texts = [text_of(cs).replace(" ", "") for cs in per_col.values()]
    caption = any(":" in x or "：" in x or x.endswith(_TABLE) for x in texts)  # 单位：万元, 公开01表
    if len(texts) < 2 or caption or not any(_AMOUNT_OR_CODE.fullmatch(x) for x in texts):
        return t
    boxes = [c.bbox for c in t.cells]
    boxes += [(t.col_x[j], line_top - 1, t.col_x[j + 1], top) for j in range(t.n_cols)]
    return _raw_table(t.page, boxes, chars) or t


def _hrule_tables(page: PlumberPage, chars: Sequence[Char]) -> list[RawTable]:
    """Tables drawn with horizontal rules only (a top rule, one under the header, a bottom rule, maybe
    one per row): columns come from the alignment of the text between the outer rules."""
    from crossfoot.ingest.hrules import infer_cells

    width, height = _display_size(page)
    edges = [e for e in page.horizontal_edges if float(e["x1"]) - float(e["x0"]) > 10]
    wide = sorted((e for e in edges if float(e["x1"]) - float(e["x0"]) > 0.4 * width),
                  key=lambda e: float(e["top"]))
    tops = _clusters([float(e["top"]) for e in wide])
    if len(tops) < 3:
        return []
    x0 = min(float(e["x0"]) for e in wide)
    x1 = max(float(e["x1"]) for e in wide)
    region = (max(x0 - 1, 0.0), max(tops[0] - 1, 0.0), min(x1 + 1, width), min(tops[-1] + 1, height))
    rules = [(float(e["top"]), float(e["x0"]), float(e["x1"])) for e in edges
             if tops[0] - 1 <= float(e["top"]) <= tops[-1] + 1 and float(e["x1"]) > x0 and float(e["x0"]) < x1]
    t = _raw_table(page.page_number, infer_cells(chars, region, rules), chars)
    if t is None or t.n_cols < 2:
        return []
    # Text between rules is a table when it has rows and numbers; aligned prose has no rules.
    numeric_rows = {c.r0 for c in t.cells if _numeric(c.text)}
    return [replace(t, inferred=True)] if numeric_rows and t.n_rows >= 2 else []


def _numeric(text: str) -> bool:
    from crossfoot.numbers import parse_number

    return any(ch.isdigit() for ch in text) and parse_number(text) is not None


def _display_size(page: PlumberPage) -> tuple[float, float]:
    """Width and height as the page is shown: pdfplumber turns the chars of a /Rotate 90 page
    into the displayed frame but keeps the unrotated width and height."""
    w, h = float(page.width), float(page.height)
    if int(page.rotation or 0) % 180 == 90:
        return h, w
    return w, h


def parse_page(path: str | Path, page_number: int, password: str | None = None,
               seconds: float | None = None) -> PagePart:
    """One page into lines outside tables and raw table grids. Top-level so it pickles.

    Never raises for a bad page: opening the file, reaching the page, running out of time or memory
    all become an unreadable page with a note, so one hostile page never loses the report.
    """
    if seconds is None:
        seconds = _env_number(PAGE_SECONDS_ENV, DEFAULT_PAGE_SECONDS)
    w = h = 0.0
    page: PlumberPage | None = None
    try:
        with _time_budget(seconds):
            pdf = _open(str(path), password)
            page = pdf.pages[page_number - 1]
            w, h = _display_size(page)
            return _parse_page(page, page_number, w, h)
    except _PageOverBudget:
        note = f"page skipped: parsing took longer than {seconds:g} s ({PAGE_SECONDS_ENV})"
    except MemoryError:
        note = f"page skipped: parsing needs more memory than allowed ({MEMORY_MB_ENV})"
    except RecursionError:
        note = "page content cannot be parsed (nested too deeply)"
    except Exception as e:  # the file, the page tree or the page's resources are broken for this page
        from crossfoot.ingest.guard import describe_error

        note = f"page content cannot be parsed ({describe_error(e)})"
    if page is not None:
        with suppress(Exception):
            page.flush_cache()
    return PagePart(page_number, w, h, readable=False, note=note)


def _parse_page(page: PlumberPage, page_number: int, w: float, h: float) -> PagePart:
    from crossfoot.ingest.guard import drawing_ops, page_problem

    limit = int(_env_number(PAGE_OBJECTS_ENV, DEFAULT_PAGE_OBJECTS))
    # Counted in the content stream before pdfminer builds an object per operator: an overlay of a
    # million dots is refused before it costs its memory.
    n_ops = drawing_ops(page)
    if n_ops > limit:
        return PagePart(page_number, w, h, readable=False,
                        note=f"page skipped: {n_ops} drawn objects (paths in its content), over the limit of {limit} "
                             f"({PAGE_OBJECTS_ENV})")
    n_objects = sum(len(v) for v in page.objects.values())
    if n_objects > limit:
        page.flush_cache()
        return PagePart(page_number, w, h, readable=False,
                        note=f"page skipped: {n_objects} drawn objects, over the limit of {limit} "
                             f"({PAGE_OBJECTS_ENV})")
    problem = page_problem(page)
    if problem:
        return PagePart(page_number, w, h, readable=False, note=problem)
    try:
        # Only what the page shows: text drawn outside the page box is dropped (crossfoot.ingest.visible).
        box = _box(page.bbox) if int(page.rotation or 0) % 360 == 0 else None
        chars = dedupe([c for c in visible_chars(page.chars, box) if not str(c.get("text", "")).startswith("(cid:")])
        chars, n_controls = _clean_chars(chars)
        tables = _find_tables(page, chars)
    except Exception as e:  # a broken content stream loses this page, not the report
        return PagePart(page_number, w, h, readable=False, note=f"page content cannot be parsed ({type(e).__name__})")
    free = [c for c in chars if not any(_inside(c, t.bbox) for t in tables)]
    lines = build_lines(free, page_number)
    # The page's whole text, tables included, in reading order; wide gaps stay two spaces so
    # "部门：X   单位：元" keep apart.
    all_lines = build_lines(chars, page_number) if tables else lines
    text = "\n".join("  ".join(seg.text for seg in ln.segments) for ln in all_lines)
    page.flush_cache()
    problems = (control_note(n_controls),) if n_controls else ()
    return PagePart(page_number, w, h, lines=tuple(lines), tables=tuple(tables), text=text, problems=problems)


def _clean_chars(chars: list[Char]) -> tuple[list[Char], int]:
    """Glyphs whose Unicode is a terminal control get a visible marker instead (textsafe), once, here."""
    n = 0
    out = chars
    for i, c in enumerate(chars):
        t = str(c.get("text", ""))
        if (k := count_unsafe(t)):
            if out is chars:
                out = list(chars)
            out[i] = {**c, "text": clean(t)}
            n += k
    return out, n


def page_count(path: str, password: str | None) -> int:
    """Open the file and walk its page tree (top-level: runs in a worker). Raises an InputError."""
    try:
        return len(_open(path, password).pages)
    except MemoryError:
        raise CorruptPDF(f"{clean_line(path)}: opening it needs more memory than allowed ({MEMORY_MB_ENV}); "
                         "a compressed bomb or a damaged file") from None


def page_sizes(path: str, password: str | None) -> list[int]:
    """Each page's content as stored, in bytes (its streams' encoded length, nothing decoded): roughly
    how long the page takes to parse, so the longest can go first. 0 where it cannot be told."""
    from pdfminer.pdftypes import PDFStream, resolve1

    sizes: list[int] = []
    for page in _open(path, password).pages:
        size = 0
        with suppress(Exception):  # a damaged page tree: its size is unknown, its parse will say why
            contents = resolve1(page.page_obj.attrs.get("Contents"))
            for item in contents if isinstance(contents, list) else [contents]:
                stream = resolve1(item)
                if isinstance(stream, PDFStream):
                    raw = stream.rawdata if stream.rawdata is not None else stream.data
                    size += len(raw or b"")
        sizes.append(size)
    return sizes
