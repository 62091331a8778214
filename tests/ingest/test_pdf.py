from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from tests.conftest import SAMPLES, load_sample

from crossfoot.ingest.pages import read_pdf
from crossfoot.ingest.pdf import parse_page
from crossfoot.model import Report, Table


def _table(r: Report, code: str | None = None, title: str | None = None) -> Table:
    for t in r.tables:
        if (code is None or t.code == code) and (title is None or t.title == title):
            return t
    raise AssertionError(f"no table {code} {title}: {[(t.code, t.title) for t in r.tables]}")


def _cell(t: Table, row_label: str, column: str) -> Decimal | None:
    cols = [j for j, c in enumerate(t.columns) if column in c]
    for i in range(len(t.rows)):
        if t.row_label(i).replace(" ", "").startswith(row_label):
            for j in cols:
                v = t.rows[i][j].value
                if v is not None:
                    return v
    raise AssertionError(f"no cell {row_label}/{column} in {t.id} {t.columns}")


def _block_with(r: Report, needle: str) -> str:
    for b in r.blocks:
        if needle in b.text:
            return b.text
    raise AssertionError(f"no block with {needle!r}")


# --- the split-font PDF drawn in conftest -----------------------------------------------------

@pytest.fixture(scope="module")
def split_report(split_font_pdf: Path, monkeypatch_module: None) -> Report:
    return read_pdf(split_font_pdf)


@pytest.fixture(scope="module")
def monkeypatch_module() -> object:
    mp = pytest.MonkeyPatch()
    mp.setenv("CROSSFOOT_JOBS", "1")
    yield None
    mp.undo()


def test_fixture_reproduces_the_split_digit_layer(split_font_pdf: Path) -> None:
    with pdfplumber.open(split_font_pdf) as pdf:
        text = pdf.pages[0].extract_text()
    assert "机关运行经费支出 万元" in text or "184.65 2023" in text


def test_split_digits_go_back_in_place(split_report: Report) -> None:
    assert _block_with(split_report, "机关运行经费支出") == \
        "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。"


def test_paragraph_reads_whole_across_lines_and_pages(split_report: Report) -> None:
    text = _block_with(split_report, "本年收入合计")
    assert text.startswith("本年收入合计1144.45万元，其中：财政拨款收入1144.45万元，占100.00%；")
    assert text.endswith("占0.00%。与上年相比增加12.30万元。")
    assert " " not in text


def test_latin_word_spaces_are_kept(split_report: Report) -> None:
    assert _block_with(split_report, "Latin").startswith("This line keeps its Latin words apart, then")


def test_heading_is_its_own_paragraph_and_folios_dropped(split_report: Report) -> None:
    texts = [b.text for b in split_report.blocks]
    assert texts[0] == "一、机关运行经费"
    assert not any("—" in t for t in texts)


def test_caption_lines_belong_to_the_table(split_report: Report) -> None:
    assert [t.id for t in split_report.tables] == ["T01"]
    t = split_report.tables[0]
    assert (t.code, t.title, t.unit, t.pages) == ("公开01表", "收入支出决算总表", "万元", (2,))
    assert not any("单位" in b.text or "决算总表" in b.text for b in split_report.blocks)
    assert t.columns == ("项目", "本年收入合计", "本年支出")
    assert _cell(t, "合计", "本年收入合计") == Decimal("1144.45")
    assert t.rows[0][1].page == 2 and t.rows[0][1].bbox is not None
    assert split_report.department == "测试局" and split_report.kind == "决算"


def test_parse_page_is_picklable_and_per_page(split_font_pdf: Path) -> None:
    import pickle

    part = parse_page(str(split_font_pdf), 2)
    again = pickle.loads(pickle.dumps(part))
    assert again.number == 2 and len(again.tables) == 1


