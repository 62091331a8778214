"""Figure <-> cell links an auditor can trust: the label and the column's role decide, the value confirms.

A narrative figure is tied to the table cell whose row (or, on total rows, column) names what the figure's
label names, in a column whose role fits the figure (年初预算数 for a 年初预算 figure, never a budget
column for an outturn, never a 行次/栏次/code column or a blank cell), in a table of the fund scope the
label names. Equal values only choose between cells the label names equally well: a value found under
another name is evidence, not a link. Each figure ends in one of three states:

- holds: linked, the cell holds the figure at its printed precision;
- differs: linked, the cell holds another value (a narrative_vs_table problem);
- unlinked: no cell is named well enough, or several are and they disagree. Never shown as holding.

The runners-up are kept with their scores in every state.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from crossfoot.figures import Figure
from crossfoot.findings import CellRef, FigureLink, RunnerUp
from crossfoot.labels import clean_label, code_of, norm_label, similarity
from crossfoot.match import IndexedCell, Match, MatchMemo, is_budget_column
from crossfoot.model import Report, Table
from crossfoot.numbers import Interval, same_amount

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

ACCEPT = 80.0  # the label score a link needs: below it a figure stays unlinked whatever the values
MARGIN = 4.0  # cells named within this of the best are named equally well: the value chooses among them
NAME_SLACK = 6.0  # scope and topic may carry a cell this far below ACCEPT by its names alone, no further
LINKED_RELATIONS = (None, "actual", "budget", "count")
_BUDGET_ROLES = frozenset({"original_budget", "whole_budget", "budget"})
_PRIOR_ROLES = frozenset({"prior_actual", "prior_budget"})
# Roles of a column that holds a row's whole amount (the others hold a part of it).
_AMOUNT_ROLES = frozenset({"total", "actual", "budget", "original_budget", "whole_budget", "expense_total",
                           "income_total"})
_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算")
# 科目 level marks, with the code part they may print: 公共安全支出（204类）司法（06款）行政运行（01项）
_LEVEL_MARK = re.compile(r"[（(](\d*)\s*(类|款|项)[)）]")
_LEVEL_DASH = re.compile(r"(?<=[\u4e00-\u9fa5）)])\s*[-—－]+\s*(?=[\u4e00-\u9fa5（(])")
_TITLE_STEM = re.compile(r"(?:决算|预算)?(?:总表|明细表|情况表|表)$")
_TITLE_LEAD = re.compile(r"^(?:\d{4}年(?:度)?)?(?:部门|单位|预算单位)?")


@cache
def _words() -> dict[str, object]:
    text = resources.files("crossfoot").joinpath("links.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _word_list(section: str, key: str) -> tuple[str, ...]:
    sec = _words()[section]
    assert isinstance(sec, dict)
    return tuple(str(w) for w in sec[key])


@cache
def _section_re() -> re.Pattern[str]:
    return re.compile(str(_word_list_raw("sections", "ordinal")))


def _word_list_raw(section: str, key: str) -> object:
    sec = _words()[section]
    assert isinstance(sec, dict)
    return sec[key]


# ---- the knowledge adapter: the one place that asks the form catalogue ------------------------------


def column_roles(path: tuple[str, ...]) -> frozenset[str]:
    """The roles the levels of a column's header path name (年初预算数 -> original_budget, …)."""
    from crossfoot.knowledge import column_role

    return frozenset(r for r in (column_role(level) for level in path) if r)


def figure_base(prefix: str) -> str | None:
    """Which amount the words before a figure name (original, whole_year, budget, actual, prior_…): the
    words printed nearest the figure decide ("…决算情况说明2022年度…支出预算0.00元" is a budget)."""
    from crossfoot.knowledge import load_catalogue

    text = _FUND_NAMES.sub("", prefix)
    best: tuple[int, int, str] | None = None
    for b in load_catalogue().bases:
        for w in b.words:
            k = text.rfind(w)
            if k >= 0 and (best is None or (k + len(w), len(w)) > best[:2]):
                best = (k + len(w), len(w), b.id)
    return best[2] if best else None


