from crossfoot.matching.link import match_figures
from crossfoot.matching.match import cell_index, is_budget_column
from crossfoot.model import Block, Cell, Report, Table
from crossfoot.narrative.figures import extract_figures
from crossfoot.tables.labels import code_of, norm_label, similarity


def _table(tid: str, header: list[str], rows: list[list[str]], unit: str = "万元") -> Table:
    return Table(tid, None, "支出决算表", unit, (2,), (tuple(header),), tuple(tuple(Cell(x, 2) for x in r) for r in rows))


def _report(text: str, *tables: Table, unit: str = "万元") -> Report:
    return Report("x.pdf", "0" * 64, "决算", None, 2023, unit, (), (Block(1, None, text),), tables)


def test_label_normalisation() -> None:
    assert norm_label("（一）社会保障和就业支出（类）") == "社会保障和就业支出"
    assert norm_label("208 社会保障和就业支出") == "社会保障和就业支出"
    assert norm_label("人员经费合计") == "人员经费"
    assert code_of("2080505 机关事业单位基本养老保险缴费支出") == "2080505"
    assert code_of("20980.00") is None


def test_similarity_is_not_fooled_by_shared_characters() -> None:
    assert similarity("本年支出", "基本支出") < 85
    assert similarity("货物支出金额", "政府采购货物支出") >= 85
    assert similarity("住房保障支出（类）", "221 住房保障支出") == 100


def test_budget_column_is_not_a_fund_name() -> None:
    assert is_budget_column("全年预算数")
    assert not is_budget_column("支出/一般公共预算财政拨款")
    assert not is_budget_column("预算数/决算数")


def test_figure_matches_cell_after_unit_conversion() -> None:
    t = _table("T05", ["科目编码", "科目名称", "合计"], [["221", "住房保障支出", "294200.00"]], unit="元")
    r = _report("住房保障支出（类）29.42 万元，占 9.55%。", t)
    figs = extract_figures(r)
    m = match_figures(r, figs)[0]
    assert m.value_equal and m.best.table == "T05" and m.best.row == 0 and m.label_score >= 95


def test_precision_decides_equality() -> None:
    t = _table("T05", ["科目名称", "合计"], [["住房保障支出", "29.43"]])
    r = _report("住房保障支出（类）29.42 万元。", t)
    m = match_figures(r, extract_figures(r))[0]
    assert not m.value_equal and m.best.value == "29.43"


def test_side_by_side_halves_keep_their_own_labels() -> None:
    t = _table("T01", ["项目", "行次", "决算数", "项目", "行次", "决算数"],
               [["本年收入合计", "27", "31066335.81", "本年支出合计", "58", "29085952.04"]], unit="元")
    labels = {c.ref.value: c.ref.label for c in cell_index(_report("", t, unit="元"))}
    assert labels["29085952.04"] == "本年支出合计" and labels["31066335.81"] == "本年收入合计"
    assert "27" not in labels and "58" not in labels


def test_unmatched_figure_is_absent() -> None:
    t = _table("T05", ["科目名称", "合计"], [["住房保障支出", "29.42"]])
    r = _report("差旅费 3.10 万元。", t)
    assert match_figures(r, extract_figures(r)) == {}
