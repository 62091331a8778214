"""What a figure asks of a cell and how well a cell answers: labels, 科目 paths, column roles, names, scores."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from crossfoot.knowledge.vocab import alternation
from crossfoot.matching.link_words import (
    ACCEPT,
    AMOUNT_ROLES,
    BUDGET_ROLES,
    HEADING_MAX,
    LEVEL_DASH,
    LEVEL_MARK,
    NAME_SLACK,
    PRIOR_ROLES,
    TITLE_LEAD,
    TITLE_STEM,
    column_roles,
    figure_base,
    pattern,
    related,
    scope_of,
    within,
    words,
)
from crossfoot.matching.match import IndexedCell, is_budget_column
from crossfoot.model import Report
from crossfoot.narrative.figures import Figure
from crossfoot.tables.labels import clean_label, code_of, norm_label, similarity

# ---- what the figure is about -----------------------------------------------------------------------


@dataclass(frozen=True)
class Want:
    """What a figure asks of a cell."""

    label: str
    leaf: str  # the last 科目 level of a hierarchical label (行政运行 of …（类）…（款）行政运行（项）)
    code: str | None  # the 科目 code the label prints, when every level prints its part
    role: str  # actual | budget | original | whole_year | prior_actual | prior_budget
    scope: str | None  # the fund scope the label itself names
    context_scope: str | None  # the scope the section or sentence speaks of
    topics: frozenset[str]
    direction: str | None  # income | expense


def _is_filler(text: str) -> bool:
    t = norm_label(text)
    for w in words("fillers"):
        t = t.replace(w, "")
    return not t


def _hierarchy(label: str) -> tuple[str, str | None]:
    marks = list(LEVEL_MARK.finditer(label))
    if not marks:
        # "社会保障和就业支出-行政事业单位养老支出-行政单位离退休科目": the levels joined by dashes.
        dashed = [p for p in LEVEL_DASH.split(pattern("subject_suffix").sub("", label)) if p]
        return (clean_label(dashed[-1]), None) if len(dashed) >= 2 and len(dashed[-1]) >= 2 else ("", None)
    parts: list[str] = []
    last = 0
    codes: list[str] = []
    for m in marks:
        parts.append(label[last:m.start()])
        codes.append(m.group(1))
        last = m.end()
    tail = clean_label(label[last:])
    leaf = tail if len(norm_label(tail)) >= 2 and not _is_filler(tail) else clean_label(parts[-1])
    code = "".join(codes) if all(codes) and len(codes) >= 1 else None
    if code is not None and not re.fullmatch(r"\d{3}(?:\d{2}){0,2}", code):
        code = None
    return leaf, code


_FUND_NAME = pattern("fund_budget")


@cache
def _org_re() -> re.Pattern[str]:
    # Longest first: 某区人民政府办公室 is one name, not 人民政府 followed by 办公室.
    ends, own = alternation(words("organisation_ends")), alternation(words("own_level"))
    return re.compile(r"^.{2,24}" + ends + r"(?:[\uff08(]" + own + r"[)\uff09])?")


def _own_label(label: str, report: Report) -> str:
    """The label without the department that opens it (某市某区司法局收入 -> 收入); a bare 收入 or 支出
    is the side's total; "X的Y" is about Y."""
    dept = report.department or ""
    if dept and label.startswith(dept) and len(label) > len(dept) + 1:
        label = label[len(dept):]
    elif (m := _org_re().match(label)) and len(label) - m.end() >= 2 and not re.search(r"\d", m.group(0)):
        label = label[m.end():]
    # A bare side (收入) is that side's total (收入总计).
    named = {side: total for total in words("side_totals") for side in (*words("income"), *words("expense"))
             if total.startswith(side)}
    # 财政拨款决算支出 is the 财政拨款支出 of the 决算, 公务用车购置及运行费预算支出 the budget of 公务用车购置及
    # 运行费: which amount is the column's role, not the label's. Fund names (一般公共预算) are kept whole.
    funds = _FUND_NAME.findall(label)
    masked = _FUND_NAME.sub("\x00", label)
    for w in words("drop_words"):
        if w in masked[1:-1] and len(masked) > len(w) + 3:
            masked = masked[0] + masked[1:-1].replace(w, "") + masked[-1]
    for fund in funds:
        masked = masked.replace("\x00", fund, 1)
    label = masked
    key = norm_label(label)
    if key in named:
        return str(named[key])
    for of in words("possessive"):
        if of in label and len(label.rsplit(of, 1)[1]) >= 2:
            return label.rsplit(of, 1)[1]
    return label


