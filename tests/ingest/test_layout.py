from __future__ import annotations

from typing import Any

from crossfoot.ingest.layout import build_lines, join_wrapped, text_of
from crossfoot.ingest.visible import dedupe


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


def test_letter_spaced_title_reads_as_one_word() -> None:
    from crossfoot.ingest.layout import Segment, letter_spaced

    spaced = [Segment(100 + 40 * k, 112 + 40 * k, ch) for k, ch in enumerate("人事費彙計表")]
    assert [s.text for s in letter_spaced(spaced)] == ["人事費彙計表"]
    # Fields at uneven positions (a form row "类 款 项 合计") stay apart; so do two glyphs only.
    fields = [Segment(10, 22, "类"), Segment(60, 72, "款"), Segment(200, 212, "项"), Segment(300, 324, "合计")]
    assert [s.text for s in letter_spaced(fields)] == ["类", "款", "项", "合计"]
    assert [s.text for s in letter_spaced(spaced[:2])] == ["人", "事"]


def test_letter_spaced_line_from_chars() -> None:
    from crossfoot.ingest.layout import build_lines

    chars = [{"text": ch, "x0": 100 + 36 * k, "x1": 112 + 36 * k, "top": 50.0, "bottom": 62.0, "size": 12.0,
              "fontname": "SimSun"} for k, ch in enumerate("江苏省人民政府")]
    assert build_lines(chars, 1)[0].text == "江苏省人民政府"
