"""Figure <-> table cell matching."""

from __future__ import annotations

from dataclasses import dataclass

from crossfoot.figures import Figure
from crossfoot.findings import CellRef
from crossfoot.model import Report


@dataclass(frozen=True)
class Match:
    figure: int  # Figure.index
    best: CellRef
    score: float  # 0..100
    runners_up: tuple[tuple[CellRef, float], ...] = ()


def match_figures(report: Report, figures: list[Figure]) -> dict[int, Match]:
    raise NotImplementedError  # filled in by the matching work (issue 4)
