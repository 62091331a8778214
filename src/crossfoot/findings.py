"""Findings: what a check concludes, with the evidence a reviewer needs to verify it by eye."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["high", "medium", "low", "none"]
FindingVerdict = Literal["inconsistent", "rounding", "consistent", "unchecked"]
SEVERITY_ORDER: dict[str, int] = {"none": 0, "low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class CellRef:
    """A table cell used as evidence."""

    table: str  # Table.id
    row: int  # 0-based body row index
    col: int  # 0-based column index
    label: str  # row label as printed
    column: str  # column label path joined with '/'
    value: str  # cell text as printed
    page: int

    def to_json(self) -> dict[str, object]:
        return {"table": self.table, "row": self.row, "col": self.col, "label": self.label,
                "column": self.column, "value": self.value, "page": self.page}


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    verdict: FindingVerdict
    page: int | None
    quote: str  # the narrative or table-row text the finding is about, as printed (<= 120 chars)
    stated: str  # the figure as printed
    expected: str  # the recomputation at the stated precision
    message: str  # the arithmetic in words
    refs: tuple[CellRef, ...] = field(default=())
    confidence: Literal["high", "low"] = "high"

    @property
    def key(self) -> str:
        """Stable identity across re-parses and versions: check + page + quote + stated."""
        raw = "\x1f".join((self.check, str(self.page or 0), " ".join(self.quote.split()), self.stated))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]

    @property
    def is_problem(self) -> bool:
        return self.verdict == "inconsistent"

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.key,
            "check": self.check,
            "severity": self.severity,
            "verdict": self.verdict,
            "page": self.page,
            "quote": self.quote[:120],
            "stated": self.stated,
            "expected": self.expected,
            "message": self.message,
            "confidence": self.confidence,
            "refs": [r.to_json() for r in self.refs],
        }


def sort_key(f: Finding) -> tuple[int, int, str]:
    return (f.page or 0, -SEVERITY_ORDER[f.severity], f.check)


@dataclass(frozen=True)
class RunnerUp:
    cell: CellRef
    score: float  # label score 0..100


@dataclass(frozen=True)
class FigureLink:
    """One narrative figure's tie to a table cell, in three states: holds, differs (a narrative_vs_table
    problem) or unlinked (not checked: never shown as holding). Kept with the findings, so a warm run
    renders it without re-reading the narrative."""

    page: int
    figure: str  # as printed
    label: str
    state: str  # holds | differs | unlinked
    cell: CellRef | None
    score: float | None
    runners_up: tuple[RunnerUp, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"page": self.page, "figure": self.figure, "label": self.label, "state": self.state,
                "cell": self.cell.to_json() if self.cell is not None else None, "score": self.score,
                "runners_up": [{"cell": r.cell.to_json(), "score": r.score} for r in self.runners_up]}


def link_coverage(links: tuple[FigureLink, ...]) -> dict[str, int]:
    """How many narrative figures were linked, held, differed and stayed unlinked."""
    held = sum(1 for x in links if x.state == "holds")
    differed = sum(1 for x in links if x.state == "differs")
    return {"figures": len(links), "linked": held + differed, "held": held, "differed": differed,
            "unlinked": len(links) - held - differed}
