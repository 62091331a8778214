"""What the figure <-> cell linker reads: its own words (knowledge/vocab/links.toml) and, through one adapter, the form
catalogue (crossfoot.knowledge): column roles, budget bases, fund scopes."""

from __future__ import annotations

import re
from functools import lru_cache

from crossfoot.knowledge import pattern as lexicon_pattern
from crossfoot.knowledge import words as lexicon_words
from crossfoot.model import Table

ACCEPT = 80.0  # the label score a link needs: below it a figure stays unlinked whatever the values
MARGIN = 4.0  # cells named within this of the best are named equally well: the value chooses among them
NAME_SLACK = 6.0  # scope and topic may carry a cell this far below ACCEPT by its names alone, no further
LINKED_RELATIONS = (None, "actual", "budget", "count")
BUDGET_ROLES = frozenset({"original_budget", "whole_budget", "budget"})
PRIOR_ROLES = frozenset({"prior_actual", "prior_budget"})
# Roles of a column that holds a row's whole amount (the others hold a part of it).
AMOUNT_ROLES = frozenset({"total", "actual", "budget", "original_budget", "whole_budget", "expense_total",
                           "income_total"})
HEADING_MAX = 40  # a line longer than this is a paragraph, never a section heading




def words(key: str) -> tuple[str, ...]:
    """The linker's words, knowledge/vocab/links.toml: ``words("fillers")`` is ``links.fillers``."""
    return lexicon_words(key if "." in key else f"links.{key}")


def pattern(key: str) -> re.Pattern[str]:
    """The linker's patterns, knowledge/vocab/links.toml: ``pattern("section_ordinal")``."""
    return lexicon_pattern(key if "." in key else f"links.{key}")


_FUND_NAMES = pattern("fund_budget")
# 科目 level marks, with the code part they may print: 公共安全支出（204类）司法（06款）行政运行（01项）
LEVEL_MARK = pattern("subject_level_mark")
LEVEL_DASH = re.compile(r"(?<=[\u4e00-\u9fa5）)])\s*[-—－]+\s*(?=[\u4e00-\u9fa5（(])")
TITLE_STEM = pattern("table_title_stem")
TITLE_LEAD = pattern("table_title_lead")


# ---- the knowledge adapter: the one place that asks the form catalogue ------------------------------


@lru_cache(maxsize=16384)  # per figure and cell, over a report's few distinct header paths
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


@lru_cache(maxsize=16384)
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


def within(inner: str, outer: str) -> bool:
    cur: str | None = inner
    while cur is not None:
        if cur == outer:
            return True
        cur = _scope_parent(cur)
    return False


def related(a: str, b: str) -> bool:
    """One scope lies within the other (一般公共预算 within 财政拨款 within all funds)."""
    return within(a, b) or within(b, a)