def is_generic(label: str) -> bool:
    t = norm_label(label)
    return not t or t in words("generic")


def section_heading(report: Report, block: int) -> str:
    """The nearest heading above a block: a short line with no amount, opened by a Chinese ordinal or
    closed by a heading word (…情况说明, …如下：); a sentence (closed by 。) is never one."""
    limit = HEADING_MAX
    ends = words("heading_ends")
    for b in range(block, max(-1, block - 40), -1):
        text = report.blocks[b].text.strip()
        if len(text) > limit or text.endswith("。") or pattern("amount").search(text) or pattern("rate").search(text):
            continue
        if pattern("section_ordinal").match(text) or text.endswith(ends):
            return text
    return ""


@lru_cache(maxsize=16384)
def _direction(text: str) -> str | None:
    inc = any(w in text for w in words("income"))
    exp = any(w in text for w in words("expense"))
    return "income" if inc and not exp else "expense" if exp and not inc else None


def figure_want(report: Report, fig: Figure, label: str) -> Want:
    label = _own_label(label, report)
    leaf, code = _hierarchy(label)
    prefix = fig.prefix
    if not prefix.strip() and fig.sentence_start == 0 and fig.block > 0:
        # An amount opening a block continues the block before ("年初预算为" | "161.62万元"): its words are there.
        prefix = re.split(r"[，,；;。：:]", report.blocks[fig.block - 1].text)[-1]
    base = figure_base(prefix)
    if base is None and fig.relation in ("budget", "actual"):
        base = fig.relation
    role = {"prior_execution": "prior_actual", "prior_budget": "prior_budget", "original": "original",
            "whole_year": "whole_year", "budget": "budget", "actual": "actual"}.get(base or "", "")
    if not role:
        role = "budget" if report.kind == "预算" else "actual"
    heading = section_heading(report, fig.block)
    lead = fig.sentence[:max(0, fig.start - fig.sentence_start)]
    # The heading says what the section is about; a label naming 基本支出 names a column, not a topic.
    topics = frozenset(w for w in words("topics") if w in heading)
    return Want(label, leaf, code, role, scope_of(label), scope_of(heading + lead), topics,
                _direction(heading + label))


# ---- what a cell is ----------------------------------------------------------------------------------


def role_fits(want: Want, cell: IndexedCell, kind: str) -> bool:
    roles = column_roles(cell.column_path)
    budgetish = bool(roles & BUDGET_ROLES) or is_budget_column(cell.ref.column)
    if want.role in PRIOR_ROLES:
        return want.role in roles
    if roles & PRIOR_ROLES:
        return False
    if kind == "预算":
        # Every amount of a budget is a budget; only an outturn asks for an 执行数 column.
        return want.role != "actual" or "actual" in roles
    if want.role == "original":
        return budgetish and "whole_budget" not in roles
    if want.role == "whole_year":
        return budgetish and "original_budget" not in roles
    if want.role == "budget":
        return budgetish
    return not budgetish


@lru_cache(maxsize=16384)
def is_code_column(path: tuple[str, ...]) -> bool:
    """A column of 科目 codes or names (经济分类 | 科目编码), whatever a parse took its cells for, or of
    what is no amount (权重, 分值, 指标值 of a scoring table)."""
    if column_roles(path) & {"code", "line_no", "name", "rate"}:
        return True
    not_amounts = words("not_amount_columns")
    return any(pattern("line_column").search(level) or any(w in level for w in not_amounts) for level in path)


def count_fits(fig: Figure, cell: IndexedCell) -> bool:
    """A count is tied only to a row or column that counts in its unit (批 is not 人次)."""
    u = fig.num.unit or ""
    return bool(u) and u[0] in cell.ref.label + cell.ref.column + cell.ref.value