def scope_of(text: str) -> str | None:
    """The fund scope a title, column or phrase names (all / fiscal / general / gov_fund / soe_capital)."""
    from crossfoot.knowledge import fund_scope

    return fund_scope(text)


def table_scope(table: Table, kind: str) -> str | None:
    from crossfoot.knowledge import fund_scope
    from crossfoot.knowledge.recognise import recognise

    m = recognise(table, kind)
    return m.form.scope if m is not None else fund_scope(table.title or "")


@lru_cache(maxsize=64)
def _scope_parent(scope: str) -> str | None:
    from crossfoot.knowledge import load_catalogue

    for s in load_catalogue().scopes:
        if s.id == scope:
            return s.within or None
    return None


def _within(inner: str, outer: str) -> bool:
    cur: str | None = inner
    while cur is not None:
        if cur == outer:
            return True
        cur = _scope_parent(cur)
    return False


def _related(a: str, b: str) -> bool:
    """One scope lies within the other (一般公共预算 within 财政拨款 within all funds)."""
    for x, y in ((a, b), (b, a)):
        cur: str | None = x
        while cur is not None:
            if cur == y:
                return True
            cur = _scope_parent(cur)
    return False


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
    for w in _word_list("labels", "fillers"):
        t = t.replace(w, "")
    return not t


def _hierarchy(label: str) -> tuple[str, str | None]:
    marks = list(_LEVEL_MARK.finditer(label))
    if not marks:
        # "社会保障和就业支出-行政事业单位养老支出-行政单位离退休科目": the levels joined by dashes.
        dashed = [p for p in _LEVEL_DASH.split(re.sub(r"科目$", "", label)) if p]
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


@cache
def _org_re() -> re.Pattern[str]:
    ends = "|".join(re.escape(w) for w in _word_list("labels", "organisation_ends"))
    return re.compile(r"^.{2,24}?(?:" + ends + r")(?:[（(]本级[)）])?")


def _own_label(label: str, report: Report) -> str:
    """The label without the department that opens it (上海市普陀区司法局收入 -> 收入); a bare 收入 or 支出
    is the side's total; "X的Y" is about Y."""
    dept = report.department or ""
    if dept and label.startswith(dept) and len(label) > len(dept) + 1:
        label = label[len(dept):]
    elif (m := _org_re().match(label)) and len(label) - m.end() >= 2:
        label = label[m.end():]
    totals = _words()["labels"]
    assert isinstance(totals, dict)
    named = totals["totals"]
    assert isinstance(named, dict)
    for w in _word_list("labels", "drop_words"):
        # 财政拨款决算支出 is the 财政拨款支出 of the 决算: which amount is the column's role, not the label's.
        if w in label[1:-1] and len(label) > len(w) + 3:
            label = label[0] + label[1:-1].replace(w, "") + label[-1]
    key = norm_label(label)
    if key in named:
        return str(named[key])
    if "的" in label and len(label.rsplit("的", 1)[1]) >= 2:
        return label.rsplit("的", 1)[1]
    return label


def _is_generic(label: str) -> bool:
    t = norm_label(label)
    return not t or t in _word_list("labels", "generic")


def section_heading(report: Report, block: int) -> str:
    """The nearest heading above a block: a short line with no amount, opened by a Chinese ordinal or
    closed by a heading word (…情况说明, …如下：); a sentence (closed by 。) is never one."""
    limit = int(str(_word_list_raw("sections", "max_length")))
    ends = _word_list("sections", "heading_ends")
    for b in range(block, max(-1, block - 40), -1):
        text = report.blocks[b].text.strip()
        if len(text) > limit or text.endswith("。") or re.search(r"\d\s*(?:万元|元|%)", text):
            continue
        if _section_re().match(text) or text.endswith(ends):
            return text
    return ""


