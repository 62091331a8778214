"""Scoring tables (绩效自评表, 评分情况表) read into indicator rows: weight (分值/权重), score (得分), total.

Self-evaluation tables are printed with merged cells that ingest cannot always keep aligned, so a row is
read by what surrounds its numbers rather than by column position alone: the scoring rule text
("完成指标得满分…") sits between the weight and the score; the 执行率 percentage sits between the funds
row's weight and score; otherwise the columns of the last 分值/得分 header row apply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from crossfoot.knowledge import pattern, words
from crossfoot.model import Cell, Report, Table
from crossfoot.numbers import Num, normalize_text

# The table's words are data (knowledge/vocab/scoring.toml); read once, here.
_WEIGHT_HEAD = words("scoring.weight_head")
_SCORE_HEAD = words("scoring.score_head")
_SCORE_HEAD_NOT = words("scoring.score_head_not")
_CATEGORY = pattern("scoring.category_weight")
_CATEGORY_HEAD = pattern("scoring.category_head")
_TOTAL = words("scoring.total_row")
_BREAKDOWN = words("rows.breakdown")
_FUNDS_ROW = pattern("scoring.funds_row")
_RULE_MARKER = words("scoring.rule_marker")
_INDICATOR = words("scoring.indicator")


@dataclass(frozen=True)
class ScoreRow:
    table: Table
    row: int
    weight_col: int
    score_col: int
    weight: Num
    score: Num
    label: str  # indicator name as printed (the longest text cell before the numbers)
    category: str | None  # 产出 / 效益 / 满意度 ..., carried down from the row that names it
    funds: bool  # the 项目资金 (执行率) row


@dataclass(frozen=True)
class ScoreTotal:
    table: Table
    row: int
    score_col: int
    score: Num
    weight: Num | None
    weight_col: int | None


@dataclass(frozen=True)
class ScoreTable:
    table: Table
    rows: tuple[ScoreRow, ...]
    total: ScoreTotal | None
    category_weights: tuple[tuple[str, Num, int], ...]  # (category, stated weight, body row)


def _t(c: Cell) -> str:
    return normalize_text(c.text)


def _num(c: Cell) -> Num | None:
    n = c.num
    if n is None or n.unit not in (None,):
        return None
    return n


def is_scoring_table(table: Table) -> bool:
    cells = [*(h for row in table.header for h in row), *(c.text for r in table.rows for c in r)]
    text = [normalize_text(x) for x in cells]
    return any(any(w in x for w in _SCORE_HEAD) for x in text) and any(
        any(w in x for w in _WEIGHT_HEAD) for x in text)


def _header_cols(texts: list[str]) -> tuple[int, int] | None:
    w = next((j for j, x in enumerate(texts) if any(x.startswith(h) for h in _WEIGHT_HEAD)), None)
    s = next((j for j, x in enumerate(texts) if x.startswith(_SCORE_HEAD)
              and not any(w in x for w in _SCORE_HEAD_NOT)), None)
    if w is None or s is None or s <= w:
        return None
    return w, s


def _is_rule_text(x: str) -> bool:
    from crossfoot.tables.scorerule import is_rule

    return len(x) >= 4 and (any(w in x for w in _RULE_MARKER) or is_rule(x))


def _label(texts: list[str], upto: int) -> str:
    cands = [x for x in texts[:upto] if x and _num_text(x) is None]
    return max(cands, key=len) if cands else ""


def _num_text(x: str) -> Num | None:
    from crossfoot.numbers import parse_number

    return parse_number(x)


def _halves(table: Table) -> list[tuple[int, int]]:
    """Column spans of scoring tables printed side by side in one frame (产出 | 分值 | 得分 | 效益 | 分值 | 得分):
    a header row naming weight and score more than once, alternating. Empty when the table is one."""
    for hrow in table.header:
        texts = [normalize_text(h) for h in hrow]
        ws = [j for j, x in enumerate(texts) if x.startswith(_WEIGHT_HEAD)]
        ss = [j for j, x in enumerate(texts) if x.startswith(_SCORE_HEAD)
              and not any(w in x for w in _SCORE_HEAD_NOT)]
        if len(ws) < 2 or len(ws) != len(ss) or not all(w < sc for w, sc in zip(ws, ss, strict=True)) or not all(
                sc < w for sc, w in zip(ss, ws[1:], strict=False)):
            continue
        starts = [0, *(sc + 1 for sc in ss[:-1])]
        ends = [*ss[:-1], table.n_cols - 1]
        return list(zip(starts, ends, strict=True))
    return []


def _masked(table: Table, lo: int, hi: int) -> Table:
    """The table with the cells outside columns lo..hi blanked: one of its side-by-side halves, its cells
    keeping their row and column numbers (so evidence still points into the table as printed)."""
    def keep(j: int, c: Cell) -> Cell:
        return c if lo <= j <= hi else replace(c, text="")

    header = tuple(tuple(h if lo <= j <= hi else "" for j, h in enumerate(row)) for row in table.header)
    rows = tuple(tuple(keep(j, c) for j, c in enumerate(row)) for row in table.rows)
    return replace(table, header=header, rows=rows)


def read_scorings(table: Table) -> list[ScoreTable]:
    """Every scoring table the table holds: itself, or each of the tables printed side by side in it."""
    spans = _halves(table)
    parts = [_masked(table, lo, hi) for lo, hi in spans] if spans else [table]
    return [st for t in parts if (st := _read_scoring(t)) is not None]


def read_scoring(table: Table) -> ScoreTable | None:
    """The table's scoring table (the first of those printed side by side)."""
    got = read_scorings(table)
    return got[0] if got else None


