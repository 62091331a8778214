from __future__ import annotations

from crossfoot.ingest.layout import Line, Segment
from crossfoot.ingest.raw import RawCell, RawTable
from crossfoot.ingest.tables import Caption, build_tables, is_caption_line


def _line(text: str, page: int = 1) -> Line:
    return Line(page=page, x0=0, top=0, x1=100, bottom=10, size=10, segments=(Segment(0, 100, text),))


def _raw(page: int, rows: list[list[str]]) -> RawTable:
    cells = [RawCell(t, (100.0 * j, 20.0 * i, 100.0 * (j + 1), 20.0 * (i + 1)), i, i + 1, j, j + 1)
             for i, row in enumerate(rows) for j, t in enumerate(row)]
    n_cols = len(rows[0])
    return RawTable(page, (0, 0, 100.0 * n_cols, 20.0 * len(rows)), len(rows), n_cols, tuple(cells),
                    tuple(100.0 * j for j in range(n_cols + 1)))


HEAD = ["项目", "决算数"]


def test_caption_parts() -> None:
    cap = Caption((_line("收入支出决算总表"), _line("公开 01 表"), _line("部门：测试局"), _line("单位：万元")))
    assert (cap.title, cap.code, cap.unit, cap.department) == ("收入支出决算总表", "公开01表", "万元", "测试局")
    assert Caption((_line("金额单位：元"),)).title is None
    assert not is_caption_line("一、收入支出决算总表..... 3")  # a contents line
    assert not is_caption_line("本表反映部门本年度的总收支。")


def test_continuation_marked_or_repeating_its_code_joins() -> None:
    first = Caption((_line("收入决算表"), _line("公开02表"), _line("单位：元")))
    again = Caption((_line("收入决算表", 2), _line("公开02表", 2), _line("单位：元", 2)))
    cont = Caption((_line("续表", 3),))
    tables = build_tables([
        (_raw(1, [HEAD, ["合计", "3.00"]]), first, [], False),
        (_raw(2, [HEAD, ["甲", "1.00"]]), again, [], True),
        (_raw(3, [HEAD, ["乙", "2.00"]]), cont, [], True),
    ])
    assert len(tables) == 1
    t = tables[0]
    assert t.pages == (1, 2, 3) and t.columns == ("项目", "决算数")
    assert [r[0].text for r in t.rows] == ["合计", "甲", "乙"]


def test_next_table_with_its_own_title_does_not_join() -> None:
    a = Caption((_line("项目支出绩效自评表"),))
    b = Caption((_line("项目支出绩效自评表", 2),))
    tables = build_tables([(_raw(1, [HEAD, ["甲", "1"]]), a, [], False),
                           (_raw(2, [HEAD, ["乙", "2"]]), b, [], True)])
    assert [t.id for t in tables] == ["T01", "T02"]


def test_unit_left_none_without_a_unit_line() -> None:
    t = build_tables([(_raw(1, [HEAD, ["甲", "1"]]), Caption((_line("表2-1产出指标评分情况表"),)), [], False)])[0]
    assert t.unit is None and t.title == "表2-1产出指标评分情况表"


def test_column_number_row_stays_in_header_and_notes_leave_body() -> None:
    rows = [["项目", "年初预算数", "决算数"], ["栏次", "1", "2"], ["合计", "8.00", "5.52"],
            ["注：本表反映“三公”经费。", "", ""]]
    raw = _raw(1, rows)
    # The note is one cell across the table.
    cells = [c for c in raw.cells if c.r0 != 3] + [RawCell(rows[3][0], (0, 60, 300, 80), 3, 4, 0, 3)]
    raw = RawTable(1, raw.bbox, raw.n_rows, raw.n_cols, tuple(cells), raw.col_x)
    t = build_tables([(raw, Caption((_line("三公经费表"),)), [], False)])[0]
    assert t.columns == ("项目", "年初预算数", "决算数")
    assert len(t.header) == 2 and [c.text for c in t.rows[0]] == ["合计", "8.00", "5.52"]
    assert t.notes == ("注：本表反映“三公”经费。",) and len(t.rows) == 1


def test_caption_rows_inside_the_frame() -> None:
    rows = [["收入决算表", "", ""], ["单位：万元", "", ""], ["项目", "本年收入", "其他"], ["合计", "1.00", "2.00"]]
    base = _raw(1, rows)
    cells = [c for c in base.cells if c.r0 >= 2]
    cells += [RawCell(rows[r][0], (0, 20.0 * r, 300, 20.0 * (r + 1)), r, r + 1, 0, 3) for r in (0, 1)]
    raw = RawTable(1, base.bbox, base.n_rows, base.n_cols, tuple(cells), base.col_x)
    t = build_tables([(raw, Caption(), [], False)])[0]
    assert (t.title, t.unit) == ("收入决算表", "万元")
    assert t.columns == ("项目", "本年收入", "其他") and len(t.rows) == 1
