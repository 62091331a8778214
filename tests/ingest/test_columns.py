"""Columns no row fills (issue 12s, part 4): hollow columns dropped; text-aligned columns that no row
fills both of merged; on the 三线表 re-typeset of a report, the 自评表 have the ruled original's columns."""

from __future__ import annotations

import pytest
from tests.conftest import SHARED

from crossfoot.ingest.columns import drop_hollow_columns, merge_complementary
from crossfoot.model import Cell


def _rows(rows: list[list[str]]) -> list[list[Cell]]:
    return [[Cell(t, 1, None) for t in r] for r in rows]


def _texts(body: list[list[Cell]]) -> list[list[str]]:
    return [[c.text for c in r] for r in body]


def test_a_column_holding_nothing_of_its_own_is_dropped() -> None:
    header = [["项目", "项目", "金额"], ["栏次", "", "1"]]
    body = _rows([["合计", "", "3.00"], ["甲", "", "3.00"]])
    h, b = drop_hollow_columns(header, body)
    assert h == [["项目", "金额"], ["栏次", "1"]] and _texts(b) == [["合计", "3.00"], ["甲", "3.00"]]


def test_a_blank_column_with_its_own_title_stays() -> None:
    header = [["项目", "公务用车购置费", "公务接待费"]]
    body = _rows([["合计", "", "3.00"]])
    assert drop_hollow_columns(header, body) == (header, body)
    empty = [["项目", "金额"]]
    assert drop_hollow_columns(empty, []) == (empty, [])  # a table with no body keeps its header


def test_complementary_columns_of_two_form_sections_merge() -> None:
    body = _rows([["项目资金", "执行率", "", "得分"], ["年度资金总额", "100", "", "10"],
                  ["一级指标", "得分", "偏差原因", ""], ["产出指标", "10", "经协商", ""]])
    _, b = merge_complementary([], body)
    assert _texts(b) == [["项目资金", "执行率", "得分"], ["年度资金总额", "100", "10"],
                         ["一级指标", "得分", "偏差原因"], ["产出指标", "10", "经协商"]]
    # Two columns filled together in any row are two columns, blanks elsewhere notwithstanding.
    side = _rows([["合计", "5.00", "3.00"], ["甲", "5.00", ""], ["乙", "", "3.00"]])
    assert _texts(merge_complementary([], side)[1]) == _texts(side)
    titled = [["项目", "基本支出", "项目支出"]]
    alone = _rows([["甲", "5.00", ""], ["乙", "", "3.00"]])
    assert _texts(merge_complementary(titled, alone)[1]) == _texts(alone)  # both titled in one header row


def test_hrules_scoring_tables_have_the_ruled_columns() -> None:
    from crossfoot.ingest import load

    pair = [SHARED / "corpus" / "pdf" / f for f in ("000.pdf", "000_hrules.pdf")]
    if not all(p.exists() for p in pair):
        pytest.skip("corpus not available")
    ruled, hrules = (load(p, use_cache=False) for p in pair)
    scoring = [(a, b) for a, b in zip(ruled.tables, hrules.tables, strict=True) if "自评表" in (a.title or "")]
    assert scoring and all(a.n_cols == b.n_cols for a, b in scoring)
    for a, b in scoring:
        score = [r for r in b.rows if r[0].text == "项目资金（万元）" and r[-1].text.strip()]
        assert score and all(r[-1].text == s[-1].text for r, s in zip(score, (
            r for r in a.rows if r[0].text == "项目资金（万元）" and r[-1].text.strip()), strict=False))