def test_pool_and_in_process_agree(split_font_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    monkeypatch.setenv("CROSSFOOT_JOBS", "2")
    pooled = read_pdf(split_font_pdf, progress=lambda d, t: seen.append((d, t)))
    monkeypatch.setenv("CROSSFOOT_JOBS", "1")
    single = read_pdf(split_font_pdf)
    assert pooled.blocks == single.blocks and pooled.tables == single.tables
    assert seen[-1] == (2, 2) and len(seen) == 2


# --- table layouts drawn in pdfs.py --------------------------------------------------------------

@pytest.fixture(scope="module")
def tables_report(tables_pdf: Path, monkeypatch_module: None) -> Report:
    return read_pdf(tables_pdf)


def test_merged_header_wrapped_label_and_split_codes(tables_report: Report) -> None:
    t = tables_report.tables[0]
    assert (t.code, t.title, t.unit) == ("公开05表", "一般公共预算财政拨款支出决算表", "元")
    assert t.columns == ("科目编码", "科目名称", "本年收入合计", "基本支出")
    assert [t.rows[i][0].text for i in range(len(t.rows))] == ["", "2130501", "2130502", "2130599"]
    assert t.rows[1][0].value == Decimal(2130501)  # codes are kept whole, not 213 / 05 / 01


def test_continuation_page_joins_and_drops_repeated_header(tables_report: Report) -> None:
    t = tables_report.tables[0]
    assert t.pages == (1, 2)
    assert [r[1].text for r in t.rows] == ["合计", "行政运行", "一般行政管理事务", "其他支出"]
    assert t.rows[2][2].value == Decimal("259825.00") and t.rows[2][2].page == 2


def test_table_ruled_horizontally_only(tables_report: Report) -> None:
    t = tables_report.tables[1]
    assert (t.title, t.unit, t.pages) == ("项目支出绩效自评表", None, (3,))
    assert t.columns == ("三级指标", "年度指标值", "分值", "得分")
    assert [c.text for c in t.rows[0]] == ["出具核查报告份数", "≥2份", "10", "0"]
    assert len(t.rows) == 3
    assert not tables_report.blocks  # the table's text is not narrative


# --- sample reports ---------------------------------------------------------------------------

EXPECTED_CODES_000 = [f"公开{n:02d}表" for n in range(1, 11)]


def test_000_tables() -> None:
    r = load_sample("000.pdf")
    assert (r.kind, r.department, r.year, r.unit) == ("决算", "赣州市乡村振兴局", 2023, "万元")
    assert [t.code for t in r.tables if t.code] == EXPECTED_CODES_000
    assert len(r.tables) == 16  # unit list, 10 公开 tables, 5 项目支出绩效自评表
    t = _table(r, "公开01表")
    assert (t.title, t.unit, t.pages) == ("收入支出决算总表", "万元", (5, 6))
    assert _cell(t, "本年收入合计", "决算数") == Decimal("1144.45")
    assert _cell(t, "总计", "决算数") == Decimal("1144.45")
    perf = [t for t in r.tables if t.title and t.title.startswith("项目支出绩效自评表")]
    assert len(perf) == 5
    assert perf[0].title == "项目支出绩效自评表（聘请第三方实施衔接资金绩效核查）"


def test_000_multi_page_table_is_one_table_without_repeated_header() -> None:
    t = _table(load_sample("000.pdf"), "公开01表")
    labels = [t.row_label(i) for i in range(len(t.rows))]
    assert not any(lb.startswith("项目") or lb.startswith("栏次") for lb in labels)
    assert len(t.rows) == 31 and {c.page for row in t.rows for c in row} == {5, 6}


def test_000_narrative() -> None:
    r = load_sample("000.pdf")
    assert not any(re.fullmatch(r"[—\-\s\d]+", b.text) for b in r.blocks)
    assert not any(re.search(r"公开\d\d表|金额单位：|^部门：", b.text) for b in r.blocks)
    assert not any(b.text.endswith("决算总表") for b in r.blocks if b.page >= 5)


def test_003_tables() -> None:
    r = load_sample("003.pdf")
    assert (r.kind, r.department, r.year, r.unit) == ("决算", "兴县乡村振兴局", 2022, "元")
    assert [t.code for t in r.tables if t.code] == [f"公开{n:02d}表" for n in range(1, 11)]
    t = _table(r, "公开05表")
    assert t.title == "一般公共预算财政拨款支出决算表" and t.unit == "元"
    assert _cell(t, "合计", "项目支出") == Decimal("24414396.73")
    assert _cell(t, "2080505", "基本支出") == Decimal("170184.12")
    scoring = [t for t in r.tables if t.title and "评分情况表" in t.title]
    assert len(scoring) >= 15
    assert all(t.unit is None for t in scoring)  # no unit line printed: nothing inherited


def test_003_header_cells_wrapped_text_joined() -> None:
    t = _table(load_sample("003.pdf"), "公开01表")
    assert all("\n" not in h and " " not in h for row in t.header for h in row)


def test_putuo_page17_paragraph_whole() -> None:
    r = load_sample("putuo-social-2024.pdf")
    text = _block_with(r, "收入支出总计307.82万元")
    assert text.startswith("中共上海市普陀区委社会工作部2024年度收入支出总计307.82万元。与2023年度相比")
    assert text.endswith("主要原因：单位于2024年成立。")
    assert (r.kind, r.department, r.year, r.unit) == ("决算", "中共上海市普陀区委社会工作部", 2024, "万元")


def test_putuo_tables() -> None:
    r = load_sample("putuo-social-2024.pdf")
    titles = [t.title for t in r.tables]
    assert titles[1:] == ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
                          "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
                          "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
                          "国有资本经营预算财政拨款收入支出决算表"]
    assert all(t.unit == "万元" for t in r.tables[1:])


