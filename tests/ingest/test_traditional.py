"""Layouts of a traditional-script budget (臺/新臺幣): unit lines read from the lexicon, years counted in
an era, captions drawn as grid rows under the issuer's name, a form whose title repeats over each page,
boxes of an organisation chart."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.pdfs import build_running_caption_pdf

from crossfoot.ingest.assemble import Item, _items, split_caption_rows
from crossfoot.ingest.layout import Line, Segment
from crossfoot.ingest.raw import PagePart, RawCell, RawTable
from crossfoot.ingest.tables import Caption, is_caption_line
from crossfoot.ingest.words import unit_in


def test_unit_lines_in_either_script_and_currency() -> None:
    assert unit_in("單位：新臺幣千元") == "千元"
    assert unit_in("单位：人民币万元") == "万元"
    assert unit_in("金額單位：萬元") == "万元"
    assert unit_in("单位：元") == "元"
    assert unit_in("单位：户") is None and unit_in("新臺幣千元") is None  # a count; no unit label


def test_era_year_is_a_caption_line() -> None:
    assert is_caption_line("中華民國115年度") and is_caption_line("（2023年度）")
    assert Caption((Line(1, 0, 0, 1, 1, 10, (Segment(0, 1, "中華民國115年度"),)),)).title is None


def _grid(rows: list[list[str]]) -> RawTable:
    cells = tuple(RawCell(t, (100.0 * j, 20.0 * i, 100.0 * j + 100, 20.0 * i + 20), i, i + 1, j, j + 1)
                  for i, r in enumerate(rows) for j, t in enumerate(r))
    return RawTable(1, (0.0, 0.0, 300.0, 20.0 * len(rows)), len(rows), 3, cells, (0.0, 100.0, 200.0, 300.0))


def test_issuer_and_title_rows_inside_the_grid_are_caption() -> None:
    raw = _grid([["某市政府主計處", "", ""], ["歲出機關別預算表", "", ""], ["中華民國115年度", "", "單位：新臺幣千元"],
                 ["科目", "本年度預算數", "說明"], ["合計", "105,066", ""]])
    lines, body = split_caption_rows(raw)
    caption = Caption(tuple(lines))
    assert (caption.title, caption.unit) == ("歲出機關別預算表", "千元")
    assert body is not None and body.n_rows == 2
    # A heading row over a header, with no caption line after it, stays in the table.
    plain = _grid([["收入", "", ""], ["项目", "金额", "备注"], ["合计", "1.00", ""]])
    assert split_caption_rows(plain) == ([], plain)


def _line(top: float, text: str) -> Line:
    return Line(1, 60.0, top, 200.0, top + 10, 10.0, (Segment(60.0, 200.0, text),))


def test_a_box_of_words_in_a_drawing_is_no_table() -> None:
    box = RawTable(1, (200.0, 300.0, 300.0, 330.0), 1, 2,
                   (RawCell("主任", (200.0, 300.0, 250.0, 330.0), 0, 1, 0, 1),
                    RawCell("秘書", (250.0, 300.0, 300.0, 330.0), 0, 1, 1, 2)), (200.0, 250.0, 300.0))
    chart = PagePart(1, 595, 842, tables=(box,))
    kept = [it for it in _items([chart], {1: [_line(280.0, "副處長 副處長")]}) if it.table is not None]
    assert kept == []
    titled = [it for it in _items([chart], {1: [_line(280.0, "会议费预算表")]}) if it.table is not None]
    assert len(titled) == 1  # an empty table under its title stays
    first = [it for it in _items([chart], {1: []}) if it.table is not None]
    assert len(first) == 1  # first on its page: maybe the last row of a table overleaf
    assert isinstance(first[0], Item)


@pytest.mark.parametrize("to_foot", [True, False])
def test_title_repeated_over_each_page_of_a_form(tmp_path: Path, to_foot: bool) -> None:
    from crossfoot.ingest import load

    r = load(build_running_caption_pdf(tmp_path / "run.pdf", to_foot), use_cache=False)
    if to_foot:
        assert [(t.title, t.unit, t.pages) for t in r.tables] == [("费用明细表", "元", (1, 2))]
        t = r.tables[0]
        assert len(t.rows) == 34 * 2
        # Page 2's rows in page 1's columns: the column it leaves out stays blank.
        assert [c.text for c in t.rows[-1]] == ["费用133", "说明133", "", "34,000"]
    else:
        assert [t.pages for t in r.tables] == [(1,), (2,)]


def test_a_table_over_two_facing_pages_is_one(tmp_path: Path) -> None:
    from tests.ingest.pdfs import build_spread_pdf

    from crossfoot.ingest import load

    r = load(build_spread_pdf(tmp_path / "spread.pdf"), use_cache=False)
    (t,) = r.tables
    assert (t.title, t.unit, t.pages) == ("收支分类综合表", "万元", (1, 2))
    assert t.columns == ("项目", "工资", "津贴", "房屋", "设备", "总计")
    assert [c.text for c in t.rows[0]] == ["合计", "10.00", "5.00", "1.00", "2.00", "18.00"]


def test_halves_with_other_rows_stay_apart() -> None:
    from crossfoot.ingest.spreads import side_by_side

    def grid(tops: list[float]) -> RawTable:
        cells = tuple(RawCell("x", (0.0, top, 100.0, top + 20), i, i + 1, 0, 1) for i, top in enumerate(tops))
        return RawTable(1, (0.0, tops[0], 100.0, tops[-1] + 20), len(tops), 1, cells, (0.0, 100.0))

    assert side_by_side(grid([0.0, 20.0, 40.0]), grid([0.0, 20.0, 40.0])) is not None
    assert side_by_side(grid([0.0, 20.0, 40.0]), grid([0.0, 30.0, 40.0])) is None


def test_body_rows_without_rules_inside_a_ruled_frame(tmp_path: Path) -> None:
    from tests.ingest.pdfs import build_unruled_body_pdf

    from crossfoot.ingest import load

    r = load(build_unruled_body_pdf(tmp_path / "unruled.pdf"), use_cache=False)
    (t,) = r.tables
    got = [[c.text for c in row] for row in t.rows]
    assert got[:3] == [["合计", "300", "280"], ["人员维持费", "200", "190"], ["基本行政工作维持费", "100", "90"]]
    assert t.columns == ("科目", "本年度", "上年度") and t.unit == "千元"


def test_a_list_inside_one_cell_is_not_cut() -> None:
    from crossfoot.ingest.rowsplit import split_boxes

    def ch(text: str, x: float, top: float) -> dict[str, object]:
        return {"text": text, "x0": x, "x1": x + 8, "top": top, "bottom": top + 10, "size": 10.0}

    cells = (RawCell("说明", (0.0, 0.0, 100.0, 20.0), 0, 1, 0, 1), RawCell("内容", (100.0, 0.0, 300.0, 20.0), 0, 1, 1, 2),
             RawCell("…", (0.0, 20.0, 100.0, 100.0), 1, 2, 0, 1), RawCell("…", (100.0, 20.0, 300.0, 100.0), 1, 2, 1, 2))
    t = RawTable(1, (0.0, 0.0, 300.0, 100.0), 2, 2, cells, (0.0, 100.0, 300.0))
    # Amounts on three lines of the second column only: a list in one cell.
    chars = [ch("目", 10, 30), ch("标", 18, 30), *[ch(d, 110 + 8 * i, 30 + 20 * k)
                                                   for k in range(3) for i, d in enumerate("1.50")]]
    assert split_boxes(t, chars) is None


def test_a_ruled_row_with_wrapped_labels_and_dashes_is_not_cut() -> None:
    from crossfoot.ingest.rowsplit import split_boxes

    def run(text: str, x: float, top: float) -> list[dict[str, object]]:
        return [{"text": ch, "x0": x + 10 * i, "x1": x + 10 * i + 9, "top": top, "bottom": top + 10, "size": 10.0}
                for i, ch in enumerate(text)]

    cells = (RawCell("", (0.0, 0.0, 100.0, 60.0), 0, 1, 0, 1), RawCell("", (100.0, 0.0, 200.0, 60.0), 0, 1, 1, 2),
             RawCell("", (200.0, 0.0, 300.0, 60.0), 0, 1, 2, 3))
    t = RawTable(1, (0.0, 0.0, 300.0, 60.0), 1, 3, cells, (0.0, 100.0, 200.0, 300.0))
    # One line of amounts; a label wrapped over two lines beside dashes stacked over two lines.
    chars = [*run("对社会保", 205, 5), *run("30304", 5, 25), *run("3360.00", 105, 25), *run("障基金", 205, 45),
             *run("—", 105, 5), *run("—", 105, 45)]
    assert split_boxes(t, chars) is None
