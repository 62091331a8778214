"""What a page parse hands to assembly: raw table grids and the page's lines.

Kept apart from `pdf.py` (which produces them) and `tables.py` / `assemble.py` (which consume them)
so that none of those modules has to import another just for these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crossfoot.ingest.layout import Line


@dataclass(frozen=True)
class RawCell:
    text: str
    bbox: tuple[float, float, float, float]
    r0: int
    r1: int  # exclusive
    c0: int
    c1: int  # exclusive
    ink: tuple[float, float] | None = None  # x extent of the printed text, when there is text


@dataclass(frozen=True)
class RawTable:
    page: int
    bbox: tuple[float, float, float, float]
    n_rows: int
    n_cols: int
    cells: tuple[RawCell, ...]
    col_x: tuple[float, ...]  # column boundaries, n_cols + 1
    inferred: bool = False  # columns inferred from text alignment (no vertical rules drawn)
    also_on: tuple[int, ...] = ()  # further pages the grid is printed on (the right half of a spread)


@dataclass(frozen=True)
class PagePart:
    number: int
    width: float
    height: float
    readable: bool = True
    note: str = ""
    lines: tuple[Line, ...] = ()
    tables: tuple[RawTable, ...] = ()
    text: str = ""
    problems: tuple[str, ...] = field(default=())
