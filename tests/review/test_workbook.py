from __future__ import annotations

import io

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from crossfoot.model import Cell, Table
from crossfoot.pipeline import Analysis
from crossfoot.review.export import COLUMNS, export_bytes
from crossfoot.review.store import ReviewStore, manual_finding
from crossfoot.review.workbook import _cell_value, _sheet_names

from .conftest import SHA, make_analysis, ref


def workbook(analysis: Analysis, store: ReviewStore | None, include_all: bool = False) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(export_bytes(analysis, store, "xlsx", include_all=include_all)))


def test_findings_sheet_rows_and_review(store: ReviewStore, analysis: Analysis) -> None:
    key = analysis.findings[0].key
    store.set_state(SHA, key, "dismissed", note="正文笔误")
    wb = workbook(analysis, store, include_all=True)
    assert wb.sheetnames == ["findings", "summary", "t1 表1"]
    rows = list(wb["findings"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == [f.key for f in analysis.findings]
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["page"], first["review_state"], first["reviewer"]) == (2, "dismissed", "alice")
    assert "正文笔误" in str(first["notes"])


def test_table_sheet_numbers_as_numbers_codes_as_text(analysis: Analysis) -> None:
    ws = workbook(analysis, None)["t1 表1"]
    assert [c.value for c in ws[1]] == ["项目", "本年收入", "本年支出", "执行率"]
    assert ws["A2"].value == "201" and ws["A2"].data_type == "s"
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == "#,##0.00"
    assert ws["B3"].value == 100.25 and ws["B3"].number_format == "0.00"
    assert ws["C3"].value == "—"
    assert ws["D2"].value == 0.81 and ws["D2"].number_format == "0.0%"
    assert ws["A4"].value == "合计" and ws["B4"].value == 1334.75


def fill(ws: Worksheet, coord: str) -> str | None:
    c = ws[coord]
    return str(c.fill.fgColor.rgb) if c.fill.fill_type == "solid" else None


def test_evidence_cells_highlighted_with_comment(store: ReviewStore) -> None:
    analysis = make_analysis()
    total, colsum, consistent, _pct = analysis.findings
    ws = workbook(analysis, store)["t1 表1"]
    # Problems only: the total (B4) and the two addends (B2, B3) are evidence; C4 (consistent) is not.
    for coord in ("B4", "B2", "B3"):
        assert fill(ws, coord) is not None and fill(ws, coord).endswith("FFC7CE")  # type: ignore[union-attr]
    assert ws["B4"].comment is not None and total.key in ws["B4"].comment.text
    assert ws["B2"].comment is not None and colsum.key in ws["B2"].comment.text
    assert fill(ws, "C4") is None and ws["C4"].comment is None
    ws_all = workbook(analysis, store, include_all=True)["t1 表1"]
    assert ws_all["C4"].comment is not None and consistent.key in ws_all["C4"].comment.text
    assert fill(ws_all, "C4", ).endswith("FFEB9C")  # type: ignore[union-attr]
    assert fill(ws_all, "A2") is None


def test_manual_finding_highlights_its_cell(store: ReviewStore) -> None:
    analysis = make_analysis(())
    m = manual_finding(page=3, quote="支出合计", stated="1,000.00", refs=(ref(2, 2, "1,000.00"),))
    store.add_manual(SHA, m)
    ws = workbook(analysis, store)["t1 表1"]
    assert ws["C4"].comment is not None and m.key in ws["C4"].comment.text


def test_finding_links_to_its_evidence(analysis: Analysis) -> None:
    ws = workbook(analysis, None)["findings"]
    link = ws.cell(row=2, column=COLUMNS.index("cells") + 1).hyperlink
    assert link is not None and link.location == "'t1 表1'!B4"


def test_sheet_names_valid_and_unique() -> None:
    def t(id_: str, code: str | None, title: str | None) -> Table:
        return Table(id_, code, title, None, (1,), (), ())

    names = _sheet_names((t("t1", None, "a/b:c*d?[e]" * 5), t("t2", "findings", None),
                          t("t1", None, "a/b:c*d?[e]" * 5), t("t3", None, None)))
    values = list(names.values())
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in values)
    assert len({n.lower() for n in values}) == len(values)
    assert "findings" not in values


def test_cell_value_rules() -> None:
    def cv(text: str, label: bool = False) -> tuple[object, str | None, bool]:
        return _cell_value(Cell(text, 1), label)

    assert cv("2010101", label=True) == ("2010101", None, True)
    assert cv("2010101", label=False)[0] == 2010101
    assert cv("(12.50)") == (-12.5, "0.00", False)
    assert cv("三") == ("三", None, False)
    assert cv("12万元")[0] == "12万元"
    assert cv("1,000") == (1000, "#,##0", False)
