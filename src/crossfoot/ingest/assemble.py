"""Parsed pages into a Report: page furniture dropped, captions given to tables, paragraphs joined
across lines and pages, multi-page tables joined, metadata read."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from crossfoot.ingest.layout import Line, Segment, join_wrapped
from crossfoot.ingest.meta import report_meta
from crossfoot.ingest.raw import PagePart, RawCell, RawTable
from crossfoot.ingest.spreads import join_spreads
from crossfoot.ingest.tables import CODE, Caption, build_tables, is_caption_line, is_note_line, opens_form
from crossfoot.ingest.visible import box_on_page
from crossfoot.ingest.words import page_words
from crossfoot.knowledge import pattern, words
from crossfoot.model import Block, Page, Report
from crossfoot.tables.trust import with_trust

_PAGE_NO = pattern("ingest.folio")
# Numbered headings start a paragraph: 一、 （一） (1) 1. 1、 ① 第一部分
HEADING = pattern("ingest.heading_number")
_SENTENCE_END = "。！？；：!?;:"
EDGE = 0.09  # share of the page height at top and bottom where running headers and folios live


@dataclass(frozen=True)
class Item:
    page: int
    top: float
    line: Line | None = None
    table: RawTable | None = None


def _norm_furniture(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def strip_furniture(parts: Sequence[PagePart]) -> dict[int, list[Line]]:
    """Drop page numbers and running headers/footers (text repeated at the page edge on many pages)."""
    edge_counts: Counter[str] = Counter()
    for p in parts:
        seen = {_norm_furniture(ln.text) for ln in p.lines if ln.top < EDGE * p.height or ln.bottom > (1 - EDGE) * p.height}
        edge_counts.update(seen)
    repeated = max(3, len(parts) // 3)
    out: dict[int, list[Line]] = {}
    for p in parts:
        keep: list[Line] = []
        for ln in p.lines:
            at_edge = ln.top < EDGE * p.height or ln.bottom > (1 - EDGE) * p.height
            near_edge = ln.top < 0.15 * p.height or ln.bottom > 0.85 * p.height
            t = ln.text.strip()
            if near_edge and _PAGE_NO.match(t):
                continue
            # A table code (公开01表) sits at the page top of every table page, differing only in its
            # digits: it names the table below, it is not a running header.
            if at_edge and edge_counts[_norm_furniture(t)] >= repeated and len(parts) >= 3 \
                    and not CODE.fullmatch(t.replace(" ", "")):
                continue
            keep.append(ln)
        out[p.number] = keep
    return out


def _items(parts: Sequence[PagePart], lines: dict[int, list[Line]]) -> list[Item]:
    items: list[Item] = []
    for p in parts:
        page_items = [Item(p.number, ln.top, line=ln) for ln in lines.get(p.number, [])]
        # A grid drawn off the page (the clipped rest of a table) is not on the printed page.
        for t in p.tables:
            if not box_on_page(t.bbox, p.width, p.height) or is_contents(t):
                continue
            # A title drawn inside the grid's top rows is a caption line above the table.
            caption, body = split_caption_rows(t)
            page_items += [Item(p.number, ln.top, line=ln) for ln in caption]
            if body is not None:
                page_items.append(Item(p.number, body.bbox[1], table=body))
        page_items.sort(key=lambda it: it.top)
        # A grid with no text at all is read only as the blank rows of a table continued from the
        # page before; elsewhere it is a box or an invisible layout grid.
        after_table = bool(items) and items[-1].table is not None and items[-1].page == p.number - 1
        page_items = [it for k, it in enumerate(page_items)
                      if it.table is None or _has_text(it.table) or (k == 0 and after_table)]
        # One row of words under a line of text that is no caption is a box of a drawing (an organisation
        # chart), not a table; an empty table keeps the title or unit printed over it.
        page_items = [it for k, it in enumerate(page_items)
                      if it.table is None or not _is_box(it.table, page_items[k - 1] if k else None)]
        items.extend(page_items)
    return items


_TABLE = words("ingest.table_noun")[0]  # the title noun 表
_FIELD_START = pattern("ingest.field_start")
# Size given to a caption line rebuilt from a grid cell (the cell keeps no glyph sizes).
_CELL_TEXT_SIZE = 10.5


def split_caption_rows(raw: RawTable) -> tuple[list[Line], RawTable | None]:
    """Leading grid rows that hold only caption text (the title, 编制单位：…, 单位：元), as report
    generators that draw the whole sheet as one grid print them, become caption lines; the table
    starts at the first row with anything else."""
    rows: dict[int, list[RawCell]] = {}
    for c in raw.cells:
        rows.setdefault(c.r0, []).append(c)
    k = 0
    captions: list[RawCell] = []
    pending: list[RawCell] = []  # a heading row (the issuer's name) over the title: caption if one follows
    blank_row = False
    for r in range(raw.n_rows):
        filled = sorted((c for c in rows.get(r, []) if c.text.strip()), key=lambda c: c.c0)
        # A field label and its value in the cell after it (部门： | XX厅 | 单位：万元) are caption too,
        # in a row that holds a caption line proper.
        if filled and not (all((is_caption_line(c.text) or _is_field_label(c.text)
                                or (i and _is_field_label(filled[i - 1].text))) and not _AMOUNT.search(c.text)
                               for i, c in enumerate(filled))
                           and any(is_caption_line(c.text) for c in filled)):
            if len(filled) == 1 and len(pending) < 2 and _is_short_heading(filled[0].text) \
                    and not any(ch.isdigit() for ch in filled[0].text):
                pending.append(filled[0])
                continue
            break
        blank_row = blank_row or not filled
        captions += pending + filled
        pending = []
        k = r + 1
    # A grid of caption rows only (a title and its 部门/单位 line drawn in a box at the foot of a page,
    # the table itself on the next page) is caption; one with blank rows under its title is an empty table.
    if captions and k >= raw.n_rows and not blank_row:
        k = raw.n_rows
    elif not captions or k >= raw.n_rows:
        return [], raw
    # A cell holds its wrapped lines run together ("收支预算总表部门：X单位：万元"): split them again
    # where a 部门/单位 field starts, so the title stands apart from the fields.
    # One line per grid row, a segment per cell: a field label and its value stay on one line.
    by_row: dict[int, list[RawCell]] = {}
    for c in sorted(captions, key=lambda c: (c.r0, c.c0)):
        by_row.setdefault(c.r0, []).append(c)
    lines = [Line(page=raw.page, x0=row[0].bbox[0], top=min(c.bbox[1] for c in row), x1=row[-1].bbox[2],
                  bottom=max(c.bbox[3] for c in row), size=_CELL_TEXT_SIZE,
                  segments=tuple(Segment(c.bbox[0], c.bbox[2], piece) for c in row
                                 for piece in _FIELD_START.split(c.text.strip()) if piece.strip()))
             for row in by_row.values()]
    cells = tuple(replace(c, r0=c.r0 - k, r1=c.r1 - k) for c in raw.cells if c.r0 >= k)
    if not cells:
        return lines, None
    top = min(c.bbox[1] for c in cells)
    return lines, replace(raw, cells=cells, n_rows=raw.n_rows - k, bbox=(raw.bbox[0], top, raw.bbox[2], raw.bbox[3]))


def _is_box(raw: RawTable, above: Item | None) -> bool:
    if raw.n_rows != 1 or any(ch.isdigit() for c in raw.cells for ch in c.text):
        return False
    # First on its page, it may be the last row of a table continued from the page before.
    return above is not None and above.line is not None and not is_caption_line(above.line.text)


def _is_field_label(text: str) -> bool:
    return text.strip().replace(" ", "").endswith(("：", ":"))


def _has_text(raw: RawTable) -> bool:
    return any(c.text.strip() for c in raw.cells)


def _attach_captions(items: list[Item]) -> tuple[list[Item], dict[int, Caption], dict[int, list[str]]]:
    """Caption lines above each table and note lines below it leave the narrative."""
    captions: dict[int, Caption] = {}
    notes: dict[int, list[str]] = {}
    used: set[int] = set()
    for k, it in enumerate(items):
        if it.table is None:
            continue
        cap: list[Line] = []
        j = k - 1
        while j >= 0 and items[j].line is not None and items[j].page == it.page and len(cap) < 6:
            ln = items[j].line
            assert ln is not None
            if j in used:
                break
            # A short unnumbered heading right above a table with no 表 title names it (forms).
            if not is_caption_line(ln.text) and (Caption(tuple(cap)).title is not None
                                                 or not _is_short_heading(ln.text)):
                break
            below = cap[-1].top if cap else it.table.bbox[1]
            # Caption lines (…表, 部门：, 单位：) may stand further off than a heading: a frame's caption
            # rows drawn in white cells leave their text well above the first visible rule.
            limit = 8 if is_caption_line(ln.text) else 4
            if below - ln.bottom > limit * ln.size:
                break
            cap.append(ln)
            used.add(j)
            j -= 1
        if j < 0 or items[j].page != it.page:
            foot = _foot_caption(items, j, it.page - 1, used, Caption(tuple(reversed(cap))))
            cap += foot
            used.update(range(j - len(foot) + 1, j + 1))
        captions[id(it.table)] = Caption(tuple(reversed(cap)))
        j = k + 1
        below_notes: list[str] = []
        bottom = it.table.bbox[3]
        while j < len(items) and items[j].line is not None and items[j].page == it.page:
            ln = items[j].line
            assert ln is not None
            if ln.top - bottom > 3 * ln.size:
                break
            if not below_notes and not is_note_line(ln.text):
                break
            if below_notes and HEADING.match(ln.text) and not is_note_line(ln.text):
                break
            below_notes.append(ln.text)
            used.add(j)
            bottom = ln.bottom
            j += 1
        notes[id(it.table)] = below_notes
    rest = [it for k, it in enumerate(items) if k not in used]
    return rest, captions, notes


def _foot_caption(items: Sequence[Item], j: int, page: int, used: set[int], own: Caption) -> list[Line]:
    """A table opening its page (nothing above it but its own caption lines) takes the caption lines
    printed at the foot of the page before, when its own lack what they give: a title (…表) or a
    公开NN表 code set at the bottom of a page whose table starts overleaf. Returned bottom-up."""
    if own.title is not None and own.code is not None:
        return []
    foot: list[Line] = []
    while j >= 0 and items[j].page == page and items[j].line is not None and j not in used and len(foot) < 4:
        ln = items[j].line
        assert ln is not None
        if not is_caption_line(ln.text) or has_checkbox(ln.text):
            break
        foot.append(ln)
        j -= 1
    # The last line of a paragraph ("…详见下表") is no caption: one stands apart from the text above it.
    while foot and j >= 0 and items[j].page == page and items[j].line is not None:
        above = items[j].line
        assert above is not None
        if foot[-1].top - above.bottom >= foot[-1].size:
            break
        foot.pop()
        j += 1
    got = Caption(tuple(reversed(foot)))
    gives_title = own.title is None and got.title is not None and _TABLE in got.title
    gives_code = own.code is None and got.code is not None and (own.title is None or got.title is None)
    return foot if gives_title or gives_code else []


def _running_caption(items: Sequence[Item], last: int, k: int, cap: Caption, captions: dict[int, Caption],
                     heights: dict[int, float]) -> bool:
    """A form printed page after page repeats its title, unit and code over each page like a running
    header: the table at items[k] goes on with the one at items[last] when that one ran to the foot
    of the page before (a table ending mid-page is complete: one 绩效自评表 per project may share a
    title) and only short lines stand between (the issuer's name, a label printed down the margin)."""
    before, it = items[last], items[k]
    if before.table is None or it.table is None or before.page != it.page - 1 or cap.title is None:
        return False
    head = captions[id(before.table)]
    if (head.title, head.code, head.unit) != (cap.title, cap.code, cap.unit):
        return False
    if before.table.bbox[3] < 0.85 * heights.get(before.page, float("inf")) or opens_form(it.table):
        return False
    return all(b.line is not None and _is_aside(b.line.text) for b in items[last + 1:k])


def _is_aside(text: str) -> bool:
    t = text.replace(" ", "")
    return len(t) <= 20 and not any(ch in _SENTENCE_END + "，," for ch in t) and not HEADING.match(t)


def _is_short_heading(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 30 and t[-1] not in _SENTENCE_END + "，,、" and not HEADING.match(t) \
        and not has_checkbox(t)


def _words() -> dict[str, Any]:
    return page_words()


def has_checkbox(text: str) -> bool:
    """A form's check-box line ("□是√否", "优 ☑ 良 □"): a field, not a title."""
    marks = str(_words()["checkbox"]["marks"])
    return any(ch in marks for ch in text)


_AMOUNT = re.compile(r"\d[\d,]*\.\d{2}(?!\d)")


def is_contents(raw: RawTable) -> bool:
    """A contents page drawn in a grid or box: entries with dot leaders or page references and no
    amounts."""
    texts = [c.text for c in raw.cells if c.text.strip()]
    if not texts:
        return False  # an empty grid: see _items
    whole = "\n".join(texts)
    if _AMOUNT.search(whole):
        return False
    words = _words()["contents"]
    refs = sum(whole.count(w) for w in words["leaders"]) + len(re.findall(words["page_ref"], whole))
    entries = sum(1 for t in texts if any(w in t for w in words["leaders"]) or re.search(words["page_ref"], t))
    titled = any(w in whole.replace(" ", "")[:40] for w in words["titles"])
    return (entries * 2 >= len(texts) and entries >= 2) or (titled and refs >= 2)


@dataclass(frozen=True)
class Margins:
    left: float
    right: float


def _margins(parts: Sequence[PagePart], lines: dict[int, list[Line]]) -> dict[int, Margins]:
    """Body text margins per page geometry: the most common line start and the usual line end."""
    by_geom: dict[tuple[int, int], list[Line]] = {}
    for p in parts:
        by_geom.setdefault((round(p.width), round(p.height)), []).extend(lines.get(p.number, []))
    geo: dict[tuple[int, int], Margins] = {}
    for g, lns in by_geom.items():
        if not lns:
            continue
        starts = Counter(round(ln.x0) for ln in lns)
        left = float(min(x for x, n in starts.items() if n >= max(starts.values()) * 0.5))
        ends = sorted(ln.x1 for ln in lns)
        right = ends[int(0.9 * (len(ends) - 1))]
        geo[g] = Margins(left, right)
    out: dict[int, Margins] = {}
    for p in parts:
        own = lines.get(p.number, [])
        m = geo.get((round(p.width), round(p.height)), Margins(0.0, float(p.width)))
        if len(own) >= 8:
            # A page's own text block wins when it has enough lines to tell (mixed layouts).
            xs = Counter(round(ln.x0) for ln in own)
            top_x = max(xs.values())
            left = float(min(x for x, n in xs.items() if n >= top_x * 0.5))
            right = max(ln.x1 for ln in own)
            if abs(left - m.left) < 40:
                m = Margins(left, max(right, m.right) if right - m.right < 20 else m.right)
        out[p.number] = m
    return out


def _is_full(ln: Line, m: Margins) -> bool:
    return ln.x1 >= m.right - 1.6 * ln.size


def _starts_paragraph(ln: Line, m: Margins) -> bool:
    return ln.x0 > m.left + 0.9 * ln.size or bool(HEADING.match(ln.text))


def _centred(ln: Line, m: Margins) -> bool:
    centre = (m.left + m.right) / 2
    offset = ln.x0 - m.left
    # Body lines start at the margin or at a paragraph indent; their centre says nothing.
    body = min(ln.size, 16.0)  # a title's size says nothing of the paragraph indent
    at_margin = abs(offset) <= 4 or 1.5 * body <= offset <= 2.6 * body
    return not at_margin and abs((ln.x0 + ln.x1) / 2 - centre) < max(1.5 * ln.size, 12)


def _open_brackets(text: str) -> int:
    return sum(text.count(c) for c in "（(") - sum(text.count(c) for c in "）)")


def _continues(prev: Line, ln: Line, m_prev: Margins, m: Margins, same_page: bool, gap_limit: float) -> bool:
    # A centred title wrapped over lines ("第三部分 … 决算情况" / "说明") reads as one.
    if same_page and _centred(prev, m_prev) and _centred(ln, m) and abs(prev.size - ln.size) <= 0.5 \
            and ln.top - prev.bottom <= max(gap_limit, 1.2 * ln.size) and not prev.text.endswith(tuple(_SENTENCE_END)) \
            and not HEADING.match(ln.text):
        return True
    if _starts_paragraph(ln, m):
        return False
    if abs(prev.size - ln.size) > 1.0:
        return False
    if same_page and ln.top - prev.bottom > gap_limit:
        return False
    if prev.x0 > m_prev.left + 0.9 * prev.size and HEADING.match(prev.text) and not _is_full(prev, m_prev):
        return False
    if _is_full(prev, m_prev):
        return True
    # A line that leaves a bracket open ("市场秩序科（粮食和物资") has not ended its sentence, however short
    # it looks against margins measured on the table pages of the same size.
    if _open_brackets(prev.text) > 0:
        return True
    # A short line ends its paragraph unless an unbreakable Latin word or number was pushed to the next line.
    last = prev.text.rstrip()[-1:]
    return bool(last) and last.isascii() and last.isalnum() and not prev.text.rstrip().endswith(tuple(_SENTENCE_END)) \
        and prev.x1 >= m_prev.right - 8 * prev.size and not HEADING.match(prev.text)


def _paragraphs(items: Sequence[Item], margins: dict[int, Margins]) -> list[Block]:
    gaps: list[float] = []
    prev_line: Line | None = None
    for it in items:
        if it.line is not None and prev_line is not None and prev_line.page == it.page:
            g = it.line.top - prev_line.bottom
            if g >= 0:
                gaps.append(g)
        prev_line = it.line if it.line is not None else None
    gaps.sort()
    typical = gaps[len(gaps) // 2] if gaps else 6.0

    blocks: list[Block] = []
    cur: list[Line] = []

    def flush() -> None:
        if not cur:
            return
        text = join_wrapped(ln.text for ln in cur)
        first = cur[0]
        on_first = [ln for ln in cur if ln.page == first.page]
        bbox = (min(ln.x0 for ln in on_first), on_first[0].top, max(ln.x1 for ln in on_first), on_first[-1].bottom)
        blocks.append(Block(page=first.page, bbox=bbox, text=text))
        cur.clear()

    prev: Line | None = None
    for it in items:
        if it.table is not None:
            flush()
            prev = None
            continue
        ln = it.line
        assert ln is not None
        if prev is not None:
            limit = max(typical * 1.8, typical + 0.6 * ln.size)
            if not _continues(prev, ln, margins[prev.page], margins[ln.page], prev.page == ln.page, limit) or (prev.page != ln.page and ln.page - prev.page > 1):
                flush()
        cur.append(ln)
        prev = ln
    flush()
    return blocks


def assemble(path: str, sha256: str, parts: Sequence[PagePart]) -> Report:
    parts = join_spreads(parts)
    lines = strip_furniture(parts)
    items = _items(parts, lines)
    items, captions, notes = _attach_captions(items)
    margins = _margins(parts, lines)
    blocks = _paragraphs(items, margins)
    ordered: list[tuple[RawTable, Caption, list[str], bool]] = []
    heights = {p.number: p.height for p in parts}
    last: int | None = None  # the previous table's item
    for k, it in enumerate(items):
        if it.table is None:
            continue
        # A table that opens its page right after a table that closed the previous one may continue it.
        prev = items[k - 1] if k > 0 else None
        after_table = prev is not None and prev.table is not None and prev.page == it.page - 1
        cap = captions[id(it.table)]
        if last is not None and _running_caption(items, last, k, cap, captions, heights):
            after_table, cap = True, Caption()
        ordered.append((it.table, cap, notes[id(it.table)], after_table))
        last = k
    # Each table carries how far its shape can be trusted; problems resting on a doubtful one are held back.
    tables = [with_trust(t) for t in build_tables(ordered)]
    pages = tuple(Page(number=p.number, width=p.width, height=p.height, text=p.text, readable=p.readable,
                       note=p.note) for p in parts)
    kind, department, year, unit = report_meta(pages, blocks, tables)
    report_notes = tuple(f"page {p.number}: {p.note}" for p in parts if not p.readable)
    return Report(path=path, sha256=sha256, kind=kind, department=department, year=year, unit=unit,
                  pages=pages, blocks=tuple(blocks), tables=tuple(tables), notes=report_notes)
