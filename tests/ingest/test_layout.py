from __future__ import annotations

from typing import Any

from crossfoot.ingest.layout import build_lines, join_wrapped, text_of
from crossfoot.ingest.pdf import dedupe


def ch(text: str, x0: float, top: float, size: float = 12.0, width: float | None = None,
       font: str = "SimSun") -> dict[str, Any]:
    w = width if width is not None else (size if not text.isascii() else size / 2)
    return {"text": text, "x0": x0, "x1": x0 + w, "top": top, "bottom": top + size, "size": size,
            "fontname": font}


def test_digits_on_a_shifted_baseline_join_their_line() -> None:
    # CJK at top=100, digits one point lower and drawn after the CJK, as a separate layer.
    chars = [ch("支", 0, 100), ch("出", 12, 100), ch("万", 54, 100), ch("元", 66, 100)]
    chars += [ch(d, 24 + 6 * k, 101.2, font="TimesNewRoman") for k, d in enumerate("12.5")]
    lines = build_lines(chars, page=1)
    assert [ln.text for ln in lines] == ["支出12.5万元"]


def test_separate_lines_stay_apart() -> None:
    chars = [ch("上", 0, 100), ch("下", 0, 118)]
    assert [ln.text for ln in build_lines(chars, page=1)] == ["上", "下"]


def test_layout_spaces_between_cjk_dropped_latin_word_spaces_kept() -> None:
    chars = [ch("全", 0, 100), ch("年", 20, 100)]  # justified: a wide gap between CJK chars
    chars += [ch(c, 40 + 6 * k, 100) for k, c in enumerate("ab")]
    chars += [ch(c, 58 + 6 * k, 100) for k, c in enumerate("cd")]  # a word space before "cd"
    assert build_lines(chars, page=1)[0].text == "全年ab cd"


def test_wide_gap_splits_segments() -> None:
    chars = [ch("部", 0, 100), ch("门", 12, 100), ch("单", 300, 100), ch("位", 312, 100)]
    ln = build_lines(chars, page=1)[0]
    assert [s.text for s in ln.segments] == ["部门", "单位"]


def test_wrapped_cell_text_joins_without_space() -> None:
    chars = [ch(c, 12 * k, 100) for k, c in enumerate("本年收入合")] + [ch("计", 0, 114)]
    assert text_of(chars) == "本年收入合计"
    assert join_wrapped(["Latin", "words", "与中文"]) == "Latin words与中文"


def test_dedupe_drops_overprinted_glyphs_only() -> None:
    chars = [ch("财", 0, 100), ch("财", 0.3, 100.2), ch("政", 12, 100), ch("政", 40, 100)]
    assert [(c["text"], c["x0"]) for c in dedupe(chars)] == [("财", 0), ("政", 12), ("政", 40)]
