from __future__ import annotations

from dataclasses import replace

from crossfoot.checks.context import Context
from crossfoot.checks.document import _completeness, completeness, placeholder, year
from crossfoot.model import Block, Table
from structural_helpers import make_report, make_table


def test_placeholders_in_text_and_tables() -> None:
    t = make_table([["项目", "决算数"]], [["合计", "XXX"]], title="收入决算表")
    rep = make_report([t], blocks=[(15, "上海市XX局2024年度收入支出总计XXX万元。"), (16, "本年收入合计1.00万元。")])
    fs = list(placeholder(Context(rep)))
    assert [f.page for f in fs] == [15, 1]
    assert all(f.verdict == "inconsistent" for f in fs)


def test_year_end_date_of_another_year() -> None:
    rep = make_report([make_table([["a"]], [["1"]], title="2023年度收入决算表")],
                      blocks=[(25, "截至2022年12月31日，本部门共有车辆0辆。"), (26, "截止2023年12月31日，共有车辆1辆。")],
                      year=2023)
    fs = list(year(Context(rep)))
    assert [f.page for f in fs] == [25]
    # What it should say, in the report's own words (截止 kept where it was printed so).
    assert fs[0].expected == "截至2023年12月31日"
    late = make_report([make_table([["a"]], [["1"]], title="2023年度收入决算表")],
                       blocks=[(25, "截止2023年6月30日，本部门共有车辆0辆。")], year=2023)
    assert [f.expected for f in year(Context(late))] == ["截止2023年12月31日"]


def test_missing_and_unexplained_empty_tables() -> None:
    titles = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
              "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表"]
    tables = [make_table([["项目", "决算数"]], [["合计", "1.00"]], title=t, id=f"T{i}") for i, t in enumerate(titles)]
    tables.append(make_table([["项目", "决算数"]], [["合计", ""]], title="政府性基金预算财政拨款收入支出决算表", id="T9"))
    fs = list(completeness(Context(make_report(tables))))
    assert {(f.quote, f.stated) for f in fs} == {("国有资本经营预算财政拨款支出决算表", "missing"),
                                                  ("政府性基金预算财政拨款收入支出决算表", "empty")}
    explained = make_report(tables, blocks=[(9, "本部门2023年度无政府性基金预算财政拨款收入和支出。")])
    fs = list(completeness(Context(explained)))
    assert [f.stated for f in fs if f.verdict == "inconsistent"] == ["missing"]
    # The empty table is told with the note that explains it (shown with --all).
    (ok,) = [f for f in fs if f.verdict == "consistent"]
    assert ok.quote == "本部门2023年度无政府性基金预算财政拨款收入和支出。" and "政府性基金" in ok.message


def _others() -> list[Table]:
    return [make_table([["项目", "金额"]], [["合计", "1.00"]], title=f"其他表{k}", id=f"X{k}") for k in range(2)]


def test_empty_fund_table_explained_by_a_nil_statement() -> None:

    t = make_table([["功能科目代码", "功能科目名称", "金额"]], [["", "合计", ""]],
                   title="2018年度某单位政府性基金预算财政拨款支出预算表", id="T10")
    plain = make_report([t, *_others()], kind="预算")
    said = make_report([t, *_others()], kind="预算")
    said = replace(said, blocks=(Block(23, None, "某单位2018年政府性基金支出预算支出0万元。"),))
    empty = [f for f in _completeness(plain) if f.stated == "empty"]
    assert len(empty) == 1 and "政府性基金" in empty[0].quote
    assert not [f for f in _completeness(said) if f.stated == "empty"]


def test_empty_table_explained_by_its_own_note() -> None:
    # The table's own note "注：本部门无该项目" under an empty 合计 row is its 空表说明.
    t = make_table([["功能科目代码", "功能科目名称", "金额"]], [["", "合计", ""]],
                   title="财政拨款政府性基金支出预算表", id="T10")
    noted = replace(t, notes=("注：本部门无该项目",))
    assert [f for f in _completeness(make_report([t, *_others()], kind="预算")) if f.stated == "empty"]
    assert not [f for f in _completeness(make_report([noted, *_others()], kind="预算")) if f.stated == "empty"]


