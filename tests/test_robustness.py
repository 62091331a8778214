"""Every class of input an auditor receives, end to end through the CLI in a subprocess.

An unreadable input must end with exit 2 and exactly one line on stderr (no traceback);
a partly unreadable one with exit 0 and the unreadable pages named as not checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"
SMALL = SAMPLES / "putuo-social-2024.pdf"
TIMEOUT = 300

NARRATIVE = [
    "上海市普陀区民政局2024年度部门决算",
    "一、收入支出决算总体情况说明",
    "2024年度收入总计1,234.56万元，比上年增加100.00万元，增长8.8%。",
    "支出总计1,234.56万元。其中：基本支出800.00万元，项目支出434.56万元。",
]


def run_cli(*args: str | Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "crossfoot.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=TIMEOUT, env=env, check=False)


def assert_refused(r: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("crossfoot: ")
    for f in fragments:
        assert f in lines[0], lines[0]
    assert r.stdout == ""


# --- input factories: every file is made here, from scratch or from a sample.

def report_entries(cache: Path) -> list[Path]:
    """What the cache holds about reports: everything but the knowledge files' parse (crossfoot.datafiles)."""
    from crossfoot.datafiles import FOLDER

    return [p for p in cache.iterdir() if p.name != FOLDER] if cache.exists() else []


def narrative_pdf(path: Path, pages: int = 1) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(NARRATIVE):
            c.drawString(60, 780 - 24 * i, line)
        c.showPage()
    c.save()
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for n in range(pages):
        img = Image.new("L", (300, 420), 255)
        ImageDraw.Draw(img).text((20, 20 + n), "2024 total 1,234.56", fill=0)
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return path


def encrypted_pdf(src: Path, dst: Path, password: str) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter(clone_from=str(src))
    w.encrypt(password, algorithm="AES-256")
    w.write(str(dst))
    return dst