def _direction(text: str) -> str | None:
    inc = any(w in text for w in _word_list("direction", "income"))
    exp = any(w in text for w in _word_list("direction", "expense"))
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
    topics = frozenset(w for w in _word_list("sections", "topics") if w in heading)
    return Want(label, leaf, code, role, scope_of(label), scope_of(heading + lead), topics,
                _direction(heading + label))


# ---- what a cell is ----------------------------------------------------------------------------------


def _role_fits(want: Want, cell: IndexedCell, kind: str) -> bool:
    roles = column_roles(cell.column_path)
    budgetish = bool(roles & _BUDGET_ROLES) or is_budget_column(cell.ref.column)
    if want.role in _PRIOR_ROLES:
        return want.role in roles
    if roles & _PRIOR_ROLES:
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


def _is_code_column(path: tuple[str, ...]) -> bool:
    """A column of 科目 codes or names (经济分类 | 科目编码), whatever a parse took its cells for, or of
    what is no amount (权重, 分值, 指标值 of a scoring table)."""
    if column_roles(path) & {"code", "line_no", "name", "rate"}:
        return True
    words = _word_list("labels", "not_amount_columns")
    return any(re.search(r"分类$|编码|代码|行次|栏次", level) or any(w in level for w in words) for level in path)


def _count_fits(fig: Figure, cell: IndexedCell) -> bool:
    """A count is tied only to a row or column that counts in its unit (批 is not 人次)."""
    u = fig.num.unit or ""
    return bool(u) and u[0] in cell.ref.label + cell.ref.column + cell.ref.value


_TOTAL_LABEL = re.compile(r"^(?:合计|总计|小计|(?:本年)?(?:收入|支出)(?:总计|合计))$")


def _role_free(level: str) -> str:
    """A header level without the words that only say which amount it holds: 机关运行经费预算数 -> 机关运行经费."""
    t = re.sub(r"[\s“”\"]", "", level)
    for w in sorted(_word_list("labels", "role_only"), key=len, reverse=True):
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
        stem = _TITLE_STEM.sub("", _TITLE_LEAD.sub("", re.sub(r"[\s“”\"]", "", title)))
        # A bare side (收入 | 支出) names no cell: only with the row's total word (收入总计) does it.
        names += [lv for lv in levels if _direction(lv) is None or len(lv) > 2] + ["".join(levels)]
        if row:
            names += [stem + compact, *(lv + compact for lv in levels[:1])]
            # A fund table's total row is that fund's total: 财政拨款收入支出决算总表 本年支出合计 -> 财政拨款支出.
            fund = re.search(r"(?:一般公共预算|政府性基金预算|国有资本经营预算)?财政拨款", title)
            side = re.search(r"收入|支出", compact + "".join(column_path[:1]))
            if fund and side:
                names.append(fund.group(0) + side.group(0))
        else:
            names += [stem + "".join(levels)] + ([] if levels else [stem])
    return tuple(dict.fromkeys(n for n in names if n))


_SCOPE_WORDS = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|财政拨款")


@dataclass(frozen=True)
class Scored:
    cell: IndexedCell
    score: float  # the label score with the scope, topic and column adjustments: orders the cells
    equal: bool
    named: float = 100.0  # how well the names alone fit: the adjustments never lift a poor name to a link


def _subsequence(a: str, b: str) -> bool:
    it = iter(b)
    return all(ch in it for ch in a)


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
        for w in _word_list("labels", "fillers"):
            extra = extra.replace(w, "")
        if not extra and len(b) >= 3:
            return max(v, 90.0)
        return min(v, ACCEPT - 2)
    if a and a != b and a in b and len(a) / len(b) < 0.5:
        return min(v, ACCEPT - 2)  # and a short label inside a long name names a part of it only
    return v


def _names_a_part(label: str, path: tuple[str, ...], umbrella: frozenset[str]) -> bool:
    """The column holds a part of its row: a header level that is neither an amount role (决算数, 合计),
    nor the heading every column of the table shares, nor named by the label."""
    bare = _SCOPE_WORDS.sub("", norm_label(label))
    for level in path:
        if level in umbrella or column_roles((level,)) & _AMOUNT_ROLES:
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


