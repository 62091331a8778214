"""Text exports of reports (tab-separated, markdown-pipe or flattened space-separated tables, and
narrative wrapped mid-sentence) into the same model as a PDF."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from crossfoot.errors import InputError
from crossfoot.ingest.assemble import HEADING
from crossfoot.ingest.layout import join_wrapped
from crossfoot.ingest.meta import report_meta
from crossfoot.ingest.tables import CODE, is_caption_line, is_note_line, open_code
from crossfoot.ingest.words import unit_in
from crossfoot.knowledge import pattern, words
from crossfoot.model import Block, Cell, Page, Report, Table
from crossfoot.numbers import parse_number
from crossfoot.textsafe import clean, control_note, count_unsafe

_FOLIO = pattern("ingest.text_folio")
_TABLE = words("ingest.table_noun")[0]  # the title noun 表
_COLUMN_NO = words("ingest.column_number_label")
_TOTAL = pattern("ingest.text_total")
_NUMBERING = pattern("ingest.text_title_numbering")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_SENTENCE_END = "。！？；：!?;:"


@dataclass
class _Line:
    page: int
    text: str


@dataclass
class _TableDraft:
    page: int
    captions: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flat: bool = False
    style: str = ""


def _is_numberish(tok: str) -> bool:
    return parse_number(tok) is not None and any(ch.isdigit() for ch in tok)


def _is_caption(text: str) -> bool:
    # A contents entry ends with its page number after a tab.
    return is_caption_line(text) and not re.search(r"\t\s*\d+\s*$", text)


def _style(text: str) -> str:
    return "tab" if "\t" in text else ("pipe" if text.strip().startswith("|") else "flat")


def _cells(text: str) -> list[str] | None:
    """The cells of a table row, or None when the line is not one."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    s = text.strip()
    if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return [c.strip() for c in s[1:-1].split("|")]
    return None


def _flat_cells(text: str) -> list[str] | None:
    """A space-separated row of a flattened table: several short tokens, at least one a number."""
    toks = text.split()
    if len(toks) < 2 or text.rstrip().endswith("。"):
        return None
    if any(_is_numberish(t) for t in toks) and all(len(t) <= 30 for t in toks):
        return toks
    return None


def _pages(raw: str) -> tuple[list[_Line], int]:
    out: list[_Line] = []
    page = 1
    for ln in raw.splitlines():
        m = _FOLIO.match(ln)
        if m:
            n = int(m.group(1) or m.group(2))
            # The folio closes its page: the lines before it were printed on page n.
            start = len(out)
            while start > 0 and out[start - 1].page == page:
                start -= 1
            for x in out[start:]:
                x.page = n
            page = n + 1
            continue
        out.append(_Line(page, ln.rstrip("\n")))
    return out, page


def read_text(path: Path) -> Report:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot be read ({e.strerror or e})") from None
    raw = data.decode("utf-8-sig", errors="replace")
    lines, last_page = _pages(raw)
    # Terminal controls in the text become visible markers here, once, and the report says so.
    n_controls = 0
    for ln in lines:
        if (k := count_unsafe(ln.text)):
            n_controls += k
            ln.text = clean(ln.text)
    drafts: list[_TableDraft] = []
    narrative: list[_Line | None] = []  # None marks where a table interrupts the narrative
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        text = ln.text.strip()
        if not text:
            i += 1
            continue
        # A caption block (title / code / unit lines) followed by table rows opens a table.
        j = i
        caps: list[str] = []
        while j < n and (not lines[j].text.strip() or _is_caption(lines[j].text)) and len(caps) < 6:
            if lines[j].text.strip():
                caps.append(lines[j].text.strip())
            j += 1
        has_unit_or_code = any(CODE.search(c.replace(" ", "")) or unit_in(c.replace(" ", "")) for c in caps)
        if j < n and (_cells(lines[j].text) is not None or (caps and has_unit_or_code)):
            d = _TableDraft(page=lines[j].page, captions=caps)
            k = _consume_table(lines, j, d, flat=has_unit_or_code and _cells(lines[j].text) is None)
            # Dot leaders mark a table of contents, which is no table a reader checks.
            if d.rows and (caps or not any("..." in c or "…" in c for _, r in d.rows for c in r)):
                drafts.append(d)
                narrative.append(None)
                i = k
                continue
        narrative.append(ln)
        i += 1
    blocks = _paragraphs(narrative)
    tables = [t for t in (_table(d, f"T{k + 1:02d}") for k, d in enumerate(drafts)) if t is not None]
    tables = [Table(id=f"T{k + 1:02d}", code=t.code, title=t.title, unit=t.unit, pages=t.pages, header=t.header,
                    rows=t.rows, bbox=None, notes=t.notes, uncertain=t.uncertain) for k, t in enumerate(tables)]
    n_pages = max([last_page if lines and lines[-1].page == last_page else last_page - 1, 1])
    page_text: dict[int, list[str]] = {}
    for ln in lines:
        page_text.setdefault(ln.page, []).append(ln.text)
    pages = tuple(Page(number=k, width=0.0, height=0.0, text="\n".join(page_text.get(k, [])))
                  for k in range(1, n_pages + 1))
    kind, department, year, unit = report_meta(pages, blocks, tables)
    return Report(path=str(p), sha256=hashlib.sha256(data).hexdigest(), kind=kind, department=department,
                  year=year, unit=unit, pages=pages, blocks=tuple(blocks), tables=tuple(tables),
                  notes=(control_note(n_controls),) if n_controls else ())


