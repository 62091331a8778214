"""Orphaned captions and rows (issue 12, layout 5): a title or 公开NN表 code printed at the foot of the
page before its table, a continuation sharing its frame with the next table, a caption drawn as a grid
of its own. Checked on a small PDF built here and on the real pages that show them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED
from tests.ingest.pdfs import build_orphans_pdf

from crossfoot.ingest.assemble import Item, _attach_captions, split_caption_rows
from crossfoot.ingest.layout import Line, Segment
from crossfoot.ingest.raw import RawCell, RawTable
from crossfoot.model import Report, Table

CORPUS = SHARED / "corpus"


@pytest.fixture(scope="module")
def orphans(tmp_path_factory: pytest.TempPathFactory) -> Report:
    from crossfoot.ingest import load

    return load(build_orphans_pdf(tmp_path_factory.mktemp("orphans") / "orphans.pdf"), use_cache=False)


def _titled(r: Report, title: str) -> Table:
    return next(t for t in r.tables if t.title == title)


def test_caption_at_the_foot_of_the_page_names_the_table_overleaf(orphans: Report) -> None:
    assert [t.title for t in orphans.tables] == ["收入总表", "基本支出表", "项目支出表", "支出分类表"]
    t = _titled(orphans, "基本支出表")
    assert (t.code, t.unit, t.pages) == ("公开04表", "万元", (2,))
    assert _titled(orphans, "收入总表").code is None  # the code printed under it is the next table's
    assert not any("基本支出表" in b.text or "公开04表" in b.text for b in orphans.blocks)


def test_continuation_sharing_a_frame_with_the_next_table_joins(orphans: Report) -> None:
    t = _titled(orphans, "项目支出表")
    assert t.pages == (3, 4) and t.n_cols == 3
    assert [c.text for c in t.rows[-1]] == ["合计", "", "31.00"]
    assert [c.text for c in t.rows[-2]] == ["项目31", "专项", "1.00"]
    nxt = _titled(orphans, "支出分类表")
    assert nxt.pages == (4,) and nxt.columns == ("项目", "类别", "本年", "上年")


def _line(page: int, top: float, text: str, size: float = 10.0) -> Line:
    return Line(page=page, x0=60.0, top=top, x1=60.0 + size * len(text), bottom=top + size, size=size,
                segments=(Segment(60.0, 60.0 + size * len(text), text),))


def _table(page: int, top: float) -> RawTable:
    cells = (RawCell("项目", (60.0, top, 200.0, top + 20), 0, 1, 0, 1),
             RawCell("金额", (200.0, top, 300.0, top + 20), 0, 1, 1, 2))
    return RawTable(page, (60.0, top, 300.0, top + 20), 1, 2, cells, (60.0, 200.0, 300.0))


def test_last_line_of_a_paragraph_is_no_caption_overleaf() -> None:
    para = [Item(1, 700.0, line=_line(1, 700.0, "本年支出情况如下，其中基本支出占比较大，")),
            Item(1, 712.0, line=_line(1, 712.0, "各项支出明细详见下表"))]
    table = _table(2, 60.0)
    _, captions, _ = _attach_captions([*para, Item(2, 60.0, table=table)])
    assert captions[id(table)].empty
    # The same words standing apart at the page foot, set as a title, are its caption.
    apart = [Item(1, 600.0, line=_line(1, 600.0, "本年支出情况如下。")),
             Item(1, 700.0, line=_line(1, 700.0, "各项支出明细表", 14.0))]
    table = _table(2, 60.0)
    rest, captions, _ = _attach_captions([*apart, Item(2, 60.0, table=table)])
    assert captions[id(table)].title == "各项支出明细表" and len(rest) == 2


def test_a_table_with_its_own_title_keeps_it() -> None:
    foot = [Item(1, 700.0, line=_line(1, 700.0, "收入明细表", 14.0))]
    own = Item(2, 40.0, line=_line(2, 40.0, "支出明细表", 14.0))
    table = _table(2, 60.0)
    _, captions, _ = _attach_captions([*foot, own, Item(2, 60.0, table=table)])
    assert captions[id(table)].title == "支出明细表"


def _grid(rows: list[list[str]]) -> RawTable:
    cells = tuple(RawCell(t, (100.0 * j, 20.0 * i, 100.0 * j + 100, 20.0 * i + 20), i, i + 1, j, j + 1)
                  for i, r in enumerate(rows) for j, t in enumerate(r))
    return RawTable(1, (0.0, 0.0, 300.0, 20.0 * len(rows)), len(rows), 3, cells, (0.0, 100.0, 200.0, 300.0))


def test_a_grid_of_caption_rows_only_is_a_caption() -> None:
    lines, body = split_caption_rows(_grid([["财政拨款基本支出预算表", "", ""], ["部门：", "某某办公厅", "单位：万元"]]))
    assert body is None
    assert [ln.text for ln in lines] == ["财政拨款基本支出预算表", "部门： 某某办公厅 单位：万元"]
    # Blank rows under a title: an empty table, kept.
    empty = _grid([["财政拨款基本支出预算表", "", ""], ["", "", ""]])
    assert split_caption_rows(empty) == ([], empty)


def test_real_pages_orphaned_titles_and_shared_frames() -> None:
    rel = "unlabeled/jiangsu-npc-2017-dept-budget.pdf"
    if not (CORPUS / rel).exists():
        pytest.skip(f"corpus file {rel} not available")
    from crossfoot.ingest import load

    r = load(CORPUS / rel, use_cache=False)
    total = _titled(r, "收支预算总表（金额）")
    assert total.pages == (7, 8, 9)
    assert [c.text for c in total.rows[-1]] == ["收入合计", "13,649.07", "支出合计", "", "", "13,649.07"]
    labels = [total.row_label(i) for i in range(len(total.rows))]
    assert "当年收入小计" in labels and "小计" not in labels  # a label wrapped over the page break
    assert any(c.text == "八、社会保障和就业支出" for row in total.rows for c in row)
    assert _titled(r, "财政拨款基本支出预算表").pages == (13, 14, 15)  # title and 单位 at the foot of p12
    assert _titled(r, "一般公共预算机关运行经费支出预算表").pages == (19,)  # title at the foot of p18


def test_builder_writes_a_pdf(tmp_path: Path) -> None:
    assert build_orphans_pdf(tmp_path / "o.pdf").stat().st_size > 0


def test_label_wrapped_over_the_page_break_rejoins() -> None:
    from crossfoot.ingest.joins import full_columns, wrapped_over
    from crossfoot.model import Cell

    col_x = (0.0, 60.0, 160.0)
    full = RawCell("当年收入", (0.0, 0.0, 60.0, 20.0), 0, 1, 0, 1, ink=(1.0, 59.0))
    short = RawCell("合计", (0.0, 0.0, 60.0, 20.0), 0, 1, 0, 1, ink=(20.0, 40.0))
    amount = RawCell("13.00", (60.0, 0.0, 160.0, 20.0), 0, 1, 1, 2, ink=(120.0, 150.0))
    assert full_columns([full, amount], col_x) == {0}
    assert full_columns([short, amount], col_x) == set()
    prev = [Cell("当年收入", 1, None), Cell("13.00", 1, None)]
    rest = [Cell("小计", 2, None), Cell("", 2, None)]
    joined = wrapped_over(prev, rest, {0})
    assert joined is not None and [c.text for c in joined] == ["当年收入小计", "13.00"]
    assert wrapped_over(prev, rest, set()) is None  # the label did not fill its cell: a row of its own
    assert wrapped_over(prev, [Cell("一、其他", 2, None), Cell("", 2, None)], {0}) is None  # a new item
    assert wrapped_over(prev, [Cell("小计", 2, None), Cell("1.00", 2, None)], {0, 1}) is None  # has an amount
