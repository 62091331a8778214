"""`crossfoot dump REPORT --page N --image out.png`: the cells found drawn over the rendered page."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossfoot.cli import main
from crossfoot.ingest import load
from crossfoot.pageimage import draw_page, page_boxes


def test_cells_found_are_drawn_over_the_page(tables_pdf: Path, tmp_path: Path) -> None:
    report = load(tables_pdf, use_cache=False)
    page = next(c.page for t in report.tables for r in t.rows for c in r if c.bbox is not None)
    cells, _ = page_boxes(report, page)
    assert cells and all(len(b) == 4 for boxes in cells.values() for b in boxes)
    out = tmp_path / "p.png"
    drawn = draw_page(report, page, out)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert drawn.cells == {tid: len(b) for tid, b in cells.items()}


def test_cli_dump_page_image(tables_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.png"
    assert main(["dump", str(tables_pdf), "--no-cache", "--page", "1", "--image", str(out)]) == 0
    assert out.stat().st_size > 0
    assert "page 1" in capsys.readouterr().err


def test_cli_dump_page_text_and_bad_page(tables_pdf: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dump", str(tables_pdf), "--no-cache", "--page", "1"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["dump", str(tables_pdf), "--no-cache", "--page", "99", "--image", "/tmp/never.png"]) == 2
    assert "no page 99" in capsys.readouterr().err
    assert main(["dump", str(tables_pdf), "--no-cache", "--image", "/tmp/never.png"]) == 2