def _table_umbrellas(report: Report, cells: list[IndexedCell]) -> dict[str, frozenset[str]]:
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
            if len(path) > 1 and not _is_code_column(path):
                shared &= set(path)
        out[t.id] = frozenset(shared)
    return out


def _score(want: Want, cell: IndexedCell, title: str, tscope: str | None,
           umbrella: frozenset[str] = frozenset()) -> float | None:
    got = _scored(want, cell, title, tscope, umbrella)
    return got[0] if got is not None else None


def _scored(want: Want, cell: IndexedCell, title: str, tscope: str | None,
            umbrella: frozenset[str] = frozenset()) -> tuple[float, float] | None:
    """The label score of a cell for the figure, or None when the cell cannot be the figure's."""
    cell_code = code_of(cell.ref.label)
    if want.code and cell_code and cell_code != want.code:
        return None  # another 科目, its parent, or an economic code where the label gives a functional one
    names = _names_of(cell.ref.label, cell.column_path, title)
    s = max((_sim(want.label, n) for n in names), default=0.0)
    if want.leaf:
        # …（类）…（款）行政运行（项） names its 项 row: the 类 and 款 rows it also prints are other cells.
        s = max(s if s >= 95 else 0.0, max((_sim(want.leaf, n) for n in names), default=0.0) - 2)
    bare = _SCOPE_WORDS.sub("", want.label)
    if bare != want.label and len(norm_label(bare)) >= 3:
        # The scope is weighed below; the rest of the label must name the cell.
        s = max(s, *(_sim(bare, _SCOPE_WORDS.sub("", n)) for n in names)) if names else s
    if want.code and cell_code == want.code:
        s = max(s, 98.0)
    named = s
    cscope = scope_of(title + "/" + cell.ref.column + "/" + cell.ref.label) or tscope
    if want.scope:
        if cscope == want.scope:
            s += 5
        elif cscope is not None and _related(cscope, want.scope) and _within(cscope, want.scope):
            s -= 8  # a part of the scope the label names (一般公共预算 of 财政拨款)
        else:
            return None  # a 政府性基金 figure is never an all-funds or a 一般公共预算 cell
    elif want.context_scope:
        if cscope == want.context_scope:
            s += 5
        elif cscope is not None and _related(cscope, want.context_scope):
            s -= 3
        else:
            s -= 8
    elif cscope not in (None, "all"):
        s -= 3  # a paragraph naming no fund speaks of all funds: the all-funds tables first
    for t in want.topics:
        s += 6 if t in title else -8
    if "总计" in cell.ref.label and "总计" not in want.label:
        s -= 5  # 总计 adds the balances carried: a label that does not say 总计 means the year's total
    levels = [x for x in (_role_free(lv) for lv in cell.column_path) if x]
    if levels and (not cell.ref.label.strip() or _TOTAL_LABEL.match(norm_label(cell.ref.label) or "-")):
        # A column that names the cell: the label may pick its words out of the header levels
        # (公务用车运行费 under 公务用车购置及运行费 / 运行费), and naming the deepest level is naming the cell.
        a = norm_label(want.label)
        for k in range(len(levels)):
            b = norm_label("".join(levels[k:]))
            if len(a) >= 5 and len(a) < len(b) <= 2 * len(a) and _subsequence(a, b):
                s = max(s, 80 + 20 * len(a) / len(b))
        own = [lv for lv, raw in zip(levels, [x for x in cell.column_path if _role_free(x)], strict=False)
               if raw not in umbrella]
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
    side = _direction(title + "/" + cell.ref.column)
    if want.direction and side and side != want.direction:
        return None  # an expenditure figure is never an income cell
    return s, named


def _equal(fig_iv: Interval, fig: Figure, cell: IndexedCell, cell_iv: Interval) -> bool:
    # A printed zero is a zero: 0 万元 is not a 0.01 万元 cell, however the rounding goes.
    if (fig.num.value == 0) != (cell.num.value == Decimal(0)):
        return False
    return same_amount(cell_iv, fig_iv)