def _read_scoring(table: Table) -> ScoreTable | None:
    if not is_scoring_table(table):
        return None
    cols: tuple[int, int] | None = None
    for hrow in table.header:
        cols = _header_cols([normalize_text(h) for h in hrow]) or cols
    rows: list[ScoreRow] = []
    total: ScoreTotal | None = None
    cats: list[tuple[str, Num, int]] = []
    category: str | None = None
    funds_seen = False
    funds_values: list[Decimal] = []
    for i, cells in enumerate(table.rows):
        texts = [_t(c) for c in cells]
        hc = _header_cols(texts)
        if hc is not None:
            cols = hc
            continue
        for x in texts:
            m = _CATEGORY.search(x)
            if m:
                category = m.group("cat")
                n = _num_text(m.group("w"))
                if n is not None and m.group("close"):
                    cats.append((category, n, i))
                break
            h = _CATEGORY_HEAD.match(x)
            if h:
                category = h.group("cat")
        first = next((x for x in texts if x), "")
        nums = [(j, n) for j, c in enumerate(cells) if (n := _num(c)) is not None]
        if any(first.startswith(w) for w in _TOTAL) or (nums and len(nums) <= 2 and not any(
                x and _num_text(x) is None for x in texts) and rows):
            if nums and not any(x.startswith(_BREAKDOWN) for x in texts):
                sj, sn = nums[-1]
                wj, wn = nums[-2] if len(nums) >= 2 else (None, None)
                total = ScoreTotal(table, i, sj, sn, wn, wj)
            continue
        if any(w in x for x in texts[:3] for w in _BREAKDOWN):
            continue
        pct = next((j for j, c in enumerate(cells) if c.num is not None and c.num.unit == "%"), None)
        ws: tuple[int, int] | None = None
        funds = False
        rule = next((j for j, x in enumerate(texts) if _is_rule_text(x)), None)
        if pct is not None and funds_seen and [n.value for _, n in nums] == funds_values:
            continue  # the 其中:当年财政拨款 line repeating the funds row, its label on another page half
        if pct is not None and not funds_seen and not rows:
            before = [j for j, _ in nums if j < pct]
            after = [j for j, _ in nums if j > pct]
            if before and after and (cols is None or "%" not in texts[cols[0]]):
                ws, funds = (before[-1], after[0]), True
        funds_label = any(_FUNDS_ROW.search(x) for x in texts[:3])
        if (ws is None and funds_label and not funds_seen and not rows and cols is not None
                and cols[1] < len(cells) and _num(cells[cols[0]]) is not None and _num(cells[cols[1]]) is not None):
            ws, funds = cols, True  # a funds row whose 执行率 is printed without its % sign
        if ws is None and rule is not None:
            before = [j for j, _ in nums if j < rule]
            after = [j for j, _ in nums if j > rule]
            if (cols is not None and rule < cols[0] < cols[1] < len(cells)
                    and _num(cells[cols[0]]) is not None and _num(cells[cols[1]]) is not None):
                ws = cols  # a 评分标准 column printed before the weight: the header's columns hold
            elif before and after:
                ws = (before[-1], after[0])
        if (ws is None and cols is not None and cols[1] < len(cells)
                and _num(cells[cols[0]]) is not None and _num(cells[cols[1]]) is not None):
            ws = cols
        if ws is None:
            continue
        if funds:
            if funds_seen:
                continue
            funds_seen = True
            funds_values = [n.value for _, n in nums]
        w, s = _num(cells[ws[0]]), _num(cells[ws[1]])
        if w is None or s is None:
            continue
        rows.append(ScoreRow(table, i, ws[0], ws[1], w, s, _label(texts, ws[0]), category, funds))
    if not rows and total is None:
        return None
    return ScoreTable(table, tuple(rows), total, tuple(cats))