def test_a_header_alone_is_not_called_empty() -> None:

    head = make_table([["收入", "支出"]], [], title="2018年度某单位财政拨款收支预算总表", id="T04")
    assert not [f for f in _completeness(make_report([head, *_others()], kind="预算")) if f.stated == "empty"]


def _with_contents(lines: list[str], tables: list[Table], later: str = "") -> object:
    from crossfoot.model import Page

    r = make_report(tables, kind="预算")
    pages = (Page(1, 595, 842, "某单位2026年部门预算"), Page(2, 595, 842, "\n".join(["目录", *lines])),
             Page(3, 595, 842, later), *r.pages[3:])
    return replace(r, pages=pages)


# The 目录 of a 2026 部门预算 as printed (section heading 五、 over its numbered tables, dot leaders).
CONTENTS = ["四、部门预算编制说明……………………", "五、部门预算表……………………………",
            "1. 2026年部门财务收支预算总表………………", "2. 2026年部门收入预算总表………………",
            "3. 2026年部门“三公”经费和机关运行经费预算表……", "六、其他相关情况说明……………………"]


def test_contents_lists_tables_not_sections() -> None:
    from crossfoot.checks.document import contents_tables

    r = _with_contents(CONTENTS, _others())
    got = contents_tables(r)  # type: ignore[arg-type]
    assert got == (2, ["2026年部门财务收支预算总表", "2026年部门收入预算总表", "2026年部门“三公”经费和机关运行经费预算表"])


def test_table_listed_in_contents_but_not_printed() -> None:
    tables = [make_table([["项目", "预算数"]], [["合计", "1.00"]], title="2026年部门财务收支预算总表", id="T1"),
              make_table([["项目", "合计"]], [["合计", "1.00"]], title="2026年部门收入预算总表", id="T2"),
              *_others()]
    r = _with_contents(CONTENTS, tables)
    missing = [f for f in _completeness(r) if f.stated == "missing" and "目录" in f.message]  # type: ignore[arg-type]
    assert [f.quote for f in missing] == ["2026年部门“三公”经费和机关运行经费预算表"]
    # printed as a title only (an image of the table): present
    r2 = _with_contents(CONTENTS, tables, later="2026年部门“三公”经费和机关运行经费预算表")
    assert not [f for f in _completeness(r2) if f.stated == "missing" and "目录" in f.message]  # type: ignore[arg-type]


def test_figures_under_an_empty_table_note() -> None:
    t = make_table([["“三公”经费预算数", "", "机关运行经费预算数"], ["合计", "公务接待费", "机关运行经费预算数"]],
                   [["47.91", "1.35", "443.18"]], title="部门“三公”经费和机关运行经费预算表", id="T12")
    t = replace(t, notes=("注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。",))
    hits = [f for f in _completeness(make_report([t, *_others()], kind="预算")) if "note saying it is empty" in f.message]
    assert len(hits) == 1 and hits[0].stated == "本表为空表"
    blank = replace(t, rows=(tuple(replace(c, text="") for c in t.rows[0]),))
    assert not [f for f in _completeness(make_report([blank, *_others()], kind="预算"))
                if "note saying it is empty" in f.message]


def test_budget_compared_with_its_own_year() -> None:
    said = "2026年，某局收入预算9628.22万元，其中：财政拨款收入9628.22万元，比2026年预算增加793.14万元；"
    r = make_report([], blocks=[(8, said)], kind="预算", year=2026)
    (f,) = [f for f in year(Context(r)) if f.verdict == "inconsistent"]
    assert f.expected == "2025年预算" and f.severity == "low"
    right = make_report([], blocks=[(8, said.replace("比2026年预算", "比2025年预算"))], kind="预算", year=2026)
    assert not [f for f in year(Context(right)) if f.verdict == "inconsistent"]
    # a 决算 compares its outturn with the same year's budget: nothing to say
    final = make_report([], blocks=[(8, "2026年决算数比2026年预算减少5万元。")], kind="决算", year=2026)
    assert not [f for f in year(Context(final)) if f.verdict == "inconsistent"]
