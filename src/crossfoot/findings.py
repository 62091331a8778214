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
