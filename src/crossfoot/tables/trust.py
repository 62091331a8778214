"""How far a parsed table's shape can be trusted, from what can be verified about it.

A table read with the wrong shape (columns glued or shifted, header lost, codes split) produces
arithmetic that "fails" for reasons that have nothing to do with the report. Rather than assert those
failures, the pipeline holds back the problems resting on such a table and names the table. The
evidence used here is internal to the table, never a file or a number:

- its header: the value columns carry a label;
- its cells: no cell holds two amounts run together ("27 1,144.45"), and a column holds either
  text or amounts, not both;
- its pages: the columns holding amounts are the same on every page it spans;
- its codes: 类/款/项 codes form a hierarchy (every 款 under a 类 printed in the same table);
- its arithmetic: its own code totals *mostly* add up (one wrong total is a finding, not a misread).

The confidence is computed at ingest (ingest.assemble) and stored with the parsed report: a change to
the rules here changes the parse, so bump ingest.PARSER_VERSION with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from crossfoot.ingest.layout import is_cjk
from crossfoot.ingest.words import page_words
from crossfoot.knowledge import words
from crossfoot.model import Table
from crossfoot.numbers import EMPTY_MARKS, Interval, interval_sum, normalize_text, parse_number

if TYPE_CHECKING:
    from crossfoot.findings import Finding

# Below this score the table's shape is doubtful: the problems resting on it are held back.
THRESHOLD = 0.5


@dataclass(frozen=True)
class Trust:
    score: float  # 1.0: nothing speaks against the shape; lower: more evidence it was misread
    reasons: tuple[str, ...]  # what speaks against it, worst first, in words for the auditor

    @property
    def doubtful(self) -> bool:
        return self.score < THRESHOLD


def _text(t: str) -> str:
    return normalize_text(t)


def _amount(t: str) -> bool:
    return t not in EMPTY_MARKS and any(ch.isdigit() for ch in t) and parse_number(t) is not None


def _code(t: str) -> bool:
    return t.isdigit() and len(t) in (3, 5, 7) and t[0] in "123456789"


def _glued(raw: str) -> bool:
    """Two or more amounts in one cell, separated by space: neighbouring columns run together.
    A code printed in parts ("212 01 01") and a 栏次 row ("1 2 3") are not amounts."""
    toks = raw.split()
    if len(toks) < 2 or not all(_amount(_text(x)) for x in toks):
        return False
    return not all(x.isdigit() and len(x) <= 3 for x in toks)  # line numbers, code parts


@dataclass
class _Evidence:
    factors: list[tuple[float, str]]

    def add(self, factor: float, reason: str) -> None:
        self.factors.append((factor, reason))


def _is_form(table: Table) -> bool:
    """Scoring tables and other forms mix words and numbers in every column by design."""
    from crossfoot.tables.structure import table_kind

    return table_kind(table) == "scoring"


def assess(table: Table) -> Trust:
    if not table.rows or table.n_cols < 2:
        return Trust(1.0, ())
    ev = _Evidence([])
    _check_glued(table, ev)
    _check_column_numbers(table, ev)
    _check_line_label(table, ev)
    if not _is_form(table):  # a form's grid puts words and numbers anywhere, on rows of their own
        _check_stray_amounts(table, ev)
        _check_header(table, ev)
        _check_columns(table, ev)
        _check_pages(table, ev)
        _check_codes(table, ev)
    score = 1.0
    for f, _ in ev.factors:
        score *= f
    reasons = tuple(r for _, r in sorted(ev.factors, key=lambda x: x[0]))
    return Trust(round(score, 3), reasons)


def _check_glued(table: Table, ev: _Evidence) -> None:
    n_amounts = glued = 0
    for row in table.rows:
        for c in row:
            t = _text(c.text)
            if _glued(c.text):
                glued += 1
            elif _amount(t):
                n_amounts += 1
    if glued >= 2 and glued * 20 >= n_amounts + glued:
        ev.add(0.3, f"amounts of neighbouring columns run together in {glued} cells")
    elif glued:
        ev.add(0.6, f"amounts of neighbouring columns run together in {glued} cell{'s' if glued > 1 else ''}")


def _check_stray_amounts(table: Table, ev: _Evidence) -> None:
    """Amounts on a row with no label beside a label with no amounts: a wrapped label pushed the
    amounts onto a line of their own (or onto the next label's line)."""
    from crossfoot.tables.structure import header_depth

    kinds = []
    for i in range(header_depth(table), len(table.rows)):
        has_amount = any(_amount(t) and not _code(t) for c in table.rows[i] if (t := _text(c.text)))
        has_label = bool(_text(table.row_label(i)))
        kinds.append("value" if has_amount and not has_label else "label" if has_label and not has_amount
                     else "row" if has_label else "")
    stray = sum(1 for k, kind in enumerate(kinds) if kind == "value"
                and "label" in (kinds[k - 1] if k else "", kinds[k + 1] if k + 1 < len(kinds) else ""))
    if stray >= 2:
        ev.add(0.4, f"{stray} rows of amounts have no label, beside labels with no amounts")


def _check_column_numbers(table: Table, ev: _Evidence) -> None:
    """The 栏次/行次 row numbers the columns one by one: a cell holding several of those numbers
    ("2 3 4 5", "栏次1 2") is several columns read as one."""
    rows = [tuple(h) for h in table.header] + [tuple(c.text for c in r) for r in table.rows[:8]]
    for texts in rows:
        flat = [_text(t) for t in texts]
        if not any(w in t for t in flat for w in _line_words()):
            continue
        # "3=1+2" defines a column from others; it is one column.
        merged = sum(1 for t in texts if not any(m in t for m in "=+－-") and len(_NUMBER_TOKEN.findall(t)) >= 2)
        if merged:
            shown = " | ".join(" ".join(t.split()) for t in texts if t.strip())[:48]
            ev.add(0.3, f"its column-number row ({shown}) shows columns read as one")
            return


# The words are looked up on first use, not on import: render imports this module on a warm, cached run,
# which builds no catalogue.
@lru_cache(maxsize=1)
def _line_words() -> tuple[str, ...]:
    return words("ingest.line_number_labels")  # 栏次, 行次


@lru_cache(maxsize=1)
def _grand_totals() -> tuple[str, ...]:
    # A table has one grand total; the words are the row label alone (收入合计 is a side's total).
    return words("tables.grand_total_labels")


@lru_cache(maxsize=1)
def _levels() -> tuple[str, ...]:
    return words("rows.subject_levels")  # 类, 款, 项, as the evidence names them


def _check_line_label(table: Table, ev: _Evidence) -> None:
    """A header label fusing 行次/栏次 with another column's name ("行次决算数"): the line-number
    column and an amount column were read as one, so line numbers sit in front of amounts."""
    from crossfoot.tables.structure import ext

    e = ext(table)
    for j in range(table.n_cols):
        for part in e.column_path(j):
            p = _text(part)
            if any(w in p and p != w for w in _line_words()):
                ev.add(0.45, f"its header «{p}» fuses the line-number column with another")
                return


_NUMBER_TOKEN = re.compile(r"(?<![\d.,])\d{1,2}(?![\d.,])")


def _filled(table: Table, j: int, start: int) -> list[str]:
    return [t for r in table.rows[start:] if j < len(r) and (t := _text(r[j].text))]


def _check_header(table: Table, ev: _Evidence) -> None:
    from crossfoot.tables.structure import ext, header_depth

    e = ext(table)
    start = header_depth(table)
    value_cols = [j for j in range(table.n_cols)
                  if (cells := _filled(table, j, start)) and sum(_amount(t) and not _code(t) for t in cells) * 2 > len(cells)]
    if not value_cols:
        return
    unlabelled = [j for j in value_cols if not e.column_path(j)]
    # A header word cut between two columns ("科目名称金" | "额"): the column boundary runs through it.
    cut = [p[-1] for j in value_cols if (p := [_text(x) for x in e.column_path(j)])
           and len(p[-1]) == 1 and is_cjk(p[-1]) and p[-1] not in page_words()["header"]["code_parts"]]
    if cut:
        ev.add(0.45, f"its header words are cut between columns («{'», «'.join(cut[:3])}»)")
    if len(unlabelled) * 2 > len(value_cols):
        ev.add(0.4, f"no header found over {len(unlabelled)} of its {len(value_cols)} amount columns")
        return
    # One printed column read as two: an unlabelled column beside a labelled one, each row holding
    # its amount in one or the other, never both.
    for j in unlabelled:
        mine = _amount_rows(table, j, start)
        for k in (j - 1, j + 1):
            if 0 <= k < table.n_cols and e.column_path(k):
                theirs = _amount_rows(table, k, start)
                if len(mine) >= 2 and len(theirs) >= 1 and not mine & theirs:
                    ev.add(0.4, f"the amounts under «{'/'.join(e.column_path(k))}» are split over two columns")
                    return


def _amount_rows(table: Table, j: int, start: int) -> set[int]:
    return {i for i in range(start, len(table.rows)) if j < len(table.rows[i])
            and _amount(t := _text(table.rows[i][j].text)) and not _code(t)}


def _check_columns(table: Table, ev: _Evidence) -> None:
    from crossfoot.tables.structure import header_depth

    start = header_depth(table)
    mixed = judged = 0
    for j in range(table.n_cols):
        cells = _filled(table, j, start)
        if len(cells) < 4:
            continue
        judged += 1
        n_num = sum(1 for t in cells if _amount(t) and not _code(t))
        n_txt = sum(1 for t in cells if not _amount(t) and t not in EMPTY_MARKS and not _code(t))
        if n_num >= 2 and n_txt >= 2 and min(n_num, n_txt) * 4 >= n_num + n_txt:
            mixed += 1
    if mixed and mixed * 4 >= judged:
        ev.add(0.4, f"words and amounts share {mixed} of its {judged} columns")


def _check_pages(table: Table, ev: _Evidence) -> None:
    if len(table.pages) < 2:
        return
    by_page: dict[int, list[set[int]]] = {}
    for row in table.rows:
        page = next((c.page for c in row if _text(c.text)), None)
        if page is None:
            continue
        by_page.setdefault(page, []).append({j for j, c in enumerate(row) if _amount(_text(c.text))
                                             and not _code(_text(c.text))})
    sigs: list[set[int]] = []
    for rows in by_page.values():
        if len(rows) < 3:
            continue  # an orphaned 合计 row says nothing about the columns
        sigs.append(set().union(*rows))
    if len(sigs) < 2:
        return
    first = sigs[0]
    for other in sigs[1:]:
        union = first | other
        if union and len(first & other) * 2 < len(union):
            ev.add(0.4, "its amount columns differ from page to page")
            return


def _check_codes(table: Table, ev: _Evidence) -> None:
    from crossfoot.tables.rowgroups import code_groups
    from crossfoot.tables.structure import segment_rows, segments

    tests = fails = 0
    orphans = coded = repeats = n_codes = 0
    segs = segments(table)
    for k, seg in enumerate(segs):
        rows = segment_rows(table, k, seg, segs)
        codes = [r.code for r in rows if r.code]
        known = set(codes)
        tops = [c for c in codes if len(c) == 3]
        repeats += len(tops) - len(set(tops))
        n_codes += len(codes)
        for c in codes:
            if len(c) > 3:
                coded += 1
                if c[:-2] not in known and c[:3] not in known:
                    orphans += 1
        for g in code_groups(rows):
            for j in seg.value_cols:
                total = _interval(table, g.total.index, j)
                parts = [_interval(table, p.index, j) for p in g.parts]
                if total is None or all(p is None for p in parts):
                    continue
                tests += 1
                s = interval_sum([p for p in parts if p is not None])
                if not total.overlaps(s):
                    fails += 1
    # A 类 code heads its rows once (a 项 printed with its 款's code cut to 5 digits may repeat that
    # one): the same 类 code on many rows means its 款/项 parts, printed in columns of their own,
    # were not joined to it.
    if repeats >= 3 and repeats * 3 > n_codes:
        ev.add(0.4, f"its {'/'.join(_levels())} codes were not joined ({repeats} of its {n_codes} coded rows repeat a code)")
    grand = [i for i in range(len(table.rows)) if _text(table.row_label(i)) in _grand_totals()]
    pages = {table.rows[i][0].page for i in grand}
    if len(grand) >= 2 and len(pages) >= 2:
        ev.add(0.4, f"it holds {len(grand)} grand-total rows on {len(pages)} pages: several tables read as one")
    if coded >= 4 and orphans * 2 > coded:
        lei, kuan, xiang = _levels()
        ev.add(0.5, f"{orphans} of its {coded} {kuan}/{xiang} codes have no {lei} or {kuan} above them")
    if tests >= 4 and fails * 2 > tests:
        ev.add(0.4, f"{fails} of its {tests} {'/'.join(_levels())} totals do not add up")


def _interval(table: Table, i: int, j: int) -> Interval | None:
    row = table.rows[i]
    if j >= len(row):
        return None
    n = parse_number(row[j].text)
    return None if n is None else n.interval()


def with_trust(table: Table) -> Table:
    """The table with its confidence set; an uncertainty ingest already stated is kept."""
    t = assess(table)
    uncertain = table.uncertain or (t.reasons[0] if t.doubtful and t.reasons else "")
    return replace(table, confidence=t.score, uncertain=uncertain)


def held_back_rows(tables: Sequence[Table], held: Sequence[Finding]) -> list[tuple[Table, str]]:
    """Each doubtful table with problems held back, and one line naming it, why, and how many of its
    checks were not run: "公开03表 支出决算表 p8: amounts of neighbouring columns run together in 6
    cells; its 12 checks were not run"."""
    counts: dict[str, int] = {}
    for f in held:
        for tid in dict.fromkeys(r.table for r in f.refs):
            counts[tid] = counts.get(tid, 0) + 1
    out: list[tuple[Table, str]] = []
    for t in tables:
        n = counts.get(t.id, 0)
        if not n or not t.uncertain:
            continue
        out.append((t, f"{table_name(t)}: {t.uncertain}; its {n} check{'s' if n != 1 else ''} "
                       f"{'were' if n != 1 else 'was'} not run"))
    return out


def held_back_notes(tables: Sequence[Table], held: Sequence[Finding]) -> list[str]:
    return [note for _, note in held_back_rows(tables, held)]


def table_name(t: Table) -> str:
    pages = f"p{t.pages[0]}" + (f"-{t.pages[-1]}" if len(t.pages) > 1 else "") if t.pages else ""
    return " ".join(x for x in (t.id, t.code, t.title, pages) if x)