@dataclass
class Linking:
    """The links of a report's narrative figures."""

    matches: dict[int, Match] = field(default_factory=dict)
    # Figure -> the earlier figure of its paragraph whose label it took (预算安排 X -> 住房公积金（01项）Y).
    subjects: dict[int, int] = field(default_factory=dict)
    # Figures that stayed unlinked -> their best candidates with scores (why: too weak, or ambiguous).
    unlinked: dict[int, tuple[tuple[CellRef, float], ...]] = field(default_factory=dict)

    @property
    def coverage(self) -> dict[str, int]:
        held = sum(1 for m in self.matches.values() if m.value_equal)
        return {"figures": len(self.matches) + len(self.unlinked), "linked": len(self.matches),
                "held": held, "differed": len(self.matches) - held, "unlinked": len(self.unlinked)}


@cache
def _change_words() -> tuple[str, ...]:
    """The lexicon's direction words (增加, 减少, 节约…) and the linker's own (调减, 原因…)."""
    from crossfoot.knowledge import words

    lexicon = [w for k in ("increase", "decrease", "spend_more", "spend_less") for w in words(f"relation.{k}")]
    return (*lexicon, *_word_list("labels", "change_words"))


def _not_an_amount(f: Figure, label: str) -> bool:
    """Money no table cell holds: what an evaluation covers (涉及…), a target (≥500元), a change or the
    reason for one (原因是从会议费预算中调减X), a sum of several items (养老保险、职业年金缴费等X)."""
    own = f.label
    return (own.startswith(_word_list("labels", "not_amounts")) or label.startswith(_word_list("labels", "not_amounts"))
            or f.prefix.rstrip().endswith(_word_list("labels", "target_marks"))
            or any(w in own for w in _change_words())
            or own.rstrip().endswith(_word_list("labels", "aggregate_ends")))


def linkable(fig: Figure) -> bool:
    return (fig.is_money or fig.relation == "count") and fig.relation in LINKED_RELATIONS


def _block_heading(report: Report, block: int) -> str:
    """A 科目 heading opening a block ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于…"):
    the amounts that follow in the block are that 科目's."""
    text = report.blocks[block].text
    first = re.split(r"[。；;]", text, maxsplit=1)[0]
    if _LEVEL_MARK.search(first) and not re.search(r"\d\s*(?:万元|元)", first):
        return clean_label(first)
    return ""


def _runs_on(report: Report, block: int) -> bool:
    """A block that continues the sentence of the block before (a line break the parse kept)."""
    return block > 0 and not report.blocks[block - 1].text.rstrip().endswith(("。", "；", ";", "！", "？", "!", "?"))


def _labels(report: Report, figures: list[Figure], subjects: dict[int, int] | None = None) -> dict[int, str]:
    """Each figure's label. A figure without one of its own takes its paragraph's subject: a generic
    label (预算安排) or a continuation (累计接待) the subject of the figure before, a block opened by a
    科目 heading that heading, an amount opening a block the subject of the block before."""
    out: dict[int, str] = {}
    subject: dict[int, str] = {}
    source: dict[int, int] = {}  # block -> the figure its subject comes from
    cont = _word_list("labels", "continuation")
    for f in figures:
        label = f.label
        heading = _block_heading(report, f.block)
        if f.block not in subject and heading:
            subject[f.block] = heading
        elif f.block not in subject and f.block - 1 in subject and _runs_on(report, f.block):
            subject[f.block] = subject[f.block - 1]  # the block goes on with the sentence before
            if f.block - 1 in source:
                source[f.block] = source[f.block - 1]
        own = subject.get(f.block, "")
        if not label.strip() and f.sentence_start == 0 and f.block > 0:
            label = subject.get(f.block - 1, label)
        elif heading and not _LEVEL_MARK.search(label) and f.is_money:
            label = heading
        elif _is_generic(label) or any(label.startswith(w) for w in cont):
            label = own or label
            if own and not f.is_money and f.num.unit:
                label = own + f.num.unit
            if own and subjects is not None and f.block in source:
                subjects[f.index] = source[f.block]
        elif f.relation in (None, "budget", "actual", "count") and not (f.relation == "count"
                                                                          and _LEVEL_MARK.search(label + "）")):
            subject[f.block] = label
            source[f.block] = f.index
        out[f.index] = label
    return out