def cid_garbage_pdf(dst: Path, pages: int = 3) -> Path:
    """A real font-without-Unicode-map file: a sample's first pages with every /ToUnicode removed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    w = PdfWriter()
    for page in PdfReader(str(SMALL)).pages[:pages]:
        w.add_page(page)
    for page in w.pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
    w.write(str(dst))
    return dst


def concat(parts: list[Path], dst: Path) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    for p in parts:
        w.append(str(p))
    w.write(str(dst))
    return dst


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


# --- refused inputs: exit 2, one line.

@pytest.mark.parametrize("cmd", ["check", "dump"])
def test_not_a_pdf(tmp_path: Path, cache: Path, cmd: str) -> None:
    f = tmp_path / "report.docx"
    f.write_bytes(bytes(range(256)) * 8)
    assert_refused(run_cli(cmd, f, cache=cache), str(f), "not a PDF")


def test_binary_named_pdf(tmp_path: Path, cache: Path) -> None:
    f = tmp_path / "report.pdf"
    f.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)
    assert_refused(run_cli("check", f, cache=cache), "not a PDF")


@pytest.mark.parametrize("cmd", ["check", "dump"])
def test_empty_file(tmp_path: Path, cache: Path, cmd: str) -> None:
    f = tmp_path / "empty.pdf"
    f.write_bytes(b"")
    assert_refused(run_cli(cmd, f, cache=cache), "empty")


def test_missing_file_and_directory(tmp_path: Path, cache: Path) -> None:
    assert_refused(run_cli("check", tmp_path / "absent.pdf", cache=cache), "no such file")
    assert_refused(run_cli("check", tmp_path, cache=cache), "directory")


@pytest.mark.parametrize("cmd", ["check", "dump"])
def test_truncated_pdf(tmp_path: Path, cache: Path, cmd: str) -> None:
    f = tmp_path / "cut.pdf"
    f.write_bytes(SMALL.read_bytes()[:4000])
    assert_refused(run_cli(cmd, f, cache=cache), "damaged or truncated PDF")


def test_garbage_after_pdf_header(tmp_path: Path, cache: Path) -> None:
    f = tmp_path / "junk.pdf"
    f.write_bytes(b"%PDF-1.7\n" + b"\x00garbage\xff" * 200)
    assert_refused(run_cli("check", f, cache=cache), "damaged or truncated PDF")


@pytest.mark.parametrize("cmd", ["check", "dump"])
def test_encrypted_without_password(tmp_path: Path, cache: Path, cmd: str) -> None:
    f = encrypted_pdf(narrative_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf", "s3cret")
    assert_refused(run_cli(cmd, f, cache=cache), "password-protected", "--password")


def test_encrypted_wrong_password(tmp_path: Path, cache: Path) -> None:
    f = encrypted_pdf(narrative_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf", "s3cret")
    assert_refused(run_cli("check", f, "--password", "guess", cache=cache), "wrong password")


def test_encrypted_with_password_opens_and_is_not_cached(tmp_path: Path, cache: Path) -> None:
    f = encrypted_pdf(narrative_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf", "s3cret")
    r = run_cli("dump", f, "--password", "s3cret", "--format", "json", cache=cache)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "1,234.56" in r.stdout
    # The decrypted parse must not be left on disk in clear (the knowledge files' parse may be).
    assert not report_entries(cache)
    r = run_cli("check", f, "--password", "s3cret", cache=cache)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("cmd", ["check", "dump"])
def test_scanned_report(tmp_path: Path, cache: Path, cmd: str) -> None:
    f = scanned_pdf(tmp_path / "scan.pdf")
    assert_refused(run_cli(cmd, f, cache=cache), "no text layer", "OCR")


# --- partly or wholly garbled, and unusual but valid reports.

def test_partly_scanned_report_names_pages_not_checked(tmp_path: Path, cache: Path) -> None:
    f = concat([narrative_pdf(tmp_path / "a.pdf"), scanned_pdf(tmp_path / "s.pdf", pages=2)], tmp_path / "mix.pdf")
    r = run_cli("check", f, "--format", "json", cache=cache)
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    r = run_cli("check", f, cache=cache)
    assert r.returncode == 0, r.stderr
    assert "not checked" in r.stdout and "2, 3" in r.stdout, r.stdout
    d = run_cli("dump", f, "--format", "json", cache=cache)
    assert d.returncode == 0
    assert json.loads(d.stdout)["document"]["unreadable_pages"] == [2, 3]


def test_cid_garbage_pages_are_named_not_checked(tmp_path: Path, cache: Path) -> None:
    f = concat([narrative_pdf(tmp_path / "a.pdf", pages=2), cid_garbage_pdf(tmp_path / "cid.pdf", pages=2)],
               tmp_path / "mix.pdf")
    r = run_cli("check", f, cache=cache)
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    assert "not checked" in r.stdout and "3, 4" in r.stdout, r.stdout
    assert "(cid:" not in r.stdout


def test_wholly_cid_garbage_report(tmp_path: Path, cache: Path) -> None:
    f = cid_garbage_pdf(tmp_path / "cid.pdf", pages=3)
    r = run_cli("check", f, cache=cache)
    assert "Traceback" not in r.stderr
    if r.returncode == 2:
        assert len(r.stderr.strip().splitlines()) == 1
    else:
        assert r.returncode == 0, r.stderr
        assert "not checked" in r.stdout and "1, 2, 3" in r.stdout, r.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "md", "csv"])
def test_report_without_tables(tmp_path: Path, cache: Path, fmt: str) -> None:
    f = narrative_pdf(tmp_path / "narrative.pdf", pages=2)
    r = run_cli("check", f, "--format", fmt, cache=cache)
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr
    if fmt == "json":
        json.loads(r.stdout)


def test_report_without_tables_dump(tmp_path: Path, cache: Path) -> None:
    f = narrative_pdf(tmp_path / "narrative.pdf")
    r = run_cli("dump", f, "--format", "json", cache=cache)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["tables"] == []
    assert "1,234.56" in r.stdout


def test_text_export(tmp_path: Path, cache: Path) -> None:
    f = tmp_path / "report.md"
    f.write_text("\n\n".join(NARRATIVE), encoding="utf-8")
    r = run_cli("check", f, cache=cache)
    assert "Traceback" not in r.stderr
    assert r.returncode == 0, r.stderr


def test_warm_run_matches_cold_run(tmp_path: Path, cache: Path) -> None:
    f = narrative_pdf(tmp_path / "n.pdf")
    cold = run_cli("check", f, "--format", "json", cache=cache)
    warm = run_cli("check", f, "--format", "json", cache=cache)
    fresh = run_cli("check", f, "--format", "json", "--no-cache", cache=cache)
    assert cold.returncode == warm.returncode == fresh.returncode == 0
    assert cold.stdout == warm.stdout == fresh.stdout
    assert report_entries(cache)


def test_output_into_missing_directory_is_one_line(tmp_path: Path, cache: Path) -> None:
    f = narrative_pdf(tmp_path / "n.pdf")
    r = run_cli("check", f, "-o", tmp_path / "no" / "such" / "dir" / "out.md", cache=cache)
    assert_refused(r, "No such file or directory")
