"""The marked-up report on hand-built PDFs: every /Rotate, MediaBox origins away from 0,0, a CropBox,
landscape pages. The text and cells are drawn at known places in the page's display frame; the test
maps them to user space itself and checks that the highlight and the cell box written land there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crossfoot.findings import CellRef, Finding
from crossfoot.model import Report
from crossfoot.pipeline import Analysis
from crossfoot.review.annotate import AnnotateOptions, Mark, annotate, annotated_pdf, marks_from, note_text
from crossfoot.review.locate import PageFrame, PageText, glyph_boxes, locate_quote
from crossfoot.review.store import Note, Review, ReviewStore

FONT, SIZE = "STSong-Light", 12.0
LINES = ("2024年收入合计1,334.57万元，比上年增长", "12.5%，主要是项目支出增加。")
ROWS = (("项目", "本年收入"), ("一般公共服务支出", "100.25"), ("合计", "1,334.75"))
TEXT_X, TEXT_TOP, LEADING = 60.0, 100.0, 20.0  # from the displayed top-left corner
TABLE_X, TABLE_TOP, COL_W, ROW_H = 60.0, 200.0, 150.0, 24.0
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class Layout:
    rotate: int = 0
    shift: tuple[float, float] = (0.0, 0.0)  # MediaBox origin
    display: tuple[float, float] = (595.0, 842.0)  # width, height as shown
    crop: bool = False

    @property
    def user_size(self) -> tuple[float, float]:
        w, h = self.display
        return (h, w) if self.rotate in (90, 270) else (w, h)

    def to_user(self, u: float, v: float) -> tuple[float, float]:
        """Display coordinates (origin bottom-left as shown, y up) to user space."""
        w, h = self.user_size
        a, b, c, d, e, f = {0: (1, 0, 0, 1, 0.0, 0.0), 90: (0, 1, -1, 0, w, 0.0),
                            180: (-1, 0, 0, -1, w, h), 270: (0, -1, 1, 0, 0.0, h)}[self.rotate]
        return a * u + c * v + e + self.shift[0], b * u + d * v + f + self.shift[1]

    def user_rect(self, u0: float, v0: float, u1: float, v1: float) -> Rect:
        xa, ya = self.to_user(u0, v0)
        xb, yb = self.to_user(u1, v1)
        return (min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))


def build(path: Path, lay: Layout) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    (w, h), dh, (dx, dy) = lay.user_size, lay.display[1], lay.shift
    c = canvas.Canvas(str(path), pagesize=(w + max(dx, 0) + 50, h + max(dy, 0) + 50))
    # Draw in the display frame: the content matrix turns it so the page reads upright once rotated.
    ox, oy = lay.to_user(0, 0)
    ax, ay = lay.to_user(1, 0)
    bx, by = lay.to_user(0, 1)
    c.transform(ax - ox, ay - oy, bx - ox, by - oy, ox, oy)
    c.setFont(FONT, SIZE)
    for i, t in enumerate(LINES):
        c.drawString(TEXT_X, dh - TEXT_TOP - LEADING * i, t)
    for r, row in enumerate(ROWS):
        for j, t in enumerate(row):
            c.rect(TABLE_X + j * COL_W, dh - TABLE_TOP - (r + 1) * ROW_H, COL_W, ROW_H)
            c.drawString(TABLE_X + j * COL_W + 4, dh - TABLE_TOP - (r + 1) * ROW_H + 7, t)
    c.showPage()
    c.save()
    w_ = PdfWriter(clone_from=str(path))
    page = w_.pages[0]
    page.mediabox = RectangleObject([dx, dy, dx + w, dy + h])
    if lay.crop:
        page.cropbox = RectangleObject([dx + 5, dy + 5, dx + w - 5, dy + h - 5])
    if lay.rotate:
        page.rotation = lay.rotate
    with path.open("wb") as fh:
        w_.write(fh)
    return path


def line_rect(lay: Layout, i: int) -> Rect:
    """Where line i's glyphs are in user space: its advance width, baseline to about one em up."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    dh = lay.display[1]
    base = dh - TEXT_TOP - LEADING * i
    return lay.user_rect(TEXT_X, base, TEXT_X + stringWidth(LINES[i], FONT, SIZE), base + SIZE * 0.8)


