from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from crossfoot.ingest.text import read_text

SAMPLE = """兴县测试局

2022年度部门决算公开

第一部分 概况

一、收入支出决算总体情况说明

2022年度收入总计66,618,228.77元，与2021年相比，收入总计减少100,578,199.82元，下降

60.16%。

收入支出决算总表
公开01表
部门名称：兴县测试局\t2022年度\t金额单位：元
项目\t行次\t决算数
栏次\t\t1
一、一般公共预算财政拨款收入\t1.00\t27274348.52
本年收入合计\t2.00\t27274348.52

— 3 —

| 指标 | 分值 | 得分 |
|---|---|---|
| 产出指标 | 50 | 42 |

后续说明文字。
"""


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    return p


def test_tab_table_with_caption(tmp_path: Path) -> None:
    r = read_text(_write(tmp_path, SAMPLE))
    t = r.tables[0]
    assert (t.code, t.title, t.unit, t.pages) == ("公开01表", "收入支出决算总表", "元", (3,))
    assert t.columns == ("项目", "行次", "决算数")
    assert t.rows[-1][2].value == Decimal("27274348.52")
    assert (r.kind, r.department, r.year, r.unit) == ("决算", "兴县测试局", 2022, "元")


def test_pipe_table(tmp_path: Path) -> None:
    t = read_text(_write(tmp_path, SAMPLE)).tables[1]
    assert t.columns == ("指标", "分值", "得分")
    assert [c.text for c in t.rows[0]] == ["产出指标", "50", "42"]
    assert t.pages == (4,)


def test_wrapped_narrative_joins(tmp_path: Path) -> None:
    r = read_text(_write(tmp_path, SAMPLE))
    texts = [b.text for b in r.blocks]
    assert "2022年度收入总计66,618,228.77元，与2021年相比，收入总计减少100,578,199.82元，下降60.16%。" in texts
    assert "一、收入支出决算总体情况说明" in texts
    assert not any("公开01表" in t or "金额单位" in t for t in texts)
    assert texts[-1] == "后续说明文字。"


def test_sample_text_export(samples: Path) -> None:
    r = read_text(samples / "003.txt")
    codes = [t.code for t in r.tables if t.code]
    assert codes == [f"公开{n:02d}表" for n in range(1, 11)]
    assert r.kind == "决算" and r.unit == "元"
    t = next(t for t in r.tables if t.code == "公开05表")
    row = next(row for row in t.rows if row[0].text.startswith("合计"))
    assert Decimal("24414396.73") in [c.value for c in row]


def test_space_separated_tables_are_marked_uncertain() -> None:
    from tests.conftest import SAMPLES

    from crossfoot.ingest.text import read_text

    flat = read_text(SAMPLES / "000.txt")
    tabbed = read_text(SAMPLES / "003.txt")
    assert flat.tables and all(t.uncertain for t in flat.tables if t.code)
    assert sum(1 for t in tabbed.tables if t.code and not t.uncertain) >= 5  # tab-separated: trusted