_TOTAL_LABEL = pattern("side_total_row")


@lru_cache(maxsize=16384)
def _role_free(level: str) -> str:
    """A header level without the words that only say which amount it holds: 机关运行经费预算数 -> 机关运行经费."""
    t = re.sub(r"[\s“”\"]", "", level)
    for w in sorted(words("role_only"), key=len, reverse=True):
        if t.endswith(w) and len(t) > len(w):
            return t[:-len(w)]
        if t == w:
            return ""
    return t


@lru_cache(maxsize=65536)
def _names_of(label: str, column_path: tuple[str, ...], title: str) -> tuple[str, ...]:
    """What a cell is called. A row label names its cells; on a total row (or a row without a label) the
    column names the cell too, and the table's own words name its totals: 收入支出决算总表 总计 ->
    收入支出总计, 收入/决算数 总计 -> 收入总计. Words that only say which amount (决算数) name nothing."""
    row = label.strip()
    levels = [x for x in (_role_free(lv) for lv in column_path) if x]
    names = [row] if row else []
    if row and levels:
        names.append(row + levels[-1])
    compact = row.replace(" ", "")
    if not row or _TOTAL_LABEL.match(norm_label(row) or compact) or _TOTAL_LABEL.match(compact):
        stem = TITLE_STEM.sub("", TITLE_LEAD.sub("", re.sub(r"[\s“”\"]", "", title)))
        # A bare side (收入 | 支出) names no cell: only with the row's total word (收入总计) does it.
        names += [lv for lv in levels if _direction(lv) is None or len(lv) > 2] + ["".join(levels)]
        if row:
            names += [stem + compact, *(lv + compact for lv in levels[:1])]
            # A fund table's total row is that fund's total: 财政拨款收入支出决算总表 本年支出合计 -> 财政拨款支出.
            fund = pattern("fiscal_fund").search(title)
            side = _SIDE.search(compact + "".join(column_path[:1]))
            if fund and side:
                names.append(fund.group(0) + side.group(0))
        else:
            names += [stem + "".join(levels)] + ([] if levels else [stem])
    return tuple(dict.fromkeys(n for n in names if n))


_SCOPE_WORDS = pattern("scope_words")
_SIDE = re.compile(alternation((*words("income"), *words("expense"))))


def _subsequence(a: str, b: str) -> bool:
    it = iter(b)
    return all(ch in it for ch in a)


@lru_cache(maxsize=65536)
def _sim(label: str, name: str) -> float:
    """similarity, except that a cell name making up less than half of a long figure label only
    mentions it: "…等于X和Y项目金额" speaks of the projects, not of X."""
    v = similarity(label, name)
    a, b = norm_label(label), norm_label(name)
    if b and b != a and b in a:
        # The label is the name with more words: only a fund scope or a filler may be added (本年培训费支出
        # is 培训费, 财政拨款基本支出 is 基本支出); 三公经费财政拨款支出 is a part of 财政拨款支出, and a name
        # making up little of a long label is only mentioned in it.
        extra = _SCOPE_WORDS.sub("", a.replace(b, "", 1))
        for w in words("fillers"):
            extra = extra.replace(w, "")
        if not extra and len(b) >= 3:
            return max(v, 90.0)
        return min(v, ACCEPT - 2)
    if a and a != b and a in b and len(a) / len(b) < 0.5:
        return min(v, ACCEPT - 2)  # and a short label inside a long name names a part of it only
    return v


@lru_cache(maxsize=65536)
def _names_a_part(label: str, path: tuple[str, ...], umbrella: frozenset[str]) -> bool:
    """The column holds a part of its row: a header level that is neither an amount role (决算数, 合计),
    nor the heading every column of the table shares, nor named by the label."""
    bare = _SCOPE_WORDS.sub("", norm_label(label))
    for level in path:
        if level in umbrella or column_roles((level,)) & AMOUNT_ROLES:
            continue
        part = _SCOPE_WORDS.sub("", norm_label(_role_free(level)))
        if part and part not in bare and (len(bare) < 3 or bare not in part):
            return True
    return False