def cell_rect(lay: Layout, row: int, col: int) -> Rect:
    dh = lay.display[1]
    v0 = dh - TABLE_TOP - (row + 1) * ROW_H
    return lay.user_rect(TABLE_X + col * COL_W, v0, TABLE_X + (col + 1) * COL_W, v0 + ROW_H)


def covers(outer: Rect, inner: Rect, tol: float = 1.5) -> bool:
    return (outer[0] <= inner[0] + tol and outer[1] <= inner[1] + tol and outer[2] >= inner[2] - tol
            and outer[3] >= inner[3] - tol)


def close(a: Rect, b: Rect, tol: float) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


LAYOUTS = [
    Layout(),
    Layout(display=(842.0, 595.0)),  # landscape by its MediaBox
    Layout(rotate=90, display=(842.0, 595.0)),  # landscape by /Rotate
    Layout(rotate=270, display=(842.0, 595.0), shift=(100.0, -50.0)),
    Layout(rotate=180, shift=(-30.0, 40.0), crop=True),
    Layout(shift=(72.0, 144.0), crop=True),
    Layout(rotate=90, shift=(20.0, 300.0), crop=True),
]
IDS = [f"rot{lay.rotate}-{int(lay.display[0])}x{int(lay.display[1])}-{lay.shift}{'-crop' if lay.crop else ''}"
       for lay in LAYOUTS]


@pytest.mark.parametrize("lay", LAYOUTS, ids=IDS)
def test_frame_puts_quote_glyphs_where_they_were_drawn(tmp_path: Path, lay: Layout) -> None:
    import pdfplumber

    pdf = build(tmp_path / "p.pdf", lay)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        text = PageText.of(page.chars)
        match = locate_quote("".join(LINES), text)
        assert match.share == 1.0
        boxes = glyph_boxes(text, match.glyphs)
        frame = PageFrame.of(page)
    assert len(boxes) == 2  # one per printed line
    for i, b in enumerate(sorted(boxes, key=lambda b: b[1])):
        got, want = frame.rect(b), line_rect(lay, i)
        # The advance box is exact along the line; across it the glyph box reaches from the descent
        # to the ascent, which must hold the baseline-to-0.8-em band.
        assert covers(got, want), (got, want)
        assert max(got[2] - got[0], got[3] - got[1]) <= max(want[2] - want[0], want[3] - want[1]) + 2


def quote_finding(report: Report, value: str = "1,334.75") -> Finding:
    table = report.tables[0]
    i, j = next((i, j) for i, row in enumerate(table.rows) for j, c in enumerate(row) if c.text == value)
    ref = CellRef(table.id, i, j, table.row_label(i), table.column_label(j), value, table.rows[i][j].page)
    return Finding("narrative_vs_table", "high", "inconsistent", 1, "".join(LINES), "1,334.57", "1,334.75",
                   "表1 合计 1,334.75 ≠ 1,334.57（差 0.18）", (ref,))


def annots(pdf: bytes) -> list[tuple[int, DictionaryObject]]:
    import io

    reader = PdfReader(io.BytesIO(pdf), strict=True)
    out: list[tuple[int, DictionaryObject]] = []
    for n, page in enumerate(reader.pages):
        for a in page.get("/Annots", None) or []:
            obj = a.get_object()
            assert isinstance(obj, DictionaryObject)
            out.append((n, obj))
    return out


def by_name(found: list[tuple[int, DictionaryObject]], name: str) -> tuple[int, DictionaryObject]:
    hits = [(n, a) for n, a in found if a.get("/NM") == name]
    assert len(hits) == 1, name
    return hits[0]


def rect_of(a: DictionaryObject) -> Rect:
    r = [float(v) for v in a["/Rect"]]
    return (min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3]))


