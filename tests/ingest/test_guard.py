from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from crossfoot.errors import CorruptPDF, EncryptedPDF, InputError, NoTextLayer
from crossfoot.ingest.guard import check_text_layer, open_pdf, page_problem

SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
SMALL = SAMPLES / "national-template-2024.pdf"


def _text_pdf(path: Path, pages: int = 1) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(72, 720, f"Page {i + 1}: total 1,234.56")
        c.showPage()
    c.save()
    return path


def _scanned_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (200, 280), 255)
    ImageDraw.Draw(img).text((20, 20), "2024 budget 1,234.56", fill=0)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
    c.showPage()
    c.save()
    return path


def _encrypted(src: Path, dst: Path, password: str = "secret") -> Path:
    from pypdf import PdfWriter

    w = PdfWriter(clone_from=str(src))
    w.encrypt(password, algorithm="AES-256")
    w.write(str(dst))
    return dst


def _one_line(e: InputError) -> str:
    msg = str(e)
    assert "\n" not in msg
    assert len(msg) < 400
    return msg


def test_open_plain_pdf(tmp_path: Path) -> None:
    pdf = open_pdf(_text_pdf(tmp_path / "a.pdf", pages=3), None)
    try:
        assert len(pdf.pages) == 3
        assert page_problem(pdf.pages[0]) is None
        check_text_layer(pdf)
    finally:
        pdf.close()


def test_encrypted_without_password(tmp_path: Path) -> None:
    enc = _encrypted(_text_pdf(tmp_path / "a.pdf"), tmp_path / "enc.pdf")
    with pytest.raises(EncryptedPDF) as ei:
        open_pdf(enc, None)
    assert _one_line(ei.value) == f"{enc}: the PDF is password-protected; give --password"


def test_encrypted_wrong_password(tmp_path: Path) -> None:
    enc = _encrypted(_text_pdf(tmp_path / "a.pdf"), tmp_path / "enc.pdf")
    with pytest.raises(EncryptedPDF) as ei:
        open_pdf(enc, "nope")
    assert _one_line(ei.value) == f"{enc}: wrong password"


def test_encrypted_right_password(tmp_path: Path) -> None:
    enc = _encrypted(_text_pdf(tmp_path / "a.pdf"), tmp_path / "enc.pdf")
    pdf = open_pdf(enc, "secret")
    try:
        assert "1,234.56" in (pdf.pages[0].extract_text() or "")
    finally:
        pdf.close()


@pytest.mark.parametrize("keep", [0.02, 0.3, 0.7])
def test_truncated(tmp_path: Path, keep: float) -> None:
    data = SMALL.read_bytes()
    bad = tmp_path / "t.pdf"
    bad.write_bytes(data[: int(len(data) * keep)])
    try:
        pdf = open_pdf(bad, None)
    except CorruptPDF as e:
        assert _one_line(e).startswith(f"{bad}: damaged or truncated PDF (")
    else:  # pdfminer's fallback parser may recover a prefix; then it must be a usable PDF
        assert len(pdf.pages) >= 1
        pdf.close()


@pytest.mark.parametrize("payload", [b"%PDF-1.7\n" + b"garbage " * 50, b"%PDF-1.4\n%%EOF\n", b"%PDF-"])
def test_garbage_after_header(tmp_path: Path, payload: bytes) -> None:
    bad = tmp_path / "g.pdf"
    bad.write_bytes(payload)
    with pytest.raises(CorruptPDF) as ei:
        open_pdf(bad, None)
    assert "damaged or truncated PDF" in _one_line(ei.value)


def test_scanned_page_and_no_text_layer(tmp_path: Path) -> None:
    pdf = open_pdf(_scanned_pdf(tmp_path / "scan.pdf"), None)
    try:
        assert page_problem(pdf.pages[0]) == "scanned page: needs OCR"
        with pytest.raises(NoTextLayer) as ei:
            check_text_layer(pdf, tmp_path / "scan.pdf")
        assert "no text layer" in _one_line(ei.value)
    finally:
        pdf.close()


def _fake_page(texts: list[str], images: list[dict[str, float]] | None = None) -> Any:
    return SimpleNamespace(chars=[{"text": t} for t in texts], images=images or [], width=600.0, height=800.0)


def test_cid_garbage_page() -> None:
    # Synthetic: pdfplumber renders a glyph of a font without a Unicode map as "(cid:NN)".
    page = _fake_page([f"(cid:{n})" for n in range(40)] + list("收入合计"))
    reason = page_problem(page)
    assert reason is not None and "unmapped glyph codes" in reason


def test_few_cid_glyphs_are_tolerated() -> None:
    page = _fake_page(["(cid:3)"] * 2 + list("一般公共预算财政拨款收入合计") * 3)
    assert page_problem(page) is None


def test_mojibake_page() -> None:
    page = _fake_page(["\ufffd"] * 20 + ["\ue012"] * 20 + list("abc"))
    reason = page_problem(page)
    assert reason is not None and "mojibake" in reason


def test_blank_page_is_not_a_problem() -> None:
    assert page_problem(_fake_page([" ", "\n"])) is None


def test_small_image_on_textless_page_is_not_a_scan() -> None:
    logo = {"x0": 10.0, "x1": 60.0, "top": 10.0, "bottom": 60.0}
    assert page_problem(_fake_page([], [logo])) is None
    full = {"x0": -5.0, "x1": 605.0, "top": 0.0, "bottom": 800.0}
    assert page_problem(_fake_page([], [full])) == "scanned page: needs OCR"


def test_unparseable_page_content() -> None:
    class Broken:
        width = 600.0
        height = 800.0
        images = ()

        @property
        def chars(self) -> list[dict[str, str]]:
            raise KeyError("Resources")

    reason = page_problem(Broken())
    assert reason is not None and reason.startswith("page content cannot be parsed")


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(CorruptPDF) as ei:
        open_pdf(tmp_path / "absent.pdf", None)
    assert "\n" not in str(ei.value)


def test_broken_page_tree_is_corrupt_not_a_crash(tmp_path: Path) -> None:
    # Found by the mutation fuzzer: a page whose MediaBox is not an array made pdfplumber raise
    # TypeError while listing pages — and again while closing.
    import re

    data = _text_pdf(tmp_path / "a.pdf").read_bytes()
    bad = tmp_path / "mediabox.pdf"
    bad.write_bytes(re.sub(rb"/MediaBox \[[^\]]*\]", b"/MediaBox null", data))
    with pytest.raises(CorruptPDF) as ei:
        open_pdf(bad, None)
    assert "damaged or truncated PDF (TypeError" in _one_line(ei.value)


def test_pdfminer_warnings_stay_off_stderr(tmp_path: Path) -> None:
    import re
    import subprocess
    import sys

    data = _text_pdf(tmp_path / "a.pdf").read_bytes()
    bad = tmp_path / "mediabox.pdf"
    bad.write_bytes(re.sub(rb"/MediaBox \[[^\]]*\]", b"/MediaBox null", data))
    code = ("import sys; from pathlib import Path; from crossfoot.ingest.guard import open_pdf\n"
            "try:\n    open_pdf(Path(sys.argv[1]), None)\nexcept Exception as e:\n    print(type(e).__name__)")
    r = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, check=False)
    assert r.stdout.strip() == "CorruptPDF"
    assert r.stderr == ""
