"""Which rows and columns a total sums: the 类/款/项 code hierarchy, outline numbering, 合计/总计 rows over
the rows they head or close, and 合计 columns over their sibling columns in the header tree. Read by
checks/table_sum.py (and trust) from the rows structure.py gives."""

from __future__ import annotations

from dataclasses import dataclass

from crossfoot.knowledge import words
from crossfoot.model import Table
from crossfoot.tables.structure import (
    BREAKDOWN,
    TOTAL_WORDS,
    Row,
    Segment,
    code_levels,
    compact,
    ext,
    is_blank,
    is_total_label,
)

# The grand total word (总计): a row naming it sums the 合计 rows before it.
_GRAND_TOTAL = words("tables.grand_total")


@dataclass(frozen=True)
class Group:
    """A total and the rows it should equal the sum of."""

    total: Row
    parts: tuple[Row, ...]
    rule: str  # why these rows: "code", "outline", "total", "class"
    # A part printed blank whose sub-items carry the values (年初结转和结余 over its 一、二、三、 rows)
    # stands for their sum.
    subs: tuple[tuple[Row, tuple[Row, ...]], ...] = ()


def code_groups(rows: list[Row]) -> list[Group]:
    """类 = Σ its 款, 款 = Σ its 项, following the code hierarchy (also for 301 = Σ 301xx)."""
    levels = code_levels(rows)
    groups: list[Group] = []
    for i, r in enumerate(rows):
        if r.code is None:
            continue
        parts: list[Row] = []
        for k in range(i + 1, len(rows)):
            c = rows[k].code
            if c is None:
                if rows[k].is_total:
                    break
                continue
            if levels[k] <= levels[i] or not c.startswith(r.code):
                break
            if levels[k] == levels[i] + 1:
                parts.append(rows[k])
        if parts:
            groups.append(Group(r, tuple(parts), "code"))
    return groups


def outline_groups(rows: list[Row]) -> list[Group]:
    """A numbered row (一、 3. （一）) = Σ the rows numbered one level deeper beneath it; 其中 rows are
    breakdowns of a part, not parts."""
    groups: list[Group] = []
    for i, r in enumerate(rows):
        if r.code is not None or r.is_total or r.outline == 0:
            continue
        parts: list[Row] = []
        level = 0
        for x in rows[i + 1:]:
            if x.is_total or x.code is not None or (x.outline and x.outline <= r.outline):
                break
            if x.outline == 0:
                if x.name.startswith(BREAKDOWN):
                    continue
                break
            level = level or x.outline
            if x.outline == level:
                parts.append(x)
        if parts:
            groups.append(Group(r, tuple(parts), "outline"))
    return groups


def _style(r: Row) -> int:
    return r.outline


def label_groups(rows: list[Row]) -> list[Group]:
    """Totals found by label: 合计 over the 类 rows or over the outline items it heads or closes, and
    总计 = the 合计 above it + the rows in between (结转结余, 结余分配...)."""
    groups: list[Group] = []
    levels = code_levels(rows)
    coded_levels = [lv for lv in levels if lv > 0]
    top_level = min(coded_levels) if coded_levels else 0
    has_codes = top_level > 0
    prev_total: int | None = None
    boundary = 0
    grouped = _group_heads(rows)
    for i, r in enumerate(rows):
        if not r.is_total:
            continue
        if i in grouped:
            # 小计 beside its group's label heads the rows carrying that label, and only them (none: an
            # empty group); rows of other groups are never its parts.
            if grouped[i]:
                groups.append(Group(r, tuple(grouped[i]), "outline"))
            prev_total, boundary = i, i + 1
            continue
        if has_codes and prev_total is None and (i == 0 or all(x.code is None for x in rows[:i])):
            parts = [rows[k] for k in range(len(rows)) if levels[k] == top_level]
            if parts:
                groups.append(Group(r, tuple(parts), "class"))
            prev_total, boundary = i, i + 1
            continue
        if any(w in r.name for w in _GRAND_TOTAL) and prev_total is not None:
            heads, subs = _umbrella_parts(rows[prev_total + 1:i])
            groups.append(Group(r, (rows[prev_total], *heads), "total", subs))
            prev_total, boundary = i, i + 1
            continue
        before = _after_heading([x for x in rows[boundary:i] if not x.is_total])
        heads_items = r.outline > 0 and i + 1 < len(rows) and rows[i + 1].outline > r.outline
        if before and not heads_items:
            coded = [x for x in before if x.code is not None]
            if coded:
                top = min((len(x.code) for x in coded if x.code), default=3)
                parts = [x for x in coded if x.code is not None and len(x.code) == top]
            else:
                parts = _same_style(before)
        else:
            after: list[Row] = []
            for x in rows[i + 1:]:
                if x.is_total or (x.outline and r.outline and x.outline <= r.outline):
                    break
                after.append(x)
            parts = _same_style(after, stop_on_change=True)
        if parts:
            groups.append(Group(r, tuple(parts), "outline"))
        prev_total, boundary = i, i + 1
    return groups


def _first_label(r: Row) -> tuple[str, bool]:
    """The row's first label cell and whether a later label cell of its own holds a total word."""
    cells = r.table.rows[r.index]
    first_value = min(r.value_cols, default=len(cells))
    texts = [compact(c.text) for c in cells[:first_value]]
    filled = [t for t in texts if t]
    if len(filled) < 2:
        return (filled[0] if filled else ""), False
    return filled[0], any(is_total_label(t) for t in filled[1:])