def quad_rects(a: DictionaryObject) -> list[Rect]:
    q = [float(v) for v in a["/QuadPoints"]]
    out = []
    for k in range(0, len(q), 8):
        xs, ys = q[k:k + 8:2], q[k + 1:k + 8:2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


@pytest.mark.parametrize("lay", LAYOUTS, ids=IDS)
def test_highlight_and_cell_box_land_on_the_drawn_text_and_cell(tmp_path: Path, lay: Layout) -> None:
    from crossfoot.ingest import load

    src = build(tmp_path / "r.pdf", lay)
    report = load(src, use_cache=False)
    f = quote_finding(report)
    out = annotate(src, [Mark(f, Review(f.key))], report)
    assert (out.marked, out.highlighted, out.boxes, out.unlocated) == (1, 1, 1, ())
    found = annots(out.pdf)
    page, hl = by_name(found, f"crossfoot:{f.key}:quote")
    assert page == 0 and hl["/Subtype"] == "/Highlight"
    quads = quad_rects(hl)
    assert len(quads) == 2
    for i in range(2):
        assert any(covers(q, line_rect(lay, i)) for q in quads), (quads, line_rect(lay, i))
    assert covers(rect_of(hl), line_rect(lay, 0)) and covers(rect_of(hl), line_rect(lay, 1))
    page, box = by_name(found, f"crossfoot:{f.key}:cell:0")
    assert page == 0 and box["/Subtype"] == "/Square"
    assert close(rect_of(box), cell_rect(lay, 2, 1), 2.5), (rect_of(box), cell_rect(lay, 2, 1))
    # The note carries the evidence; the box is grouped with the highlight.
    assert "1,334.57" in str(hl["/Contents"]) and "1,334.75" in str(hl["/Contents"])
    assert box["/IRT"].get_object()["/NM"] == hl["/NM"]
    assert hl["/Popup"].get_object()["/Subtype"] == "/Popup"


def test_page_content_is_untouched_and_outline_lists_findings(tmp_path: Path) -> None:
    import io

    from crossfoot.ingest import load

    lay = Layout(rotate=90, display=(842.0, 595.0), shift=(10.0, 10.0))
    src = build(tmp_path / "r.pdf", lay)
    report = load(src, use_cache=False)
    f = quote_finding(report)
    out = annotate(src, [Mark(f, Review(f.key))], report)
    # An incremental update: the original bytes come first, unchanged (a signature over them holds).
    assert out.pdf.startswith(src.read_bytes()) and len(out.pdf) > src.stat().st_size
    before, after = PdfReader(src), PdfReader(io.BytesIO(out.pdf), strict=True)
    for p, q in zip(before.pages, after.pages, strict=True):
        assert p.get_contents().get_data() == q.get_contents().get_data()  # type: ignore[union-attr]
        assert p.mediabox == q.mediabox and p.rotation == q.rotation
    top = after.outline[0]
    assert not isinstance(top, list) and "crossfoot" in top.title
    kids = after.outline[1]
    assert isinstance(kids, list) and len(kids) == 1
    assert after.get_destination_page_number(kids[0]) == 0  # type: ignore[arg-type]


def test_quote_not_on_its_page_gets_a_note_not_a_highlight(tmp_path: Path) -> None:
    from crossfoot.ingest import load

    src = build(tmp_path / "r.pdf", Layout())
    report = load(src, use_cache=False)
    f = Finding("growth_rate", "medium", "inconsistent", 1, "全年共完成培训课程三十六期，覆盖人员八百余名。", "12%", "10%", "x")
    out = annotate(src, [Mark(f, Review(f.key))], report)
    assert out.highlighted == 0 and out.unlocated == (f.key,)
    names = {str(a.get("/NM")): a for _, a in annots(out.pdf)}
    assert f"crossfoot:{f.key}:quote" not in names
    assert names[f"crossfoot:{f.key}:note"]["/Subtype"] == "/Text"


def test_short_common_runs_elsewhere_on_the_page_are_not_highlighted(tmp_path: Path) -> None:
    import pdfplumber

    src = build(tmp_path / "r.pdf", Layout())
    with pdfplumber.open(src) as doc:
        text = PageText.of(doc.pages[0].chars)
    # "合计" and "100.25" are printed in the table, but this sentence is not on the page.
    m = locate_quote("本年支出合计100.25万元，较上年持平。", text)
    assert m.share < 0.6


def test_review_state_and_scope(tmp_path: Path) -> None:
    from crossfoot.ingest import load

    src = build(tmp_path / "r.pdf", Layout())
    report = load(src, use_cache=False)
    problem = quote_finding(report)
    held = Finding("share", "none", "consistent", 1, LINES[1], "12.5%", "12.5%", "ok")
    dismissed = Review(problem.key, "dismissed", "bob", "2026-12-01T10:00:00+00:00",
                       (Note("与单位核实无误", "bob", "2026-12-01T10:00:00+00:00", 1),))
    rows = [(problem, dismissed), (held, Review(held.key))]
    manual = Finding("manual", "medium", "inconsistent", 1, "一般公共服务支出", "100.25", "", "审核人员发现")
    assert [m.finding for m in marks_from(rows, [], AnnotateOptions())] == [problem]
    assert [m.finding for m in marks_from(rows, [], AnnotateOptions(include_all=True))] == [problem, held]
    assert marks_from(rows, [], AnnotateOptions(dismissed="omit")) == []
    marks = marks_from(rows, [(manual, Review(manual.key))], AnnotateOptions(include_all=True))
    out = annotate(src, marks, report)
    names = {str(a.get("/NM")): a for _, a in annots(out.pdf)}
    faint = names[f"crossfoot:{problem.key}:quote"]
    quiet = names[f"crossfoot:{held.key}:quote"]
    assert float(faint["/CA"]) < float(quiet["/CA"])
    assert "已驳回" in str(faint["/Contents"]) and "与单位核实无误" in str(faint["/Contents"])
    assert f"crossfoot:{manual.key}:quote" in names
    summary = names["crossfoot:summary"]
    assert "3" in str(summary["/Contents"]) and "人工" in str(summary["/Contents"])


def test_note_text_reads_in_chinese_with_the_evidence() -> None:
    ref = CellRef("T1", 2, 1, "合计", "本年收入", "1,334.75", 3)
    f = Finding("growth_rate", "medium", "inconsistent", 2, "比上年增长12.5%", "12.5%", "10.0%",
                "(110 − 100) / 100 = 10.0%", (ref,))
    text = note_text(Mark(f, Review(f.key)), None)
    for part in ("不一致", "增减幅度", "第2页", "12.5%", "10.0%", "(110 − 100) / 100", "「合计」", "〔本年收入〕",
                 "1,334.75", "待审核"):
        assert part in text, part


def test_encrypted_input_keeps_its_password_unless_told(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    from crossfoot.ingest import load

    plain = build(tmp_path / "r.pdf", Layout())
    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=str(plain))
    w.encrypt(user_password="s3cret", owner_password="owner-pw", algorithm="AES-128")
    with locked.open("wb") as fh:
        w.write(fh)
    report = load(locked, password="s3cret", use_cache=False)
    f = quote_finding(report)
    kept = annotate(locked, [Mark(f, Review(f.key))], report, password="s3cret")
    import io

    r = PdfReader(io.BytesIO(kept.pdf))
    assert r.is_encrypted and r.decrypt("s3cret") and len(r.pages[0]["/Annots"]) >= 2
    dropped = annotate(locked, [Mark(f, Review(f.key))], report, password="s3cret",
                       options=AnnotateOptions(keep_password=False))
    assert not PdfReader(io.BytesIO(dropped.pdf)).is_encrypted
    from crossfoot.errors import EncryptedPDF

    with pytest.raises(EncryptedPDF):
        annotate(locked, [], report, password="wrong")


def test_store_decisions_notes_and_manual_findings_reach_the_pdf(tmp_path: Path, store: ReviewStore,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from crossfoot import pipeline
    from crossfoot.checks.context import Context
    from crossfoot.cli import main
    from crossfoot.ingest import load

    src = build(tmp_path / "r.pdf", Layout(rotate=270, display=(842.0, 595.0)))
    report = load(src, use_cache=False)
    f = quote_finding(report)
    analysis = Analysis(report, (f,), (), Context(report))
    store.set_state(report.sha256, f.key, "confirmed", note="已与单位核实，确有差错")
    manual = Finding("manual", "medium", "inconsistent", 1, "一般公共服务支出 100.25", "100.25", "",
                     "科目口径待核")
    store.add_manual(report.sha256, manual)
    out = annotated_pdf(analysis, store)
    names = {str(a.get("/NM")): a for _, a in annots(out.pdf)}
    mine = str(names[f"crossfoot:{f.key}:quote"]["/Contents"])
    assert "已确认" in mine and "alice" in mine and "已与单位核实，确有差错" in mine
    theirs = names[f"crossfoot:{manual.key}:quote"]
    # Confirmed stands out more than an open finding (the manual one is still open).
    assert float(names[f"crossfoot:{f.key}:quote"]["/CA"]) > float(theirs["/CA"])
    assert "人工发现" in str(theirs["/Contents"]) and [float(c) for c in theirs["/C"]] != \
        [float(c) for c in names[f"crossfoot:{f.key}:quote"]["/C"]]

    # The same through the command line, with the finding dismissed and left out.
    store.set_state(report.sha256, f.key, "dismissed")
    monkeypatch.setattr(pipeline, "analyse", lambda r, *a, **k: Analysis(r, (f,), (), Context(r)))
    pdf = tmp_path / "marked.pdf"
    db = str(store.path)
    assert main(["export", str(src), "--format", "pdf", "-o", str(pdf), "--review-db", db, "--no-cache",
                 "--dismissed", "omit"]) == 0
    names = {str(a.get("/NM")): a for _, a in annots(pdf.read_bytes())}
    assert f"crossfoot:{f.key}:quote" not in names and f"crossfoot:{manual.key}:quote" in names
    assert main(["export", str(src), "--format", "pdf", "-o", str(pdf), "--review-db", db, "--no-cache"]) == 0
    names = {str(a.get("/NM")): a for _, a in annots(pdf.read_bytes())}
    assert float(names[f"crossfoot:{f.key}:quote"]["/CA"]) < 0.2  # dismissed: faint by default


def test_popups_stay_on_the_page_and_text_reports_are_refused(tmp_path: Path) -> None:
    from crossfoot.checks.context import Context
    from crossfoot.errors import InputError
    from crossfoot.ingest import load

    lay = Layout(rotate=90, display=(842.0, 595.0), shift=(15.0, 25.0))
    src = build(tmp_path / "r.pdf", lay)
    report = load(src, use_cache=False)
    f = quote_finding(report)
    out = annotate(src, [Mark(f, Review(f.key))], report)
    page = [a for n, a in annots(out.pdf) if a["/Subtype"] == "/Popup"]
    assert page
    w, h = lay.user_size
    for a in page:
        r = rect_of(a)
        assert lay.shift[0] - 0.5 <= r[0] and r[2] <= lay.shift[0] + w + 0.5
        assert lay.shift[1] - 0.5 <= r[1] and r[3] <= lay.shift[1] + h + 0.5
    text = tmp_path / "r.txt"
    text.write_text("2024年收入合计1,334.57万元。\n", encoding="utf-8")
    txt = load(text, use_cache=False)
    with pytest.raises(InputError):
        annotated_pdf(Analysis(txt, (), (), Context(txt)), None)


def test_a_damaged_file_is_rewritten_sound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Cross-reference offsets all wrong (bytes inserted after the header): ingest and pypdf repair it;
    the marks are not appended to the broken file but written into a sound copy, quietly."""
    import io

    from crossfoot.ingest import load

    good = build(tmp_path / "r.pdf", Layout())
    data = good.read_bytes()
    cut = data.index(b"\n") + 1
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:cut] + b"%" + b"x" * 200 + b"\n" + data[cut:])
    report = load(bad, use_cache=False)
    f = quote_finding(report)
    out = annotate(bad, [Mark(f, Review(f.key))], report)
    assert not out.pdf.startswith(bad.read_bytes()) and out.highlighted == 1
    assert len(PdfReader(io.BytesIO(out.pdf), strict=True).pages) == 1
    assert capsys.readouterr().err == ""
