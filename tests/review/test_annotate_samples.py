"""The marked-up report of shared sample reports, read back: one annotation set per finding on its page,
highlights over the quote's glyphs (as pdfplumber finds them), boxes on the cells, landscape table pages,
a strict pypdf read and `qpdf --check` when qpdf is installed."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from crossfoot.cli import main
from crossfoot.pipeline import Analysis
from crossfoot.review.annotate import AnnotateOptions, Outcome, annotated_pdf
from crossfoot.review.locate import PageFrame

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
Rect = tuple[float, float, float, float]


@cache
def analysed(name: str) -> Analysis:
    from crossfoot.ingest import load
    from crossfoot.pipeline import analyse

    return analyse(load(SAMPLES / name, use_cache=False))


@cache
def marked(name: str, include_all: bool) -> Outcome:
    return annotated_pdf(analysed(name), None, options=AnnotateOptions(include_all=include_all))


def annotations(pdf: bytes) -> dict[str, tuple[int, DictionaryObject]]:
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    out: dict[str, tuple[int, DictionaryObject]] = {}
    for n, page in enumerate(reader.pages):
        for a in page.get("/Annots", None) or []:
            obj = a.get_object()
            assert isinstance(obj, DictionaryObject)
            if "/NM" in obj:
                assert str(obj["/NM"]) not in out, obj["/NM"]
                out[str(obj["/NM"])] = (n, obj)
    return out


def quads(a: DictionaryObject) -> list[Rect]:
    q = [float(v) for v in a["/QuadPoints"]]
    return [(min(q[k:k + 8:2]), min(q[k + 1:k + 8:2]), max(q[k:k + 8:2]), max(q[k + 1:k + 8:2]))
            for k in range(0, len(q), 8)]


def inside(r: Rect, boxes: list[Rect], tol: float = 0.6) -> bool:
    return any(b[0] - tol <= r[0] and b[1] - tol <= r[1] and r[2] <= b[2] + tol and r[3] <= b[3] + tol
               for b in boxes)


@pytest.mark.parametrize("name", ["000.pdf", "003.pdf"])
def test_every_problem_is_marked_on_its_page(name: str) -> None:
    a = analysed(name)
    out = marked(name, False)
    found = annotations(out.pdf)
    problems = [f for f in a.findings if f.is_problem]
    assert out.marked == len(problems) > 0
    # Most quotes are found on the page; the rest get a sticky note there instead.
    assert out.highlighted >= 0.8 * len(problems)
    for f in problems:
        key = f"crossfoot:{f.key}"
        hit = found.get(key + ":quote") or found.get(key + ":note")
        assert hit is not None, f.quote
        # A sentence late in a paragraph that runs over a page break is printed on the next page.
        assert hit[0] == (f.page or 1) - 1 or (key + ":quote" in found and hit[0] == (f.page or 1))
        assert ("/QuadPoints" in hit[1]) == (key + ":quote" in found)
        for n, _ref in enumerate(f.refs):
            if key + f":cell:{n}" in found:
                assert found[key + f":cell:{n}"][1]["/Subtype"] == "/Square"


@pytest.mark.parametrize("name", ["000.pdf", "003.pdf"])
def test_highlights_cover_the_quotes_glyphs(name: str) -> None:
    """pdfplumber's own search for the quote's opening run: its glyphs lie under the highlight."""
    a = analysed(name)
    found = annotations(marked(name, False).pdf)
    checked = 0
    with pdfplumber.open(SAMPLES / name) as pdf:
        for f in a.findings:
            hit = found.get(f"crossfoot:{f.key}:quote")
            if hit is None or not f.page:
                continue
            page = pdf.pages[hit[0]]
            head = "".join(unicodedata.normalize("NFKC", f.quote).split())[:6]
            results = page.search(head, regex=False, return_chars=True)
            if len(results) != 1:
                continue  # not unique on the page (or split by a line end): nothing to compare with
            frame = PageFrame.of(page)
            boxes = quads(hit[1])
            for ch in results[0]["chars"]:
                glyph = frame.rect((float(ch["x0"]), float(ch["top"]), float(ch["x1"]), float(ch["bottom"])))
                assert inside(glyph, boxes), (f.quote, ch["text"], glyph, boxes)
            checked += 1
    assert checked >= 3


def test_cell_boxes_on_a_landscape_table_page() -> None:
    """--all marks what holds too: table findings on the landscape 决算表 pages, boxed on their cells."""
    a = analysed("000.pdf")
    out = marked("000.pdf", True)
    found = annotations(out.pdf)
    checked = 0
    with pdfplumber.open(SAMPLES / "000.pdf") as pdf:
        for f in a.findings:
            for n, ref in enumerate(f.refs):
                hit = found.get(f"crossfoot:{f.key}:cell:{n}")
                table = a.report.table(ref.table)
                if hit is None or table is None:
                    continue
                page = pdf.pages[hit[0]]
                if page.width <= page.height:
                    continue
                cell = table.rows[ref.row][ref.col]
                assert cell.bbox is not None and hit[0] == cell.page - 1
                want = PageFrame.of(page).rect(cell.bbox)
                got = [float(v) for v in hit[1]["/Rect"]]
                assert all(abs(x - y) <= 2.0 for x, y in zip(got, want, strict=True)), (got, want)
                # The printed value sits inside the box.
                words = [w for w in page.within_bbox(cell.bbox).extract_words() if w["text"] == ref.value]
                assert words or not ref.value.strip()
                checked += 1
    assert checked >= 5


def test_qpdf_finds_nothing_wrong(tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    out = tmp_path / "marked.pdf"
    out.write_bytes(marked("000.pdf", True).pdf)
    r = subprocess.run([qpdf, "--check", str(out)], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "WARNING" not in (r.stdout + r.stderr).upper()


def test_cli_writes_the_marked_up_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = SAMPLES / "000.pdf"
    out = tmp_path / "000.marked.pdf"
    assert main(["export", str(src), "--format", "pdf", "-o", str(out), "--no-cache"]) == 0
    assert len(PdfReader(out, strict=True).pages) == len(PdfReader(src).pages)
    assert main(["export", str(src), "--format", "pdf", "--no-cache"]) == 2  # a PDF needs -o
    assert "-o" in capsys.readouterr().err
    copy = tmp_path / "r.pdf"
    copy.write_bytes(src.read_bytes())
    assert main(["export", str(copy), "--format", "pdf", "-o", str(copy), "--no-cache"]) == 2
    assert copy.read_bytes() == src.read_bytes()


@pytest.mark.parametrize("name", ["000.pdf", "003.pdf"])
def test_highlights_cover_only_their_quotes_glyphs(name: str) -> None:
    """Every glyph whose centre lies under a highlight is a character of that finding's quote."""
    a = analysed(name)
    found = annotations(marked(name, False).pdf)
    with pdfplumber.open(SAMPLES / name) as pdf:
        for f in a.findings:
            for suffix in (":quote", ":quote:2"):
                hit = found.get(f"crossfoot:{f.key}{suffix}")
                if hit is None:
                    continue
                page = pdf.pages[hit[0]]
                frame = PageFrame.of(page)
                boxes = quads(hit[1])
                wanted = set(unicodedata.normalize("NFKC", f.quote))
                for ch in page.chars:
                    x0, y0, x1, y1 = frame.rect((float(ch["x0"]), float(ch["top"]), float(ch["x1"]),
                                                 float(ch["bottom"])))
                    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
                    if any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes):
                        text = unicodedata.normalize("NFKC", str(ch["text"])).strip()
                        assert not text or set(text) <= wanted, (f.quote, ch["text"])


def test_pdfium_reads_the_update() -> None:
    """pdfium (Chrome's engine) sees on every page the annotations pypdf wrote there."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out = marked("000.pdf", True)
    reader = PdfReader(io.BytesIO(out.pdf), strict=True)
    doc = pdfium.PdfDocument(out.pdf)
    try:
        for n, page in enumerate(reader.pages):
            assert raw.FPDFPage_GetAnnotCount(doc[n]) == len(page.get("/Annots", None) or [])
    finally:
        doc.close()