def _group_heads(rows: list[Row]) -> dict[int, list[Row]]:
    """Totals printed as "<group label> | 小计" in a grouped layout (the group label repeated or merged down
    the first column over its rows), with the rows of the same group that follow them."""
    out: dict[int, list[Row]] = {}
    for i, r in enumerate(rows):
        if not r.is_total:
            continue
        group, total_after = _first_label(r)
        if not group or not total_after or is_total_label(group):
            continue
        members = _same_group(rows[i + 1:], group)
        if not members:
            # A 小计 closing its group: the rows of its group just above it.
            members = _same_group(rows[:i][::-1], group)[::-1]
        out[i] = [x for x in members if not x.name.removeprefix(group).startswith(BREAKDOWN)]
    return out


def _same_group(rows: list[Row], group: str) -> list[Row]:
    out: list[Row] = []
    for x in rows:
        if _first_label(x)[0] != group or x.is_total:
            break
        out.append(x)
    return out


def _after_heading(rows: list[Row]) -> list[Row]:
    """Rows after the last section heading (a numbered row printing no value) that heads other rows."""
    cut = 0
    for k, x in enumerate(rows[:-1]):
        blank = all(is_blank(x.table.rows[x.index][j]) for j in x.value_cols)
        nxt = rows[k + 1].outline
        # It heads what follows only when that is numbered deeper or not numbered: a blank item followed by a
        # shallower one (2. … then 二、) is an empty part of the list, not a heading.
        if x.outline and blank and (nxt == 0 or nxt > x.outline):
            cut = k + 1
    return rows[cut:]


def _same_style(rows: list[Row], stop_on_change: bool = False) -> list[Row]:
    """Rows at the first row's outline level; deeper-numbered rows and 其中 rows are sub-items."""
    rows = [r for r in rows if not r.name.startswith(BREAKDOWN)]
    if not rows:
        return []
    style = _style(rows[0])
    out: list[Row] = []
    for r in rows:
        s = _style(r)
        if s == style:
            out.append(r)
        elif stop_on_change and (style == 0 or 0 < s < style):
            # Un-numbered rows under numbered items are their sub-items (一、货物 then its lines, then 三、服务):
            # they do not end the list, and numbered items need not be consecutive.
            break
    return out


def _umbrella_parts(rows: list[Row]) -> tuple[list[Row], tuple[tuple[Row, tuple[Row, ...]], ...]]:
    """Rows between 合计 and 总计: an un-numbered row followed by numbered rows heads them."""
    heads: list[Row] = []
    subs: list[tuple[Row, tuple[Row, ...]]] = []
    k = 0
    while k < len(rows):
        r = rows[k]
        m = k + 1
        if r.outline == 0:
            while m < len(rows) and rows[m].outline != 0:
                m += 1
        heads.append(r)
        if m > k + 1:
            subs.append((r, tuple(rows[k + 1:m])))
        k = m
    return heads, tuple(subs)


def column_groups(table: Table, seg: Segment) -> list[tuple[int, tuple[int, ...]]]:
    """Row-wise identities from the header tree: a 合计/小计 column = Σ its sibling columns."""
    out: list[tuple[int, tuple[int, ...]]] = []
    allowed = set(seg.value_cols)

    def rep(node: dict[str, object]) -> int | None:
        cols = [c for c in _cols(node) if c in allowed]
        kids = _kids(node)
        if len(cols) == 1:
            return cols[0]
        if not kids:
            return None
        for k in kids:
            if _is_total_node(k):
                r = rep(k)
                if r is not None:
                    return r
        return None

    def walk(nodes: list[dict[str, object]]) -> None:
        totals = [n for n in nodes if _is_total_node(n)]
        if len(totals) == 1 and len(nodes) >= 2:
            t = rep(totals[0])
            others = [rep(n) for n in nodes if n is not totals[0]]
            if t is not None and others and all(o is not None for o in others):
                out.append((t, tuple(o for o in others if o is not None)))
        for n in nodes:
            walk(_kids(n))

    walk(_header_nodes(table, seg))
    return out


def _header_nodes(table: Table, seg: Segment) -> list[dict[str, object]]:
    tree = ext(table).header_tree()
    allowed = set(seg.value_cols)
    # Descend through single wrappers (项目 / 金额) until the level that splits the value columns.
    nodes = [n for n in tree if set(_cols(n)) & allowed]
    while len(nodes) == 1 and _kids(nodes[0]):
        nodes = [n for n in _kids(nodes[0]) if set(_cols(n)) & allowed]
    return [n for n in nodes if set(_cols(n)) <= allowed]


def _cols(node: dict[str, object]) -> list[int]:
    c = node.get("cols")
    return [int(x) for x in c] if isinstance(c, list) else []


def _kids(node: dict[str, object]) -> list[dict[str, object]]:
    k = node.get("children")
    return [x for x in k if isinstance(x, dict)] if isinstance(k, list) else []


def _is_total_node(node: dict[str, object]) -> bool:
    label = compact(str(node.get("label", "")))
    return any(w in label for w in TOTAL_WORDS)
