"""How a page was read, drawn over the page itself: the cells crossfoot found, table by table.

A reviewer who doubts a table compares its cells with the print at a glance: a cell box spanning two
printed columns, or a column with no box, shows where the reading went wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from crossfoot.model import BBox, Report

# Alternating colours so neighbouring tables on one page stay apart (RGBA: stroke, fill).
_COLOURS: tuple[tuple[tuple[int, int, int, int], tuple[int, int, int, int]], ...] = (
    ((220, 30, 30, 230), (220, 30, 30, 40)),
    ((30, 90, 220, 230), (30, 90, 220, 40)),
    ((20, 150, 60, 230), (20, 150, 60, 40)),
)
_BLOCK = ((150, 150, 150, 200), (150, 150, 150, 0))
DEFAULT_RESOLUTION = 100


@dataclass(frozen=True)
class Drawn:
    """What was drawn: the counts a caller can report ("12 cells of T03 on page 8")."""

    path: Path
    page: int
    cells: dict[str, int]  # table id -> cells drawn
    blocks: int


def page_boxes(report: Report, page: int) -> tuple[dict[str, list[BBox]], list[BBox]]:
    """The cell boxes of each table on the page, and the narrative blocks' boxes."""
    cells: dict[str, list[BBox]] = {}
    for t in report.tables:
        for row in t.rows:
            for c in row:
                if c.page == page and c.bbox is not None:
                    cells.setdefault(t.id, []).append(c.bbox)
    blocks = [b.bbox for b in report.blocks if b.page == page and b.bbox is not None]
    return cells, blocks


def draw_page(report: Report, page: int, out: Path, *, password: str | None = None,
              resolution: int = DEFAULT_RESOLUTION) -> Drawn:
    """Render page (1-based) of the report's PDF with the cells found drawn over it; write a PNG."""
    from crossfoot.errors import InputError
    from crossfoot.fsutil import atomic_write_bytes
    from crossfoot.ingest.guard import open_pdf

    if not report.path.lower().endswith(".pdf"):
        raise InputError(f"{report.path}: page images need the PDF, not a text export")
    if not 1 <= page <= report.n_pages:
        raise InputError(f"{report.path}: no page {page} (the report has {report.n_pages} pages)")
    cells, blocks = page_boxes(report, page)
    with open_pdf(Path(report.path), password) as pdf:
        im = pdf.pages[page - 1].to_image(resolution=resolution)
        if blocks:
            im.draw_rects(blocks, stroke=_BLOCK[0], fill=_BLOCK[1], stroke_width=1)
        for k, (_, boxes) in enumerate(sorted(cells.items())):
            stroke, fill = _COLOURS[k % len(_COLOURS)]
            im.draw_rects(boxes, stroke=stroke, fill=fill, stroke_width=2)
        buf = io.BytesIO()
        im.save(buf, format="PNG")
    atomic_write_bytes(out, buf.getvalue())
    return Drawn(out, page, {tid: len(b) for tid, b in cells.items()}, len(blocks))
