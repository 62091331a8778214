"""Table structure on the corpus layouts (issue 12): tables drawn with horizontal rules only read the
same as their ruled original; the column inference on small hand-made pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from tests.conftest import SHARED

from crossfoot.ingest.hrules import column_bounds, infer_cells
from crossfoot.model import Report, Table

CORPUS = SHARED / "corpus"


@cache
def _load(rel: str) -> Report:
    from crossfoot.ingest import load

    return load(CORPUS / rel, use_cache=False)


def _need(rel: str) -> Callable[[], Report]:
    if not (CORPUS / rel).exists():
        pytest.skip(f"corpus file {rel} not available")
    return lambda: _load(rel)


def _amounts(t: Table) -> list[tuple[str, str, str]]:
    return [(t.row_label(i), t.columns[j], c.text) for i, row in enumerate(t.rows)
            for j, c in enumerate(row) if c.value is not None]


# --- horizontal rules only (三线表) against the same report ruled ------------------------------

def test_hrules_inventory_equals_ruled() -> None:
    ruled, hrules = _need("pdf/000.pdf")(), _need("pdf/000_hrules.pdf")()
    inv = [(t.code, t.title, t.unit, t.pages) for t in ruled.tables]
    assert [(t.code, t.title, t.unit, t.pages) for t in hrules.tables] == inv
    assert not any(t.title in ("决算数", "项目", "金额") for t in hrules.tables)  # no headers as titles


def test_hrules_every_amount_cell_equals_ruled() -> None:
    ruled, hrules = _need("pdf/000.pdf")(), _need("pdf/000_hrules.pdf")()
    for a, b in zip(ruled.tables, hrules.tables, strict=True):
        got = [(label.replace(" ", ""), text) for label, _col, text in _amounts(b)]
        want = [(label.replace(" ", ""), text) for label, _col, text in _amounts(a)]
        assert got == want, (a.code, a.title)


def test_hrules_row_numbers_and_codes_stay_apart() -> None:
    hrules = _need("pdf/000_hrules.pdf")()
    t = next(t for t in hrules.tables if t.code == "公开01表")
    assert t.columns == ("收入/项目", "收入/行次", "收入/决算数", "支出/项目（按功能分类）", "支出/行次", "支出/决算数")
    total = next(i for i in range(len(t.rows)) if t.row_label(i).startswith("本年收入合计"))
    assert [c.text for c in t.rows[total][:3]] == ["本年收入合计", "27", "1,144.45"]  # not "27 1,144.45"
    t3 = next(t for t in hrules.tables if t.code == "公开03表")
    codes = {t3.rows[i][0].text for i in range(len(t3.rows))}
    assert "2080501" in codes and "80501" not in codes
    assert t3.pages == (9, 10)  # the continuation page joined, its header dropped
    assert not any(t3.row_label(i).startswith(("项目", "栏次")) for i in range(len(t3.rows)))


def test_hrules_form_rows_wrapped_text_is_one_row() -> None:
    hrules = _need("pdf/000_hrules.pdf")()
    t = next(t for t in hrules.tables if t.title and "市防贫监测" in t.title)
    assert t.pages == (30, 31)
    rows = [[c.text for c in row if c.text] for row in t.rows]
    done = next(r for r in rows if "系统全面建设完成" in r)
    assert done[-4:] == ["基本达成目标", "4", "3.5", "7月达到预计可使用状态"]
    assert [x for x in rows[-1] if x] == ["总分", "100", "99"]


# --- the inference itself, on hand-made lines ------------------------------------------------------

def _char(text: str, x0: float, top: float, size: float = 10.0) -> dict[str, object]:
    return {"text": text, "x0": x0, "x1": x0 + size * (0.5 if text.isascii() else 1.0), "top": top,
            "bottom": top + size, "size": size}


def _line(top: float, *cells: tuple[float, str]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for x, text in cells:
        for ch in text:
            c = _char(ch, x, top)
            out.append(c)
            x = float(c["x1"])  # type: ignore[arg-type]
    return out


def test_row_number_and_amount_split_by_alignment() -> None:
    from crossfoot.ingest.hrules import _lines

    # 行次 centred, 决算数 right-aligned: "27 1,144.45" on a line is two columns.
    chars = (_line(0, (0, "项目"), (110, "行次"), (160, "决算数"))
             + _line(20, (0, "收入合计"), (113, "27"), (155, "1,144.45"))
             + _line(40, (0, "其他收入"), (115, "2"), (175, "5.00"))
             + _line(60, (0, "总计"), (113, "31"), (155, "1,149.45")))
    xs = column_bounds(_lines(chars), -1, 200)
    assert len(xs) == 4
    assert xs[1] < 110 and 125 < xs[2] < 155


def test_spanning_group_label_heads_its_columns() -> None:
    chars = (_line(0, (60, "收入"), (260, "支出"))
             + _line(20, (0, "项目"), (110, "行次"), (150, "金额"), (200, "项目"), (310, "行次"), (350, "金额"))
             + _line(40, (0, "甲"), (113, "1"), (150, "1.00"), (200, "乙"), (313, "2"), (350, "2.00"))
             + _line(60, (0, "丙"), (113, "3"), (150, "3.00"), (200, "丁"), (313, "4"), (350, "4.00")))
    rules = [(-2.0, -1.0, 400.0), (15.0, -1.0, 400.0), (35.0, -1.0, 400.0), (55.0, -1.0, 400.0),
             (75.0, -1.0, 400.0)]
    boxes = infer_cells(chars, (-1, -2, 400, 75), rules)
    top = sorted(b for b in boxes if b[1] < 0)
    assert len(top) == 2  # 收入 over three columns, 支出 over three
    assert top[0][2] == top[1][0]


# --- 类/款/项 printed in the body, codes printed in parts ------------------------------------------

def test_code_header_row_in_body_lifts_and_codes_join() -> None:
    r = _need("real/putuo-finance-2024.pdf")()
    t = next(t for t in r.tables if t.title == "收入决算表")
    assert t.columns[0] == "项目/支出功能分类/科目编码" and t.columns[1] == "项目/科目名称"
    assert [c.text for c in t.rows[0][:3]] == ["", "合计", "2,946.25"]  # 类 | 款 | 项 left the body
    codes = [row[0].text for row in t.rows[1:4]]
    assert codes == ["201", "20106", "2010601"]


def test_every_code_span_of_side_by_side_groups_joins() -> None:
    r = _need("real/putuo-finance-2024.pdf")()
    t = next(t for t in r.tables if t.title == "一般公共预算财政拨款基本支出决算表")
    assert t.n_cols == 6
    assert [t.rows[1][0].text, t.rows[1][3].text] == ["30101", "30201"]


def test_code_parts_join_by_role() -> None:
    from crossfoot.ingest.codes import join_code_parts

    assert join_code_parts(["212", "01", "01"]) == "2120101"
    assert join_code_parts(["301", "2", ""]) == "30102"  # 款 printed without its leading zero
    assert join_code_parts(["201", "20106", "2010601"]) == "2010601"  # full codes in every column
    assert join_code_parts(["合计", "", ""]) == "合计"


# --- side by side: 收入 | 支出 sums stay in their own group ----------------------------------------

@pytest.mark.parametrize("rel", ["unlabeled/govoffice-2025-budget.pdf", "unlabeled/wanli-2024-budget.pdf"])
def test_side_by_side_groups_sum_apart(rel: str) -> None:
    from crossfoot.pipeline import analyse
    from crossfoot.tables import structure

    r = _need(rel)()
    t = next(t for t in r.tables if t.title and t.title.endswith("收支预算总表"))
    lists = structure.bands(t)
    assert len(lists) == 2
    assert {row.label for row in lists[0]} & {"收入总计"} and {row.label for row in lists[1]} & {"支出总计"}
    a = analyse(r, only=["table_sum"])
    problems = [f for f in (*a.findings, *a.held_back) if f.is_problem and any(c.table == t.id for c in f.refs)]
    assert not problems


# --- ruled tables with invisible rects, orphaned rows, frames holding two tables ---------------------

def _titled(r: Report, needle: str) -> Table:
    return next(t for t in r.tables if t.title and needle in t.title)


def test_white_cell_backgrounds_are_no_rules() -> None:
    r = _need("unlabeled/jiangsu-court-2018-dept-budget.pdf")()
    t = _titled(r, "财政拨款支出预算表")
    assert t.columns == ("功能科目代码", "功能科目名称", "金额")  # not 9 columns cut by white rects
    assert [c.text for c in t.rows[3]] == ["2040501", "行政运行", "14,857.61"]


def test_row_above_a_continuation_frame_is_its_first_row() -> None:
    r = _need("unlabeled/jiangsu-court-2018-dept-budget.pdf")()
    assert not any(t.title in ("30108", "2040504", "30231", "养服务") for t in r.tables)
    t = _titled(r, "财政拨款基本支出预算表")
    assert t.pages == (11, 12)
    assert ["30108", "机关事业单位基本养老保险缴费", "1,326.81"] in [[c.text for c in row] for row in t.rows]
    buy = _titled(r, "政府采购预算表")
    assert buy.pages == (15, 16)
    wrapped = [[c.text for c in row if c.text] for row in buy.rows]
    assert ["计算机设备维修和保养服务", "分散自行组织", "2.00"] in wrapped  # label over two lines, one row


def test_continuation_on_a_finer_grid_keeps_its_columns() -> None:
    r = _need("unlabeled/jiangsu-court-2018-dept-budget.pdf")()
    t = _titled(r, "财政拨款收支预算总表")
    assert t.pages == (10, 11) and t.n_cols == 4
    assert [c.text for c in t.rows[0]] == ["一、一般公共预算", "33,172.15", "一、基本支出", "18,570.82"]


def test_frame_holding_two_tables_splits_at_the_inner_title() -> None:
    r = _need("unlabeled/jiangsu-npc-2017-dept-budget.pdf")()
    fund = _titled(r, "财政拨款政府性基金支出预算表")
    assert fund.pages == (15,)
    basic = _titled(r, "财政拨款基本支出预算表")
    assert not any("政府性基金" in c.text for row in basic.rows for c in row)


def test_caption_rows_in_white_cells_stay_captions() -> None:
    r = _need("unlabeled/jiangsu-cppcc-2018-dept-budget-tables.pdf")()
    titles = [t.title for t in r.tables]
    assert "收支预算总表（金额）" in titles and "财政拨款支出预算表" in titles
    assert not any("部门：" in (t or "") for t in titles)
    assert all(t.unit == "万元" for t in r.tables)
    spend = _titled(r, "财政拨款支出预算表")
    assert spend.pages == (5,)  # not run on into the next two tables


def test_hrules_column_labels_equal_ruled_with_group_labels() -> None:
    ruled, hrules = _need("pdf/000.pdf")(), _need("pdf/000_hrules.pdf")()
    for code in ("公开01表", "公开02表", "公开03表", "公开04表", "公开05表", "公开06表", "公开07表"):
        a = next(t for t in ruled.tables if t.code == code)
        b = next(t for t in hrules.tables if t.code == code)
        assert b.columns == a.columns, code  # 人员经费 over three columns, 公用经费 over six
        # Row by row the same, a continuation's repeated header (its cells merged differently) dropped.
        assert [b.row_label(i) for i in range(len(b.rows))] == [a.row_label(i) for i in range(len(a.rows))]