def link_figures(memo: MatchMemo, figures: list[Figure]) -> Linking:
    report = memo.report
    kind = report.kind
    titles = {t.id: f"{t.code} {t.title}" if t.code and t.title else (t.title or t.code or "")
              for t in report.tables}
    scopes = {t.id: table_scope(t, kind) for t in report.tables}
    umbrellas = _table_umbrellas(report, memo.cells)
    out = Linking()
    labels = _labels(report, figures, out.subjects)
    for f in figures:
        if not linkable(f):
            continue
        if f.relation == "count" and _LEVEL_MARK.search(f.prefix[-4:] + f.text):
            continue  # "（01项）" is a 科目 level code, not a count
        if _not_an_amount(f, labels[f.index]):
            # Money an evaluation "covers" (涉及…), a target (≥500元, 不低于4000万元): no table amount.
            out.unlinked[f.index] = ()
            continue
        want = figure_want(report, f, labels[f.index])
        fig_iv = (f.yuan() if f.is_money else f.num).interval()
        scored: list[Scored] = []
        for c, iv in zip(memo.cells, memo.intervals, strict=True):
            if c.money != f.is_money or _is_code_column(c.column_path) or not _role_fits(want, c, kind):
                continue
            if not f.is_money and not _count_fits(f, c):
                continue
            got = _scored(want, c, titles.get(c.ref.table, ""), scopes.get(c.ref.table),
                          umbrellas.get(c.ref.table, frozenset()))
            if got is None or got[0] < ACCEPT - 30:
                continue
            scored.append(Scored(c, got[0], _equal(fig_iv, f, c, iv), got[1]))
        scored.sort(key=lambda x: (-x.score, not x.equal))
        decided = _decide(scored)
        runners = tuple((x.cell.ref, _shown(x.score)) for x in scored if x is not decided)[:5]
        if decided is None:
            out.unlinked[f.index] = tuple((x.cell.ref, _shown(x.score)) for x in scored[:5])
            continue
        out.matches[f.index] = Match(f.index, decided.cell.ref, _shown(decided.score), runners,
                                     value_equal=decided.equal, label_score=decided.score)
    return out


def _shown(score: float) -> float:
    """A label score as shown: 0..100 (the bonuses for scope and topic only order the cells)."""
    return round(max(0.0, min(score, 100.0)), 1)


def _decide(scored: list[Scored]) -> Scored | None:
    """The cell the figure is tied to: the best-named one; among equally well named ones, the one that
    holds the value; none when the equally well named cells disagree and none holds it."""
    if not scored or scored[0].score < ACCEPT or scored[0].named < ACCEPT - NAME_SLACK:
        return None
    top, top_named = scored[0].score, scored[0].named
    # Equally well named: close on the adjusted score and on the names alone.
    group = [x for x in scored if x.score >= top - MARGIN and x.named >= top_named - MARGIN]
    equal = [x for x in group if x.equal]
    if equal:
        return equal[0]
    if len({x.cell.num.value for x in group}) == 1:
        return group[0]
    return None


def figure_links(ctx: Context) -> tuple[FigureLink, ...]:
    """The context's links as rows a report renders (and the findings cache keeps)."""
    linking = ctx.linking
    rows: list[FigureLink] = []
    for f in ctx.figures:
        m = linking.matches.get(f.index)
        if m is None and f.index not in linking.unlinked:
            continue
        runners = m.runners_up if m is not None else linking.unlinked[f.index]
        state = "unlinked" if m is None else "holds" if m.value_equal else "differs"
        rows.append(FigureLink(f.page, f.text, f.label, state, m.best if m is not None else None,
                               m.score if m is not None else None,
                               tuple(RunnerUp(ref, sc) for ref, sc in runners)))
    return tuple(rows)
