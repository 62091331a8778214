"""The page workers: the first pages go out with the page count, and only the pages the file has
come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_robustness import narrative_pdf

from crossfoot.ingest.pages import parse_pages


@pytest.mark.parametrize(("pages", "jobs"), [(1, 2), (2, 3), (3, 2)])
def test_exactly_the_files_pages_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int,
                                           jobs: int) -> None:
    # More workers than pages: the pages sent ahead of the count past the end are dropped.
    monkeypatch.setenv("CROSSFOOT_JOBS", str(jobs))
    parts = parse_pages(narrative_pdf(tmp_path / "n.pdf", pages=pages))
    assert [p.number for p in parts] == list(range(1, pages + 1))
    assert all(p.readable and p.lines for p in parts)


def test_page_sizes_tell_a_heavy_page_from_a_light_one(tmp_path: Path) -> None:
    # Sizes are the pages' stored content (nothing decoded): the page with a ruled table is larger.
    from reportlab.pdfgen import canvas

    from crossfoot.ingest.pdf import _close_all, page_sizes

    path = tmp_path / "two.pdf"
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, "one line")
    c.showPage()
    for i in range(60):
        c.line(72, 100 + 10 * i, 500, 100 + 10 * i)
        c.drawString(80, 102 + 10 * i, f"row {i} 1,234.{i:02d}")
    c.showPage()
    c.save()
    sizes = page_sizes(str(path), None)
    _close_all()
    assert len(sizes) == 2 and 0 < sizes[0] < sizes[1]


def test_pages_come_back_in_their_order_whatever_order_they_parse_in(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # The later pages are the larger here, so they are parsed first; the report still lists the pages
    # 1, 2, 3 … each with its own text.
    from reportlab.pdfgen import canvas

    path = tmp_path / "grow.pdf"
    c = canvas.Canvas(str(path))
    for n in range(1, 7):
        c.drawString(72, 760, f"page {n} of six")
        for i in range(12 * n):
            c.drawString(72, 740 - 10 * i, f"line {i} amount {n},{i:03d}.00")
        c.showPage()
    c.save()
    monkeypatch.setenv("CROSSFOOT_JOBS", "2")
    parts = parse_pages(path)
    assert [p.number for p in parts] == [1, 2, 3, 4, 5, 6]
    assert all(f"page {p.number} of six" in p.text for p in parts)


def test_the_caller_never_loads_the_parser(tmp_path: Path) -> None:
    # The pages are read by a process of their own; the caller loads assembly and the checks meanwhile.
    import subprocess
    import sys

    f = narrative_pdf(tmp_path / "n.pdf", pages=2)
    code = ("import sys; from crossfoot.ingest import load; r = load(sys.argv[1], use_cache=False); "
            "print(len(r.pages), 'pdfplumber' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(f)], capture_output=True, text=True, check=True,
                         timeout=120).stdout.split()
    assert out == ["2", "False"]


def test_a_reader_that_dies_is_one_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from crossfoot.errors import CorruptPDF
    from crossfoot.ingest import pages

    def killed(*args: object) -> None:
        os._exit(9)  # as the out-of-memory killer would leave it: no word sent back

    monkeypatch.setattr(pages, "_read_pages", killed)
    with pytest.raises(CorruptPDF, match="died"):
        parse_pages(narrative_pdf(tmp_path / "n.pdf"))


def test_an_interrupted_caller_leaves_no_process_behind(tmp_path: Path) -> None:
    # ctrl-C while the pages are read: the reader is told to stop, and it stops its page workers.
    import time

    import psutil

    def interrupted() -> None:
        time.sleep(0.3)  # the reader has forked its workers by now
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parse_pages(narrative_pdf(tmp_path / "n.pdf", pages=40), meanwhile=interrupted)
    me = psutil.Process()
    deadline = time.monotonic() + 10
    while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in me.children(recursive=True)) \
            and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in me.children(recursive=True) if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
