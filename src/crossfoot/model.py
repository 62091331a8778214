"""The document model: what ingest produces and everything downstream reads.

All classes are frozen: a parsed report is a value. Page numbers are 1-based throughout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from crossfoot.numbers import Num, parse_number

if TYPE_CHECKING:
    import polars as pl

# The report kinds are the lexicon's [kind.*] keys (knowledge/lexicon.toml); a Literal has to spell them.
ReportKind = Literal["决算", "预算", "绩效自评", "绩效评价", "unknown"]
FINAL: ReportKind = "决算"  # the kinds the checks branch on, spelled once
BUDGET: ReportKind = "预算"
BBox = tuple[float, float, float, float]  # x0, top, x1, bottom in PDF points, origin top-left


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    text: str = ""
    readable: bool = True
    note: str = ""  # why a page is unreadable or was skipped


@dataclass(frozen=True)
class Block:
    """A narrative paragraph: the text outside tables, CJK lines joined without spaces."""

    page: int
    bbox: BBox | None
    text: str


@dataclass(frozen=True)
class Cell:
    text: str
    page: int
    bbox: BBox | None = None

    @property
    def num(self) -> Num | None:
        return parse_number(self.text)

    @property
    def value(self) -> Decimal | None:
        n = self.num
        return None if n is None else n.value


@dataclass(frozen=True)
class Table:
    """A table as printed, possibly spanning pages.

    header: the header rows as a grid (a merged cell's text repeated over the columns it spans),
    so that column j's label path is the non-empty, de-duplicated texts of header[*][j].
    rows: body rows; every row has len(columns) cells.
    """

    id: str
    code: str | None
    title: str | None
    unit: str | None
    pages: tuple[int, ...]
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    bbox: BBox | None = None
    notes: tuple[str, ...] = ()
    # Why the parse cannot be trusted cell by cell ("" = it can): findings resting on it are held back.
    uncertain: str = ""
    # Structural confidence in [0, 1] from what can be verified about the shape (crossfoot.tables.trust).
    confidence: float = 1.0

    @property
    def n_cols(self) -> int:
        if self.rows:
            return len(self.rows[0])
        return len(self.header[0]) if self.header else 0

    def column_path(self, j: int) -> tuple[str, ...]:
        """The header labels above column j, top to bottom, merged repeats removed."""
        path: list[str] = []
        for hrow in self.header:
            if j < len(hrow):
                t = hrow[j].strip()
                if _is_column_number(t):
                    continue  # the 栏次 row numbers columns; it is not part of a label
                if t and (not path or path[-1] != t):
                    path.append(t)
        return tuple(path)

    def column_label(self, j: int) -> str:
        return "/".join(self.column_path(j)) or f"col{j + 1}"

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.column_label(j) for j in range(self.n_cols))

    def header_tree(self) -> list[dict[str, object]]:
        """The header as a tree of column labels: [{"label", "cols": [j...], "children": [...]}]."""
        def build(level: int, cols: list[int]) -> list[dict[str, object]]:
            if level >= len(self.header):
                return []
            out: list[dict[str, object]] = []
            for j in cols:
                label = self.header[level][j].strip() if j < len(self.header[level]) else ""
                if out and out[-1]["label"] == label:
                    grp = out[-1]["cols"]
                    assert isinstance(grp, list)
                    grp.append(j)
                else:
                    out.append({"label": label, "cols": [j]})
            for node in out:
                sub = node["cols"]
                assert isinstance(sub, list)
                kids = build(level + 1, sub)
                # A label repeated straight down (a merged vertical cell) is one node, not a chain.
                if len(kids) == 1 and kids[0]["label"] in ("", node["label"]):
                    kids = build(level + 2, sub) if level + 2 < len(self.header) else []
                node["children"] = kids
            return out

        return build(0, list(range(self.n_cols)))

    def row_label(self, i: int) -> str:
        """The row's label: its non-numeric leading cells joined (code and name)."""
        parts: list[str] = []
        for c in self.rows[i]:
            t = c.text.strip()
            if not t:
                continue
            if c.num is not None and not _looks_like_code(t):
                break
            parts.append(t)
        return " ".join(parts)

    def to_polars(self) -> pl.DataFrame:
        """One string column per table column (raw text) plus a Float64 `<label>#value` column."""
        import polars as pl

        data: dict[str, object] = {}
        seen: dict[str, int] = {}
        for j, label in enumerate(self.columns):
            name = label
            if name in seen:
                seen[name] += 1
                name = f"{label}#{seen[label]}"
            else:
                seen[name] = 0
            texts = [r[j].text if j < len(r) else "" for r in self.rows]
            vals = [(float(v) if (v := (r[j].value if j < len(r) else None)) is not None else None)
                    for r in self.rows]
            data[name] = pl.Series(name, texts, dtype=pl.String)
            data[f"{name}#value"] = pl.Series(f"{name}#value", vals, dtype=pl.Float64)
        return pl.DataFrame(data)


@lru_cache(maxsize=1)
def _column_number_labels() -> tuple[str, ...]:
    # Looked up on first use: the model is imported by a warm, cached run that builds no catalogue.
    from crossfoot.knowledge import words

    return words("ingest.column_number_label")


@lru_cache(maxsize=4096)  # asked for every header cell each time a column path is read
def _is_column_number(t: str) -> bool:
    s = t.replace(" ", "")
    if s in _column_number_labels():
        return True
    head = s[:-3] if s.endswith(".00") else s
    return (head.isdigit() and len(head) <= 2) or bool(re.fullmatch(r"\d{1,2}=\d+(?:[+\-]\d+)+", s))


def _looks_like_code(t: str) -> bool:
    """Function/economic classification codes (201, 20101, 2010101, 30101) and row numbers are labels."""
    s = t.replace(" ", "")
    return s.isdigit() and len(s) in (3, 5, 7) and s[0] in "123456789"


@dataclass(frozen=True)
class Report:
    path: str
    sha256: str
    kind: ReportKind
    department: str | None
    year: int | None
    unit: str | None
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def unreadable_pages(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.pages if not p.readable)
