"""Finding a quote's glyphs on hand-built pages: wrapped sentences, a sentence over a page break, a
paragraph's later sentence on the next page, a table row among rows that repeat the same words."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from crossfoot.findings import Finding
from crossfoot.review.annotate import Mark, annotate
from crossfoot.review.locate import PageText, glyph_boxes, locate_quote, page_end_prefix
from crossfoot.review.store import Review

FONT = "STSong-Light"


def pages_pdf(path: Path, pages: list[list[tuple[float, float, str]]]) -> Path:
    """Pages of (x, y from the top, text) in 12-point 宋体 on A4."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    for items in pages:
        c.setFont(FONT, 12)
        for x, y, t in items:
            c.drawString(x, 842 - y, t)
        c.showPage()
    c.save()
    return path


def page_text(path: Path, n: int = 0) -> tuple[PageText, list[str]]:
    with pdfplumber.open(path) as pdf:
        pt = PageText.of(pdf.pages[n].chars)
    return pt, ["".join(str(c["text"]) for c in ln) for ln in pt.lines]


def matched_text(pt: PageText, glyphs: frozenset[tuple[int, int]]) -> str:
    return "".join(str(pt.lines[i][j]["text"]) for i, j in sorted(glyphs))


ROWS = [
    (100, "机关办公费用", "≤60万元", "14.09", "5", "完成指标得满分"),
    (130, "会议会务成本", "≤35万元", "29.97", "5", "完成指标得满分"),
    (160, "平台租车成本", "≤45万元", "150", "15", "完成指标得满分"),
    (190, "督导差旅费用", "≤60万元", "65.01", "15", "完成指标得满分"),
]


def table_page() -> list[tuple[float, float, str]]:
    out: list[tuple[float, float, str]] = []
    for y, *cells in ROWS:
        for x, t in zip((40, 140, 230, 300, 340), cells, strict=True):
            out.append((x, y, t))
    return out


def test_a_row_is_found_at_its_own_height_among_rows_repeating_its_words(tmp_path: Path) -> None:
    pt, _ = page_text(pages_pdf(tmp_path / "t.pdf", [table_page()]))
    m = locate_quote("督导差旅费用 ≤60万元 65.01 15 完成指标得满分", pt)
    assert m.share == 1.0
    rows = {pt.lines[i][0]["top"] for i, _ in m.glyphs}
    assert len(rows) == 1  # every glyph on the 督导差旅费用 line, none on the rows above
    assert matched_text(pt, m.glyphs) == "督导差旅费用≤60万元65.0115完成指标得满分"
    # One box per cell: the gaps between cells are not highlighted.
    assert len(glyph_boxes(pt, m.glyphs)) == 5


def test_a_short_figure_is_matched_whole_not_inside_a_longer_number(tmp_path: Path) -> None:
    pt, _ = page_text(pages_pdf(tmp_path / "t.pdf", [table_page()]))
    m = locate_quote("平台租车成本 ≤45万元 150 15 完成指标得满分", pt)
    got = matched_text(pt, m.glyphs)
    assert got == "平台租车成本≤45万元15015完成指标得满分"
    boxes = sorted(glyph_boxes(pt, m.glyphs))
    assert len(boxes) == 5  # "150" and "15" are two cells, each boxed on its own


SENTENCE = "本年度一般公共预算财政拨款支出合计1,334.57万元，比上年增长12.5%，主要是项目支出增加。"


def test_a_sentence_over_the_page_break_is_marked_on_both_pages(tmp_path: Path) -> None:
    head, rest = SENTENCE[:20], SENTENCE[20:]
    src = pages_pdf(tmp_path / "p.pdf", [
        [(60, 100, "一、收入支出决算总体情况说明"), (60, 780, "收入合计与上年相比有所增加。" + head[:8]), (60, 800, head[8:]),
         (290, 830, "- 3 -")],
        [(60, 60, rest), (60, 80, "二、其他说明。")],
    ])
    pt, _ = page_text(src)
    end = page_end_prefix(SENTENCE, pt)
    assert end.matched == 20 and end.tail.startswith("1,334.57") is False and end.ends_page
    f = Finding("growth_rate", "medium", "inconsistent", 1, SENTENCE, "12.5%", "10.0%", "x")
    out = annotate(src, [Mark(f, Review(f.key))], None)
    from io import BytesIO

    from pypdf import PdfReader

    r = PdfReader(BytesIO(out.pdf), strict=True)
    names = {str(a.get_object().get("/NM")): n for n, p in enumerate(r.pages) for a in p.get("/Annots", [])}
    assert names[f"crossfoot:{f.key}:quote"] == 0 and names[f"crossfoot:{f.key}:quote:2"] == 1


