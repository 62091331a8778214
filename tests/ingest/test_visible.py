"""Text that is not what the page shows: glyphs off the page, contents pages drawn as grids, check-box
lines taken for titles."""

from __future__ import annotations

from crossfoot.ingest.assemble import _is_short_heading, has_checkbox, is_contents
from crossfoot.ingest.pdf import RawCell, RawTable
from crossfoot.ingest.visible import box_on_page, visible_chars


def _char(text: str, x: float, top: float) -> dict[str, object]:
    return {"text": text, "x0": x, "x1": x + 10, "top": top, "bottom": top + 10, "size": 10.0}


def test_glyphs_outside_the_page_box_are_dropped() -> None:
    page = (0.0, 0.0, 595.0, 842.0)
    inside = _char("表", 100, 100)
    below = _char("部", 130, 910)  # the clipped rest of a table, below the page foot
    above = _char("上", 64, -276)  # a copy of the previous page above the top edge
    right = _char("年", 619, 97)  # the half of a wide table shown on the facing page
    edge = _char("1", 590, 400)  # centre on the page: printed
    assert visible_chars([inside, below, above, right, edge], page) == [inside, edge]
    assert len(visible_chars([inside, below], None)) == 2  # frame unknown (rotated): keep all


def test_grid_off_the_page_is_not_on_it() -> None:
    assert box_on_page((50, 100, 500, 700), 595, 842)
    assert not box_on_page((50, 850, 500, 1200), 595, 842)


def _raw(rows: list[list[str]]) -> RawTable:
    cells = tuple(RawCell(t, (0.0, 0.0, 1.0, 1.0), i, i + 1, j, j + 1)
                  for i, r in enumerate(rows) for j, t in enumerate(r))
    return RawTable(1, (0.0, 0.0, 100.0, 100.0), len(rows), max(len(r) for r in rows), cells, (0.0, 100.0))


def test_contents_drawn_as_a_grid_is_not_a_table() -> None:
    toc = _raw([["目录"], ["一、部门主要职能……………………"], ["二、部门机构设置……………………"],
                ["1. 2026年部门财务收支预算总表……………"], ["2. 2026年部门收入预算总表………………"]])
    assert is_contents(toc)
    boxed = _raw([["高雄市政府主計處目次中華民國115年度甲、預算總說明第1頁至第4頁乙、主要表1.歲入來源別預算表第5頁"]])
    assert is_contents(boxed)
    assert not is_contents(_raw([["", ""], ["", ""]]))  # an empty grid: kept only as a continuation


def test_tables_are_not_contents() -> None:
    assert not is_contents(_raw([["项目", "金额"], ["合计", "1,144.45"], ["基本工资", "115.35"]]))
    assert not is_contents(_raw([["序号", "单位名称", "备注"], ["1", "某某局（本级）", "行政单位"]]))
    # An amount table whose labels happen to carry leaders keeps its amounts: still a table.
    assert not is_contents(_raw([["工资……", "10.00"], ["津贴……", "20.00"]]))


def test_check_box_lines_are_never_titles() -> None:
    assert has_checkbox("□是√否") and has_checkbox("优 ☑ 良 □ 中 □ 差")
    assert not _is_short_heading("□是√否")
    assert not _is_short_heading("√适用□不适用")
    assert _is_short_heading("员额编制表")


def test_an_empty_grid_is_kept_only_as_a_continuation() -> None:
    from crossfoot.ingest.assemble import _items
    from crossfoot.ingest.pdf import PagePart

    full = _raw([["项目", "金额"], ["合计", "1.00"]])
    empty = _raw([["", ""], ["", ""]])
    toc = _raw([["一、概况……………"], ["二、部门决算表……………"]])
    parts = [PagePart(1, 595, 842, tables=(toc,)), PagePart(2, 595, 842, tables=(empty,)),
             PagePart(3, 595, 842, tables=(full,)), PagePart(4, 595, 842, tables=(empty,))]
    kept = [(it.page, it.table is full) for it in _items(parts, {}) if it.table is not None]
    # p1 contents dropped; p2 empty box after no table dropped; p4 blank rows continuing p3 kept.
    assert kept == [(3, True), (4, False)]


def test_title_rows_drawn_inside_the_grid_become_caption_lines() -> None:
    from crossfoot.ingest.assemble import split_caption_rows

    grid = _raw([["2026年预算单位财政拨款收支预算总表", "", ""], ["", "", ""],
                 ["编制单位：某某局", "", "单位：元"], ["项目", "预算数", "合计"],
                 ["一、一般公共预算", "86,959,408.34", "79,189,400.34"]])
    caption, body = split_caption_rows(grid)
    # One line per row: a field and the unit printed in its row stay one line.
    assert [ln.text for ln in caption] == ["2026年预算单位财政拨款收支预算总表", "编制单位：某某局 单位：元"]
    assert body is not None and body.n_rows == 2 and min(c.r0 for c in body.cells) == 0
    assert {c.text for c in body.cells if c.r0 == 0} == {"项目", "预算数", "合计"}
    run_together = _raw([["收支预算总表部门：某某办公厅单位：万元", ""], ["项目", "金额"], ["合计", "1.00"]])
    lines, _ = split_caption_rows(run_together)
    assert [s.text for s in lines[0].segments] == ["收支预算总表", "部门：某某办公厅", "单位：万元"]
    plain = _raw([["项目", "金额"], ["合计", "1.00"]])
    assert split_caption_rows(plain) == ([], plain)  # a header row is not a caption
