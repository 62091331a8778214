"""Where a paragraph's line ends: margins measured on other pages must not cut a sentence in two."""

from __future__ import annotations

from crossfoot.ingest.assemble import Margins, _continues
from crossfoot.ingest.layout import Line, Segment


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    return Line(page=5, x0=x0, top=top, x1=x1, bottom=top + 12, size=12, segments=(Segment(x0, x1, text),))


# A landscape page of a report whose landscape pages are mostly wide tables: the usual line end is far right.
WIDE = Margins(58.0, 780.0)


def test_a_line_that_leaves_a_bracket_open_continues() -> None:
    first = _line("机关设9个内设机构，包括：办公室、综合调研科、商业发展科、市场秩序科（粮食和物资", 82, 688, 118)
    rest = _line("储备科）、产业发展科、企业服务科、经济运行科、外经促进科、贸易发展科。", 58, 478, 133)
    assert _continues(first, rest, WIDE, WIDE, True, 8.0)


def test_a_short_line_with_its_brackets_closed_still_ends_the_paragraph() -> None:
    first = _line("（一）部门主要职责（详见附件）", 82, 300, 118)
    rest = _line("本部门的主要职能是……", 58, 478, 133)
    assert not _continues(first, rest, WIDE, WIDE, True, 8.0)