def test_a_later_sentence_of_a_paragraph_is_found_on_the_next_page(tmp_path: Path) -> None:
    src = pages_pdf(tmp_path / "p.pdf", [
        [(60, 100, "一、收入支出决算总体情况说明"), (60, 780, "收入合计与上年相比有所增加，主要原因如下。")],
        [(60, 60, SENTENCE[:30]), (60, 80, SENTENCE[30:])],
    ])
    f = Finding("growth_rate", "medium", "inconsistent", 1, SENTENCE, "12.5%", "10.0%", "x")
    out = annotate(src, [Mark(f, Review(f.key))], None)
    assert out.highlighted == 1 and out.unlocated == ()
    from io import BytesIO

    from pypdf import PdfReader

    r = PdfReader(BytesIO(out.pdf), strict=True)
    quads = [a.get_object() for a in r.pages[1].get("/Annots", []) if a.get_object().get("/Subtype") == "/Highlight"]
    assert len(quads) == 1 and len(quads[0]["/QuadPoints"]) == 16  # two lines on page 2


@pytest.mark.parametrize("quote", ["支出合计1,334.57万元", "主要是项目支出增加。"])
def test_a_quote_is_not_taken_from_far_apart_pieces(tmp_path: Path, quote: str) -> None:
    # The words are on the page, but scattered over unrelated lines: nothing to highlight.
    src = pages_pdf(tmp_path / "s.pdf", [[(60, 100, "支出合计"), (60, 400, "1,334.57万元以下不计"),
                                          (60, 700, "主要是"), (300, 760, "项目支出"), (60, 800, "增加。")]])
    pt, _ = page_text(src)
    assert locate_quote(quote, pt).share < 0.6


def test_a_row_of_short_cells_is_found_in_the_row_of_its_cells(tmp_path: Path) -> None:
    rows = [(100, "B11", "5", "1"), (130, "B21", "20", "20"), (160, "合计", "50", "42"), (190, "总分", "50", "50")]
    src = pages_pdf(tmp_path / "t.pdf", [[(x, y, t) for y, *cells in rows
                                          for x, t in zip((60, 300, 360), cells, strict=True)]])
    pt, _ = page_text(src)
    # Nothing distinctive to anchor on: without the row of the cells used, nothing is claimed.
    assert locate_quote("合计 50 42", pt).matched == 0
    tops = sorted({(float(c["top"]), float(c["bottom"])) for ln in pt.lines for c in ln})
    bands = [(t - 2, b + 2) for t, b in tops]
    m = locate_quote("合计 50 42", pt, rows=bands)
    assert m.share == 1.0 and matched_text(pt, m.glyphs) == "合计5042"
    lines = {i for i, _ in m.glyphs}
    assert len(lines) == 1 and str(pt.lines[lines.pop()][0]["text"]) == "合"  # the 合计 row, not 总分's 50


def test_clauses_joined_by_an_elision_are_found_apart(tmp_path: Path) -> None:
    # A finding quotes two clauses of one long sentence: the words between them are far more than a gap.
    pdf = pages_pdf(tmp_path / "e.pdf", [[
        (60, 100, "政府采购货物支出0.09万元、政府采购工程支出0.00万元、政府采购服务支出0.00万元。"),
        (60, 118, "授予中小企业合同金额0.09万元，占政府采购支出总额的100%，其中：授予小微企业合"),
        (60, 136, "同金额0.00万元，货物采购授予中小企业合同金额占货物支出金额的0.06%。"),
    ]])
    pt, _ = page_text(pdf)
    got = locate_quote("政府采购货物支出0.09万元…货物采购授予中小企业合同金额占货物支出金额的0.06%", pt)
    rows = {line for line, _ in got.glyphs}
    assert got.share == 1.0 and 0 in rows and 2 in rows and 1 not in rows