def _umbrellas(cells: list[IndexedCell]) -> dict[str, frozenset[str]]:
    """Per table, the header levels every value column shares (支出预算 over 合计 | 基本支出 | 项目支出);
    a column whose cells are all blank still counts (its header is printed)."""
    out: dict[str, set[str]] = {}
    for c in cells:
        levels = set(c.column_path)
        out[c.ref.table] = out[c.ref.table] & levels if c.ref.table in out else levels
    return {k: frozenset(v) for k, v in out.items()}


def table_umbrellas(report: Report, cells: list[IndexedCell]) -> dict[str, frozenset[str]]:
    paths: dict[str, tuple[str, ...]] = {}
    for c in cells:
        paths.setdefault(c.ref.table, c.column_path)
    out = _umbrellas(cells)
    for t in report.tables:
        if t.id not in out:
            continue
        shared = set(out[t.id])
        for j in range(t.n_cols):
            path = t.column_path(j)
            if len(path) > 1 and not is_code_column(path):
                shared &= set(path)
        out[t.id] = frozenset(shared)
    return out


def _score(want: Want, cell: IndexedCell, title: str, tscope: str | None,
           umbrella: frozenset[str] = frozenset()) -> float | None:
    got = score_cell(want, cell, title, tscope, umbrella)
    return got[0] if got is not None else None


@dataclass(frozen=True)
class _CellNames:
    """What score_cell reads of a cell that does not depend on the figure: worked out once per cell
    (the linker scores every cell for every figure)."""

    code: str | None
    names: tuple[str, ...]
    bare_names: tuple[str, ...]  # the names without their fund scope words
    scope: str | None  # the scope title, column and label name (before the table's own scope)
    levels: tuple[str, ...]  # the header levels without their amount-only words
    raw_levels: tuple[str, ...]  # the header levels those come from
    total_row: bool  # a row without a label or a 合计/总计 row: the column names the cell
    side: str | None  # income | expense, as the title and column say
    chars: frozenset[str]  # every character the names and header levels are compared by (norm_label)


@lru_cache(maxsize=65536)
def _cell_names(label: str, column_path: tuple[str, ...], title: str, column: str) -> _CellNames:
    names = _names_of(label, column_path, title)
    levels = tuple(x for x in (_role_free(lv) for lv in column_path) if x)
    raw = tuple(x for x in column_path if _role_free(x))
    bare = tuple(_SCOPE_WORDS.sub("", n) for n in names)
    return _CellNames(code_of(label), names, bare,
                      scope_of(title + "/" + column + "/" + label), levels, raw,
                      not label.strip() or bool(_TOTAL_LABEL.match(norm_label(label) or "-")),
                      _direction(title + "/" + column),
                      _chars((*names, *bare, *("".join(levels[k:]) for k in range(len(levels))))))


