"""Line breaks for report text: never inside a number, and no line starting with closing punctuation."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from crossfoot.linebreak import NO_END, NO_START, break_points, cell_len, wrap

TEXT = "2024年度收入总计1,144.45万元，比上年增加100.00万元，增长10.5%。其中445.69万元用于项目支出（含基本建设）。"


def _lines(text: str, width: int) -> list[str]:
    cuts = break_points(text, width)
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def test_numbers_stay_whole_and_kinsoku_holds_at_every_width() -> None:
    numbers = re.findall(r"\d[\d,.]*\d%?|\d", TEXT)
    for width in range(12, 60):
        lines = _lines(TEXT, width)
        assert "".join(lines) == TEXT
        assert all(cell_len(line) <= width for line in lines)
        for line in lines[1:]:
            assert line[0] not in NO_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_END, (width, lines)
        for n in numbers:  # each number is printed whole on one line
            assert any(n in line for line in lines), (width, n, lines)


def test_a_number_keeps_its_unit_sign() -> None:
    for width in range(8, 30):
        for line in _lines(TEXT, width)[1:]:
            assert not line.startswith(("%", "万", "元")) or not line[0].isdigit()
            assert not line.startswith("%")


def test_latin_words_are_not_split_and_newlines_end_lines() -> None:
    assert _lines("see the table below", 10) == ["see the ", "table ", "below"]
    assert _lines("甲\n乙", 10) == ["甲\n", "乙"]


def test_a_token_wider_than_the_line_is_cut_where_it_must() -> None:
    lines = _lines("12345678901234567890", 8)
    assert all(cell_len(line) <= 8 for line in lines) and "".join(lines) == "12345678901234567890"


def test_wrap_indents_continuation_lines() -> None:
    out = wrap(TEXT, 30, "    ")
    rows = out.split("\n")
    assert len(rows) > 1 and all(r.startswith("    ") for r in rows[1:])
    assert all(cell_len(r) <= 30 for r in rows[1:]) and cell_len(rows[0]) <= 26


@given(st.text(alphabet="0123456789.,，。、万元%（）abc 中文字", max_size=80), st.integers(4, 40))
def test_any_text_is_kept_whole_and_fits(text: str, width: int) -> None:
    lines = _lines(text, width)
    assert "".join(lines) == text
    assert all(cell_len(line.rstrip("\n")) <= width for line in lines)


def test_a_carried_over_bracket_that_still_overflows_is_cut_again() -> None:
    # Found by hypothesis: the cut before "（" carried "（0" over, and "（0、" was 5 cells in a width of 4.
    lines = _lines("0（0、", 4)
    assert "".join(lines) == "0（0、"
    assert all(cell_len(line) <= 4 for line in lines)