def _consume_table(lines: list[_Line], j: int, d: _TableDraft, flat: bool) -> int:
    d.flat = flat
    n = len(lines)
    seen_number = False
    while j < n:
        text = lines[j].text
        s = text.strip()
        if not s:
            j += 1
            continue
        if is_note_line(s):
            d.notes.append(s)
            j += 1
            continue
        if d.rows and (CODE.search(s.replace(" ", "")) or (is_caption_line(s) and _TABLE in s and not _cells(text))):
            break
        cells = _cells(text)
        style = _style(text)
        if cells is not None and d.rows and style != d.style:
            break  # a tab table followed by a pipe table: two tables
        if cells is not None:
            d.style = style
        if cells is None and flat:
            cells = _flat_cells(text)
            if cells is None and not seen_number and not s.endswith(tuple(_SENTENCE_END)) and len(s) <= 80 \
                    and not HEADING.match(s):
                cells = s.split()  # header lines of a flattened table carry no numbers
        if cells is None:
            break
        if _PIPE_RULE.match(s):
            j += 1
            continue
        seen_number = seen_number or any(_is_numberish(c) for c in cells)
        d.rows.append((lines[j].page, cells))
        j += 1
    return j


def _table(d: _TableDraft, tid: str) -> Table | None:
    if not d.rows:
        return None
    width = max(len(r) for _, r in d.rows)
    rows = [(pg, r + [""] * (width - len(r))) for pg, r in d.rows]
    nh = 0
    for _pg, r in rows:
        first = next((c for c in r if c), "")
        if first.replace(" ", "") in _COLUMN_NO:
            nh += 1
            continue
        # Flattened headers wrap labels over lines ("本年收入" / "合计"): only a number ends them.
        total = _TOTAL.match(first.replace(" ", "")) and not d.flat
        if any(_is_numberish(c) for c in r) or total:
            break
        nh += 1
    nh = min(nh, len(rows) - 1) if len(rows) > 1 else nh
    header = tuple(tuple(c.replace(" ", "") for c in r) for _, r in rows[:nh])
    body = tuple(tuple(Cell(c, pg, None) for c in r) for pg, r in rows[nh:])
    code = title = unit = None
    for c in d.captions:
        t = c.replace(" ", "")
        m = CODE.search(t)
        if m:
            code = open_code(m.group(1))
        unit = unit_in(t) or unit
        rest = CODE.sub("", t)
        if _TABLE in rest and not unit_in(rest):
            title = _NUMBERING.sub("", rest)
    pages = tuple(sorted({pg for pg, _ in rows}))
    # Space-separated exports lose empty cells, so columns cannot be told apart reliably.
    uncertain = "columns rebuilt from space-separated text: cells may have shifted" if d.flat else ""
    return Table(id=tid, code=code, title=title, unit=unit, pages=pages, header=header, rows=body,
                 notes=tuple(d.notes), uncertain=uncertain)


def _is_heading(s: str) -> bool:
    """A numbered line with no punctuation after its number is a heading, however long the
    report's lines are."""
    m = HEADING.match(s)
    if not m or len(s) > 30:
        return False
    return not any(ch in "，。；：、,;:" for ch in s[m.end():])


def _paragraphs(items: list[_Line | None]) -> list[Block]:
    """Wrapped lines into paragraphs: a numbered heading starts one, a sentence end or a short
    unpunctuated line (a heading) ends one; blank lines in these exports carry no meaning."""
    lens = sorted(len(x.text.strip()) for x in items if x is not None and x.text.strip())
    full = lens[int(0.9 * (len(lens) - 1))] if lens else 30
    blocks: list[Block] = []
    cur: list[_Line] = []

    def flush() -> None:
        if cur:
            blocks.append(Block(page=cur[0].page, bbox=None, text=join_wrapped(x.text for x in cur)))
            cur.clear()

    for it in items:
        if it is None:
            flush()
            continue
        s = it.text.strip()
        if HEADING.match(s) or (is_caption_line(s) and not cur):
            flush()
        cur.append(it)
        if s.endswith(tuple(_SENTENCE_END)) or len(s) < 0.7 * full or _is_heading(s):
            flush()
    flush()
    return blocks