def test_national_template_tables() -> None:
    r = load_sample("national-template-2024.pdf")
    assert len(r.tables) == 10
    t = _table(r, title="收入支出决算总表")
    assert t.columns == ("收入/项目", "收入/决算数", "支出/项目", "支出/决算数")
    assert t.row_label(0).startswith("一、一般公共预算财政拨款收入")


@pytest.mark.parametrize("name,pages", [("000.pdf", [5, 7, 27]), ("003.pdf", [7, 11, 38])])
def test_numeric_cells_match_pdfplumber(name: str, pages: list[int]) -> None:
    """Every number pdfplumber's own table extraction sees on a page is a cell of ours, as printed."""
    r = load_sample(name)
    with pdfplumber.open(SAMPLES / name) as pdf:
        for pno in pages:
            theirs: list[str] = []
            for tb in pdf.pages[pno - 1].extract_tables():
                for row in tb:
                    theirs += [re.sub(r"\s", "", c) for c in row if c and re.fullmatch(r"[\d,.%\s]+", c)]
            ours = [c.text for t in r.tables for row in t.rows for c in row
                    if c.page == pno and c.value is not None and re.fullmatch(r"[\d,.%]+", c.text)]
            ours += [h for t in r.tables if t.pages[0] == pno for hr in t.header for h in hr
                     if re.fullmatch(r"[\d,.%]+", h)]
            missing = [x for x in theirs if x not in ours]
            assert not missing, (pno, missing[:5])


def test_page_over_its_object_budget_is_skipped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from crossfoot.ingest import pdf

    monkeypatch.setenv(pdf.PAGE_OBJECTS_ENV, "10")
    part = pdf.parse_page(SAMPLES / "putuo-social-2024.pdf", 5)
    pdf._close_all()
    assert not part.readable and "drawn objects" in part.note and not part.tables


def test_page_over_its_time_budget_is_skipped_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    from crossfoot.ingest import pdf

    monkeypatch.setenv(pdf.PAGE_SECONDS_ENV, "0.000001")
    part = pdf.parse_page(SAMPLES / "putuo-social-2024.pdf", 5)
    pdf._close_all()
    assert not part.readable and "took longer" in part.note
    monkeypatch.setenv(pdf.PAGE_SECONDS_ENV, "60")
    assert pdf.parse_page(SAMPLES / "putuo-social-2024.pdf", 5).readable
    pdf._close_all()


def test_skipped_pages_are_named_not_fatal(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "CROSSFOOT_PAGE_MAX_OBJECTS": "1000"}
    r = subprocess.run([sys.executable, "-m", "crossfoot.cli", "check", "--no-cache",
                        str(SAMPLES / "putuo-social-2024.pdf")], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert "incomplete: 1 of 24 pages not checked (pages 13)" in r.stdout
