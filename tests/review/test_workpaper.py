from __future__ import annotations

import re

from crossfoot.pipeline import Analysis
from crossfoot.review.export import export_bytes
from crossfoot.review.store import ReviewStore, manual_finding

from .conftest import SHA, make_analysis


def md(analysis: Analysis, store: ReviewStore | None, include_all: bool = False) -> str:
    return export_bytes(analysis, store, "md", include_all=include_all).decode("utf-8")


def test_identity_and_summary(store: ReviewStore, analysis: Analysis) -> None:
    store.set_state(SHA, analysis.findings[0].key, "confirmed")
    text = md(analysis, store)
    assert text.startswith("# 审计底稿 Working paper: 某市某局\n")
    assert f"`{SHA}`" in text and "某部门2024年部门决算.pdf" in text and "| 年度 Year | 2024 |" in text
    assert "problems (inconsistent) only" in text and "by alice" in text
    assert re.search(r"\| inconsistent \| 2 \|.*\| high \| 1 \|.*\| open \| 1 \|", text)
    assert re.search(r"\| rounding \| 0 \|.*\| medium \| 1 \|.*\| confirmed \| 1 \|", text)


def test_findings_grouped_by_page_with_review(tmp_path: object, analysis: Analysis, store: ReviewStore) -> None:
    total, colsum, *_ = analysis.findings
    store.set_state(SHA, total.key, "confirmed", note="与财务科核对")
    with ReviewStore.open(store.path, reviewer="bob") as bob:
        bob.set_state(SHA, total.key, "dismissed", note="正文笔误")
    text = md(analysis, store)
    p2, p3 = text.index("### 第 2 页"), text.index("### 第 3 页")
    assert p2 < text.index(f"`{total.key}`") < p3 < text.index(f"`{colsum.key}`")
    section = text[p2:p3]
    assert "排除 dismissed by bob" in section and "**disputed**: alice confirmed; bob dismissed" in section
    assert "alice" in section and "与财务科核对" in section and "正文笔误" in section
    assert "所述 stated: **1,334.57** · 复算 expected: **1,334.75**" in section
    assert "t1 «合计» [本年收入] = 1,334.75 (p3)" in section


def test_all_manual_and_stale_sections(store: ReviewStore) -> None:
    analysis = make_analysis()
    m = manual_finding(page=5, quote="绩效目标未量化", message="复核人补充")
    store.add_manual(SHA, m)
    store.add_note(SHA, "feedfacefeedface", "上一版本的备注")
    text = md(analysis, store, include_all=True)
    assert "every finding (--all)" in text
    assert all(f"`{f.key}`" in text for f in analysis.findings)
    manual = text[text.index("## 复核人补充"):]
    assert "### 第 5 页" in manual and f"`{m.key}`" in manual and "绩效目标未量化" in manual
    stale = text[text.index("## 失效记录"):]
    assert "`feedfacefeedface`" in stale and "上一版本的备注" in stale


def test_nothing_found(analysis: Analysis) -> None:
    text = md(make_analysis(()), None)
    assert "No problems found." in text and "none (nothing reviewed yet)" in text
    assert "## 复核人补充" not in text and "## 失效记录" not in text
