"""Raw page grids into model Tables: captions (title, 公开NN表 code, unit), header rows as a grid,
类/款/项 code columns joined, tables continued over pages joined."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from crossfoot.ingest.codes import join_codes, lift_code_labels
from crossfoot.ingest.columns import drop_hollow_columns, merge_complementary
from crossfoot.ingest.joins import (
    common_grid,
    full_columns,
    refine,
    remap,
    same_columns,
    same_frame,
    split_rows,
    wrapped_over,
)
from crossfoot.ingest.layout import Line
from crossfoot.ingest.raw import RawCell, RawTable
from crossfoot.ingest.words import era_year, unit_in
from crossfoot.knowledge import pattern, words
from crossfoot.model import BBox, Cell, Table
from crossfoot.numbers import parse_number

CODE = pattern("ingest.open_code")
DEPT = pattern("ingest.department_caption")
_YEAR_ONLY = pattern("ingest.year_only")
_NUMBERING = pattern("ingest.title_numbering")
_TITLE_WORD = pattern("ingest.title_word")
_LABEL_TOTAL = pattern("ingest.label_total")
_CODE_TEXT = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_TABLE = words("ingest.table_noun")[0]  # the title noun 表
_SEAL = words("ingest.seal")
_OPEN = words("ingest.open_code_affixes")  # 公开, 表: a code is rebuilt as 公开NN表
_COLUMN_NO = words("ingest.column_number_label")
_PROJECT_NAME = words("ingest.project_name_field")
_NOTE = pattern("ingest.note_line")


def open_code(number: str) -> str:
    """The 公开NN表 code of a printed number, two digits as the templates print it."""
    return f"{_OPEN[0]}{int(number):02d}{_OPEN[1]}"


def _year_only(t: str) -> bool:
    return bool(_YEAR_ONLY.match(t) or era_year().match(t))


def is_caption_line(text: str) -> bool:
    t = text.strip().replace(" ", "")
    if not t or len(t) > 60 or t[-1] in "。；;，," or "..." in t or "…" in t:
        return False  # dot leaders: a contents line, not a caption
    return bool(CODE.search(t) or unit_in(t) or DEPT.match(t) or _year_only(t)
                or (_TABLE in t and len(t) <= 40) or any(w in t for w in _SEAL))


def is_note_line(text: str) -> bool:
    t = text.strip()
    return bool(_NOTE.match(t))


@dataclass(frozen=True)
class Caption:
    lines: tuple[Line, ...] = ()

    @property
    def segments(self) -> list[str]:
        return [s.text.strip() for ln in self.lines for s in ln.segments if s.text.strip()]

    @property
    def code(self) -> str | None:
        for s in self.segments:
            m = CODE.search(s.replace(" ", ""))
            if m:
                return open_code(m.group(1))
        return None

    @property
    def unit(self) -> str | None:
        for s in self.segments:
            u = unit_in(s.replace(" ", ""))
            if u:
                return u
        return None

    @property
    def department(self) -> str | None:
        for s in self.segments:
            m = DEPT.match(s.replace(" ", ""))
            if m:
                return m.group(1)
        return None

    @property
    def title(self) -> str | None:
        best: str | None = None
        fallback: str | None = None  # the topmost other line: a form's heading without 表
        segs = self.segments
        for k, s in enumerate(segs):
            t = CODE.sub("", s.replace(" ", "")).strip()
            if t.endswith(("：", ":")) or (k and segs[k - 1].replace(" ", "").endswith(("：", ":"))):
                continue  # a field printed apart from its label (部门：   XX局) names no table
            if not t or unit_in(t) or DEPT.match(t) or any(w in t for w in _SEAL) or _year_only(t):
                continue
            if _TABLE in t:
                best = _NUMBERING.sub("", t)
            elif fallback is None:
                fallback = t
        return best or fallback

    @property
    def empty(self) -> bool:
        return not self.lines


@dataclass
class _Grid:
    """A table piece as a full grid; spans keep the cell that covers each position."""

    page: int
    rows: list[list[RawCell | None]]
    bbox: BBox


def _grid(raw: RawTable) -> _Grid:
    cover: list[list[RawCell | None]] = [[None] * raw.n_cols for _ in range(raw.n_rows)]
    for c in raw.cells:
        for r in range(c.r0, min(c.r1, raw.n_rows)):
            for j in range(c.c0, min(c.c1, raw.n_cols)):
                cover[r][j] = c
    # Rows left wholly uncovered (rule artefacts) carry nothing; renumber the spans without them.
    keep = [r for r in range(raw.n_rows) if any(c is not None for c in cover[r])]
    new_index = {r: i for i, r in enumerate(keep)}
    moved: dict[int, RawCell] = {}
    for c in raw.cells:
        inside = [new_index[r] for r in range(c.r0, min(c.r1, raw.n_rows)) if r in new_index]
        if inside:
            r0, r1 = inside[0], inside[-1] + 1
            moved[id(c)] = c if (c.r0, c.r1) == (r0, r1) else replace(c, r0=r0, r1=r1)
    rows = [[moved[id(c)] if c is not None else None for c in cover[r]] for r in keep]
    return _Grid(raw.page, rows, raw.bbox)


def _texts(row: Sequence[RawCell | None]) -> list[str]:
    return [c.text if c is not None else "" for c in row]


def _is_data_row(row: Sequence[RawCell | None], r: int) -> bool:
    texts = [t.strip() for t in _texts(row)]
    first = next((t for t in texts if t), "")
    if first.replace(" ", "") in _COLUMN_NO or _is_column_numbers(row):
        return False
    if _LABEL_TOTAL.match(first) or _CODE_TEXT.match(first.replace(" ", "")):
        return _is_label_row(row)
    for c in row:
        if c is None or c.r0 != r:
            continue
        t = c.text.strip()
        # Chinese numerals parse as counts; a header label like 一级指标 must not count as data.
        if t and parse_number(t) is not None and any(ch.isdigit() for ch in t):
            return True
    return False


def _n_header(g: _Grid) -> int:
    """Header rows: row 0, the rows its merged cells reach down over, the sub-label row under a cell
    merged across columns, and a 栏次 row; never past the first row that holds data."""
    rows = g.rows
    if not rows:
        return 0
    first_data = next((r for r, row in enumerate(rows) if _is_data_row(row, r)), len(rows))
    n_cols = len(rows[0])
    h = 1
    changed = True
    while changed and h < first_data:
        changed = False
        for r in range(h):
            for c in rows[r]:
                if c is not None and c.r1 - c.r0 > 1 and _row_of(rows, c, last=True) + 1 > h:
                    h = _row_of(rows, c, last=True) + 1
                    changed = True
        last = rows[h - 1]
        spans = [c for j, c in enumerate(last) if c is not None and (j == 0 or last[j - 1] is not c)
                 and c.c1 - c.c0 > 1 and c.c1 - c.c0 < n_cols and _row_of(rows, c, last=True) == h - 1]
        labels = [c for c in spans if c.text.strip() and parse_number(c.text) is None]
        if labels and h < first_data and not changed and not _is_label_row(rows[h]):
            h += 1
            changed = True
    if h < first_data and (_first_text(rows[h]).replace(" ", "") in _COLUMN_NO or _is_column_numbers(rows[h])):
        h += 1
    return min(h, first_data)


def _row_of(rows: Sequence[Sequence[RawCell | None]], c: RawCell, last: bool) -> int:
    return c.r1 - 1 if last else c.r0


def _first_text(row: Sequence[RawCell | None]) -> str:
    return next((c.text.strip() for c in row if c is not None and c.text.strip()), "")


def _is_label_row(row: Sequence[RawCell | None]) -> bool:
    """A row that starts with an item label (一、 （一） 1. 合计) and carries at most a name or two
    is body, not header; a header row under a merged cell has a label in most columns."""
    t = _first_text(row).replace(" ", "")
    if not (_LABEL_TOTAL.match(t) or _NUMBERING.match(t) or _CODE_TEXT.match(t)):
        return False
    words = [c for j, c in enumerate(row) if c is not None and (j == 0 or row[j - 1] is not c)
             and c.text.strip() and parse_number(c.text) is None]
    return len(words) <= 2


def _is_column_numbers(row: Sequence[RawCell | None]) -> bool:
    """A row numbering the columns 1, 2, 3… (a 栏次 row without its label)."""
    nums = [c.text.strip() for j, c in enumerate(row) if c is not None and (j == 0 or row[j - 1] is not c)
            and c.text.strip()]
    words = [n for n in nums if not n.isdigit()]
    nums = [n for n in nums if n.isdigit()]
    # Labels such as 项目 / 行次 / 栏次 may sit left of the numbers.
    if len(nums) < 3 or len(words) > 2 or any(parse_number(w) is not None for w in words):
        return False
    vals = [int(n) for n in nums]
    return vals[0] == 1 and all(b == a + 1 for a, b in itertools.pairwise(vals))


def _header_grid(rows: Sequence[Sequence[RawCell | None]]) -> list[list[str]]:
    return [[(c.text if c is not None else "") for c in row] for row in rows]


def _body_row(row: Sequence[RawCell | None], r: int, page: int, prev: list[Cell] | None) -> list[Cell]:
    out: list[Cell] = []
    for j, c in enumerate(row):
        if c is None:
            out.append(Cell("", page, None))
            continue
        first_col = j == 0 or row[j - 1] is not c
        first_row = c.r0 == r
        if not first_col:
            out.append(Cell("", page, c.bbox))
        elif first_row:
            out.append(Cell(c.text, page, c.bbox))
        else:
            # A label merged down several rows (一级指标, 类) names each row; a merged number is counted once.
            t = c.text if parse_number(c.text) is None else ""
            out.append(Cell(t, page, c.bbox))
    return out


def _project_name(header: list[list[str]], body: list[list[Cell]]) -> str | None:
    rows = [list(h) for h in header] + [[c.text for c in r] for r in body]
    for row in rows[:6]:
        for j, t in enumerate(row):
            if t.replace(" ", "") in _PROJECT_NAME:
                for u in row[j + 1:]:
                    if u.strip() and u.strip() != t:
                        return u.strip()
    return None


def _title_row(g: _Grid) -> str | None:
    """A first row that is one cell across the table and names it (forms put their title inside)."""
    if not g.rows:
        return None
    first = g.rows[0]
    if first and all(c is first[0] for c in first) and first[0] is not None and _TABLE in first[0].text:
        return first[0].text
    return None


def _drop_first_row(g: _Grid) -> None:
    """Remove the top row and renumber the spans of the cells below it."""
    moved: dict[int, RawCell] = {}
    rows: list[list[RawCell | None]] = []
    for row in g.rows[1:]:
        new_row: list[RawCell | None] = []
        for c in row:
            if c is None:
                new_row.append(None)
                continue
            if id(c) not in moved:
                moved[id(c)] = replace(c, r0=max(c.r0 - 1, 0), r1=c.r1 - 1)
            new_row.append(moved[id(c)])
        rows.append(new_row)
    g.rows = rows


_FORM_FIELD = pattern("ingest.form_field")


def _is_form(g: _Grid) -> bool:
    first = _first_text(g.rows[0]).replace(" ", "") if g.rows else ""
    return bool(_FORM_FIELD.match(first))


def opens_form(raw: RawTable) -> bool:
    """The grid opens with a form field (项目名称 | …): a form of its own, one per project."""
    return _is_form(_grid(raw))


def _full_width(row: Sequence[RawCell | None]) -> bool:
    return bool(row) and row[0] is not None and all(c is row[0] for c in row) and len(row) > 1


_CONTINUED = pattern("ingest.continued")


def _continues(first: Caption, cap: Caption) -> bool:
    """A table piece continues the previous one when it has no caption of its own, is marked 续表,
    or repeats the same 公开NN表 code."""
    if cap.empty:
        return True
    title = cap.title or ""
    if cap.code is None and (_CONTINUED.search(title) or not title):
        return cap.unit is None or cap.unit == first.unit
    # The same title alone is no proof: consecutive 绩效自评表 share one title, one per project.
    same_code = cap.code is not None and cap.code == first.code
    return same_code and (cap.unit is None or cap.unit == first.unit)


def _made_of(text: str, labels: set[str]) -> bool:
    """The text is header labels run together (经济分类科目名称 where two cells merged on this page)."""
    ok = [True] + [False] * len(text)
    for i in range(1, len(text) + 1):
        ok[i] = any(ok[i - len(lb)] and text[i - len(lb):i] == lb for lb in labels if 0 < len(lb) <= i)
    return ok[-1]


def _continues_frame(prev: RawTable, raw: RawTable) -> bool:
    """A captionless piece in the same frame whose columns differ: one table when its columns refine
    or coarsen the previous piece's (ruled), or were read from text alignment; not when its first row
    is a caption drawn inside the frame (another table's title)."""
    if not same_frame(prev, raw):
        return False
    g = _grid(raw)
    if g.rows and _full_width(g.rows[0]) and g.rows[0][0] is not None and is_caption_line(g.rows[0][0].text):
        return False
    return prev.inferred or raw.inferred or common_grid([prev, raw]) is not None


def _inner_titles(raw: RawTable) -> list[int]:
    """Rows below the first that are one cell across the frame holding a table title (…预算表): the
    next table's caption, drawn inside the same frame."""
    g = _grid(raw)
    out: list[int] = []
    data = False  # a cut needs a body above it: a title row over the header is the table's own
    for r, row in enumerate(g.rows):
        c = row[0]
        if r and data and _full_width(row) and c is not None and c.r0 == r and is_caption_line(c.text) \
                and _TITLE_WORD.search(c.text.replace(" ", "")):
            out.append(r)
            data = False
        data = data or _is_data_row(row, r)
    # Rows numbered as the grid has them; _grid dropped none when every row holds a cell.
    return out if len(g.rows) == raw.n_rows else []


def _split(ordered: Sequence[tuple[RawTable, Caption, list[str], bool]]
           ) -> list[tuple[RawTable, Caption, list[str], bool]]:
    out: list[tuple[RawTable, Caption, list[str], bool]] = []
    for raw, cap, notes, after_table in ordered:
        parts = split_rows(raw, _inner_titles(raw))
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            # The pieces after a cut start a table of their own: no caption above, not a continuation.
            out.append((part, cap if k == 0 else Caption(), notes if last else [], after_table if k == 0 else False))
    return out


def build_tables(ordered: Sequence[tuple[RawTable, Caption, list[str], bool]]) -> list[Table]:
    groups: list[list[tuple[RawTable, Caption, list[str]]]] = []
    for raw, cap, notes, after_table in _split(ordered):
        if groups and after_table and _continues(groups[-1][0][1], cap) and (
                same_columns(groups[-1][-1][0], raw) or (cap.empty and _continues_frame(groups[-1][-1][0], raw))):
            groups[-1].append((raw, cap, notes))
        else:
            groups.append([(raw, cap, notes)])
    out: list[Table] = []
    for g in groups:
        t = _build(g, f"T{len(out) + 1:02d}")
        if t is not None:
            out.append(t)
    return out


def _build(pieces: Sequence[tuple[RawTable, Caption, list[str]]], tid: str) -> Table | None:
    grid = common_grid([p[0] for p in pieces]) if len(pieces) > 1 else None
    if grid is not None:
        pieces = [(refine(raw, grid), c, n) for raw, c, n in pieces]
    raw0, cap, _ = pieces[0]
    g0 = _grid(raw0)
    title = cap.title
    inner = _title_row(g0)
    if inner is not None:
        _drop_first_row(g0)
        title = title or _clean_title(inner)
    unit_inside: str | None = None
    code_inside: str | None = None
    # Caption rows drawn inside the frame (单位：万元 / 公开01表 / 部门：…) are captions, not body.
    while g0.rows and _full_width(g0.rows[0]) and g0.rows[0][0] is not None \
            and is_caption_line(g0.rows[0][0].text) and len(g0.rows) > 1:
        cap_text = g0.rows[0][0].text.replace(" ", "")
        u, c = unit_in(cap_text), CODE.search(cap_text)
        if not (u or c or DEPT.match(cap_text)):
            break
        unit_inside = unit_inside or u
        code_inside = code_inside or (open_code(c.group(1)) if c else None)
        _drop_first_row(g0)
    if not g0.rows:
        return None
    # A first row that is one cell across the table but no title is a section label (一、政府采购情况):
    # it heads the body, and the header is read below it.
    section: list[Cell] = []
    if _full_width(g0.rows[0]) and len(g0.rows) > 2:
        section = _body_row(g0.rows[0], 0, g0.page, None)
        _drop_first_row(g0)
    # A form (项目名称 | name…, 主管部门 | …) has no column header: every row is a body row.
    nh = 0 if _is_form(g0) else _n_header(g0)
    header_rows = g0.rows[:nh]
    header = _header_grid(header_rows)
    body: list[list[Cell]] = [section] if section else []
    for r in range(nh, len(g0.rows)):
        body.append(_body_row(g0.rows[r], r, g0.page, None))
    notes: list[str] = list(pieces[0][2])
    pages = [g0.page, *raw0.also_on]
    bbox = g0.bbox
    last_row: Sequence[RawCell | None] = g0.rows[-1] if g0.rows else []
    for raw, _c, more_notes in pieces[1:]:
        g = _grid(raw)
        start = 0
        # A continuation page may repeat the header block: drop it.
        labels = {t.replace(" ", "") for row in header for t in row if t.strip()}
        while start < len(g.rows) and not _is_data_row(g.rows[start], start):
            seen = {t.replace(" ", "") for t in _texts(g.rows[start]) if t.strip()}
            if not body and seen and len(g.rows[start]) == raw0.n_cols:
                # The first page held the header's top only (收入 | 支出): its lower rows are here.
                header.append(_texts(g.rows[start]))
                start += 1
                continue
            if not seen or not all(_made_of(t, labels) for t in seen):
                break
            start += 1
        rows = [remap(_body_row(g.rows[r], r, g.page, None), g.rows[r], raw.col_x, raw0.col_x)
                for r in range(start, len(g.rows))]
        # A label that filled its cell at the page foot may wrap onto the top of this page.
        joined = wrapped_over(body[-1], rows[0], full_columns(last_row, raw0.col_x)) if body and rows else None
        if joined is not None:
            body[-1] = joined
            rows = rows[1:]
        body.extend(rows)
        last_row = g.rows[-1] if g.rows else last_row
        pages.append(g.page)
        notes.extend(more_notes)
    # Notes printed inside the frame (注：… / 说明：本表无数据) in rows of their own are notes, not rows.
    inner_notes: list[str] = []
    while body:
        texts = [c.text.strip() for c in body[-1] if c.text.strip()]
        if len(texts) == 1 and (is_note_line(texts[0]) or len(texts[0]) > 40) and parse_number(texts[0]) is None:
            inner_notes.insert(0, texts[0])
            body.pop()
        else:
            break
    notes = inner_notes + notes
    body = [row for row in body if any(c.text.strip() for c in row)]  # empty ruled rows carry nothing
    header, body = drop_hollow_columns(header, body)
    if raw0.inferred:
        header, body = merge_complementary(header, body)
    header, body = lift_code_labels(header, body)
    header, body = join_codes(header, body)
    project = _project_name(header, body)
    if project and title and project not in title:
        title = f"{title}（{project}）"
    unit = cap.unit or unit_inside or _unit_inside(header)
    return Table(id=tid, code=cap.code or code_inside, title=title, unit=unit, pages=tuple(pages),
                 header=tuple(tuple(h) for h in header), rows=tuple(tuple(r) for r in body), bbox=bbox,
                 notes=tuple(notes))


def _clean_title(t: str) -> str:
    return _NUMBERING.sub("", CODE.sub("", t.replace(" ", "")).strip())


def _unit_inside(header: Sequence[Sequence[str]]) -> str | None:
    for row in header:
        for t in row:
            u = unit_in(t.replace(" ", ""))
            if u:
                return u
    return None