def _chars(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(ch for t in texts for ch in norm_label(t))


@lru_cache(maxsize=4096)
def _label_chars(label: str, leaf: str) -> frozenset[str]:
    """Every character the figure's label is compared by: its own, its 科目 leaf's, its bare form's."""
    return _chars((label, leaf, _bare_label(label)[0]))


def _nameless_ceiling(want: Want) -> float:
    """The most score_cell gives a cell none of whose names shares a character with the label (its
    name score is 0 then): the scope's +5, the deepest column level's +5, +6 for each topic."""
    return 5 + 5 + 6 * len(want.topics)


@lru_cache(maxsize=4096)
def _bare_label(label: str) -> tuple[str, bool]:
    """The figure's label without its fund scope words, and whether what is left still names something."""
    bare = _SCOPE_WORDS.sub("", label)
    return bare, bare != label and len(norm_label(bare)) >= 3


@lru_cache(maxsize=65536)  # figures often share a label: each label is scored against a cell's names once
def _name_score(label: str, leaf: str, names: tuple[str, ...], bare_names: tuple[str, ...]) -> float:
    """How well the figure's label (or its 科目 leaf) names the cell, before scope and column weigh in."""
    s = max([_sim(label, n) for n in names]) if names else 0.0
    if leaf:
        # …（类）…（款）行政运行（项） names its 项 row: the 类 and 款 rows it also prints are other cells.
        s = max(s if s >= 95 else 0.0, (max([_sim(leaf, n) for n in names]) if names else 0.0) - 2)
    bare, bare_names_it = _bare_label(label)
    if bare_names_it and names:
        # The scope is weighed below; the rest of the label must name the cell.
        s = max(s, *[_sim(bare, n) for n in bare_names])
    return s


def score_cell(want: Want, cell: IndexedCell, title: str, tscope: str | None,
            umbrella: frozenset[str] = frozenset(), floor: float | None = None) -> tuple[float, float] | None:
    """The label score of a cell for the figure, or None when the cell cannot be the figure's, or
    (given a floor) when its score is bound to stay below the floor."""
    cn = _cell_names(cell.ref.label, cell.column_path, title, cell.ref.column)
    cell_code = cn.code
    if want.code and cell_code and cell_code != want.code:
        return None  # another 科目, its parent, or an economic code where the label gives a functional one
    if want.direction and cn.side and cn.side != want.direction:
        return None  # an expenditure figure is never an income cell
    cscope = cn.scope or tscope
    # A 政府性基金 figure is never an all-funds or a 一般公共预算 cell; a part of the scope the label names
    # (一般公共预算 of 财政拨款) is weighed below. Both known before the names are scored, which costs most.
    if want.scope and cscope != want.scope and not (cscope is not None and related(cscope, want.scope)
                                                    and within(cscope, want.scope)):
        return None
    if floor is not None and _nameless_ceiling(want) < floor and not (want.code and cell_code == want.code) \
            and cn.chars.isdisjoint(_label_chars(want.label, want.leaf)):
        # No name of the cell shares a character with the label: its names score 0 (similarity and
        # containment both need one), and what the scope, topics and columns add stays below the floor.
        # Most cells of a report are such cells for any one figure; scoring their names costs most.
        return None
    s = _name_score(want.label, want.leaf, cn.names, cn.bare_names)
    if want.code and cell_code == want.code:
        s = max(s, 98.0)
    named = s
    if want.scope:
        s += 5 if cscope == want.scope else -8
    elif want.context_scope:
        if cscope == want.context_scope:
            s += 5
        elif cscope is not None and related(cscope, want.context_scope):
            s -= 3
        else:
            s -= 8
    elif cscope not in (None, "all"):
        s -= 3  # a paragraph naming no fund speaks of all funds: the all-funds tables first
    for t in want.topics:
        s += 6 if t in title else -8
    if any(w in cell.ref.label and w not in want.label for w in words("grand_total")):
        s -= 5  # 总计 adds the balances carried: a label that does not say 总计 means the year's total
    levels = cn.levels
    if levels and cn.total_row:
        # A column that names the cell: the label may pick its words out of the header levels
        # (公务用车运行费 under 公务用车购置及运行费 / 运行费), and naming the deepest level is naming the cell.
        a = norm_label(want.label)
        for k in range(len(levels)):
            b = norm_label("".join(levels[k:]))
            if len(a) >= 5 and len(a) < len(b) <= 2 * len(a) and _subsequence(a, b):
                s = max(s, 80 + 20 * len(a) / len(b))
        own = [lv for lv, raw in zip(levels, cn.raw_levels, strict=False) if raw not in umbrella]
        named = max(named, s)
        if len(own) > 1 and norm_label(own[-1]) in a:
            s += 5
    if _names_a_part(want.label, cell.column_path, umbrella):
        s -= 6  # a part of the row (基本支出, 公务接待费) the label does not name: the row's whole first
        deepest = next((x for x in reversed(cell.column_path) if _role_free(x) and x not in umbrella), "")
        if not cell.ref.label.strip() and norm_label(_role_free(deepest)) not in norm_label(want.label):
            # A row without a label is told apart by its columns only: a part the label does not name
            # is not the figure's cell, however well the table's title fits.
            named = min(named, ACCEPT - NAME_SLACK - 1)
    return s, named
