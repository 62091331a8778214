"""Narrative figures: every number the narrative states, with its unit, precision, label and relation."""

from __future__ import annotations

from dataclasses import dataclass

from crossfoot.model import Report
from crossfoot.numbers import Num


@dataclass(frozen=True)
class Figure:
    index: int  # position in the report's figure list
    page: int
    block: int  # index into Report.blocks
    start: int  # character offsets of the printed number (with its unit) in the block's text
    end: int
    text: str  # as printed, e.g. "1,144.45万元", "33.76%"
    num: Num  # value as printed; num.unit is the unit it was printed with (元, 万元, %, 人...)
    label: str  # the indicator / 科目 phrase it belongs to, numbering stripped
    relation: str | None  # the role it plays: "change", "growth_rate", "share", "completion", ...
    sentence: str  # the sentence (or clause run) it was read from


def extract_figures(report: Report) -> list[Figure]:
    raise NotImplementedError  # filled in by the figure-extraction work (issue 4)