_ACTUAL_HEAD = words("scoring.actual_head")


def names_actual(table: Table, row: int, col: int) -> bool:
    """Whether the column is headed as the achieved value (实际完成值), in the header or a header row printed
    inside the body above the row."""
    heads = [h[col] for h in table.header if col < len(h)] + [
        r[col].text for r in table.rows[:row] if col < len(r) and r[col].num is None]
    return any(w in normalize_text(h) for h in heads for w in _ACTUAL_HEAD)


def score_tables(report: Report) -> list[ScoreTable]:
    """Every scoring table of the report, read once per report through `Context.score_tables`."""
    out = []
    for t in report.tables:
        out.extend(read_scorings(t))  # tables printed side by side in one frame are read each
    return out


@dataclass(frozen=True)
class Indicator:
    """A scored indicator row read as the texts printed before its weight: …, 二级指标, name, target, actual."""

    row: ScoreRow
    name: str
    target: str
    actual: str
    target_col: int
    actual_col: int
    group: str  # the 二级指标 (数量指标, 质量指标…) when printed on the row, else ""
    rule_text: str  # the row's 评分标准 text, if any


def indicators(tables: list[ScoreTable]) -> list[Indicator]:
    out: list[Indicator] = []
    for st in tables:
        for r in st.rows:
            if r.funds:
                continue
            cells = r.table.rows[r.row]
            before = [j for j in range(r.weight_col) if normalize_text(cells[j].text)]
            if len(before) < 3:
                continue
            rule = next((normalize_text(c.text) for c in cells[r.weight_col + 1:r.score_col]
                         if _is_rule_text(normalize_text(c.text))), "")
            if not rule and len(before) >= 4 and _is_rule_text(normalize_text(cells[before[-1]].text)):
                # 评分标准 printed before the weight (指标值 | 完成值 | 评分标准 | 分值 | 得分)
                rule = normalize_text(cells[before.pop()].text)
            if not rule:
                # … or after the score (分值 | 得分 | 评分标准): only a cell that reads as a rule, not a remark
                from crossfoot.tables.scorerule import is_rule

                rule = next((t for c in cells[r.score_col + 1:] if is_rule(t := normalize_text(c.text))), "")
            tj, aj = before[-2], before[-1]
            group = normalize_text(cells[before[-4]].text) if len(before) >= 4 else ""
            out.append(Indicator(r, normalize_text(cells[before[-3]].text), normalize_text(cells[tj].text),
                                 normalize_text(cells[aj].text), tj, aj, group if group.endswith(_INDICATOR) else "",
                                 rule))
    return out
