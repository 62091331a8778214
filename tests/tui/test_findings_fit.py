"""The findings list keeps stated and recomputed values narrow enough for 80 columns, and never cuts a number."""

from __future__ import annotations

from crossfoot.linebreak import cell_len
from crossfoot.tui.widgets.findings import VALUE_CELLS, fit_value


def test_words_alone_are_cut_to_the_column() -> None:
    got = fit_value("医疗卫生与计划生育支出")
    assert got.endswith("…") and cell_len(got) <= VALUE_CELLS
    assert fit_value("a share of 政府采购支出总额").startswith("a share of")


def test_values_with_digits_are_never_cut() -> None:
    for text in ("79,189,400.34", "全年执行数 128", "2023年12月31前", "1,234,567,890.12万元"):
        assert fit_value(text) == text


def test_short_words_stay_whole() -> None:
    assert fit_value("卫生健康支出") == "卫生健康支出"
