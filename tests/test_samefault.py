from __future__ import annotations

from crossfoot.findings import CellRef, Finding
from crossfoot.samefault import merge_same_faults, same_fault

HEADING = "社会保障和就业支出（208类）行政事业单位养老支出（05款）行政单位离退休（01项）56.12万元"


def _cell(table: str, value: str = "561,240.00", label: str = "2080501 行政单位离退休") -> CellRef:
    return CellRef(table, 3, 2, label, "预算/合计", value, 6)


def _f(check: str, quote: str, stated: str, refs: tuple[CellRef, ...], severity: str = "medium",
       verdict: str = "inconsistent", page: int = 6) -> Finding:
    return Finding(check, severity, verdict, page, quote, stated, "", "msg", refs)  # type: ignore[arg-type]


def test_one_disagreement_reached_by_two_checks_is_listed_once() -> None:
    own = _f("self_conflict", HEADING, "56.12", (_cell("T02"),))
    own = Finding(own.check, own.severity, own.verdict, own.page, own.quote, "56.12", "57.8", "msg", own.refs)
    table = _f("narrative_vs_table", "13、" + HEADING + "…2026年预算安排57.8万元", "57.8万元", (_cell("T03"),), "high")
    out = merge_same_faults([own, table])
    assert len(out) == 1
    assert out[0].check == "narrative_vs_table"  # the most severe stands for the fault
    assert "also found by self_conflict" in out[0].message


def test_different_faults_stay_apart() -> None:
    a = _f("self_conflict", HEADING, "56.12", (_cell("T02"),))
    other_value = _f("narrative_vs_table", HEADING, "56.12万元", (_cell("T03", value="578,000.00"),))
    other_page = _f("narrative_vs_table", HEADING, "57.8万元", (_cell("T03"),), page=7)
    other_passage = _f("narrative_vs_table", "住房保障支出（221类）住房改革支出（02款）购房补贴（03项）207万元", "207万元",
                       (_cell("T03"),))
    same_check = _f("self_conflict", HEADING, "57.8", (_cell("T02"),))
    holding = _f("narrative_vs_table", HEADING, "56.12万元", (_cell("T03"),), verdict="consistent")
    # the same passage and row, but another figure of it: the share is a fault of its own
    share = _f("share", HEADING + "，占比1.87%", "1.87%", (_cell("T03"),))
    for b in (other_value, other_page, other_passage, same_check, holding, share):
        assert not same_fault(a, b)
        assert len(merge_same_faults([a, b])) == 2


def _sum(stated: str, expected: str, refs: tuple[CellRef, ...], quote: str) -> Finding:
    return Finding("table_sum", "high", "inconsistent", 11, quote, stated, expected, "sum", refs)


def _c(row: int, col: int, value: str, label: str) -> CellRef:
    return CellRef("T03", row, col, label, ["合计", "基本支出", "项目支出"][col - 2], value, 11)


# A 项 row printing its 款's total in the 项目支出 column: the row and the column fail by the same amount.
KUAN = _c(1, 4, "64,840,547.00", "20406 司法")
BAD = _c(2, 4, "64,840,547.00", "2040601 行政运行")
ROW_TOTAL, ROW_BASIC = _c(2, 2, "14,348,853.34", "2040601 行政运行"), _c(2, 3, "14,348,853.34", "2040601 行政运行")
OTHERS = _c(3, 4, "64,840,547.00", "2040604 基层司法业务")
COLUMN = _sum("64,840,547.00", "129681094.00", (KUAN, BAD, OTHERS), "20406 司法 …")
ROW = _sum("14,348,853.34", "79189400.34", (ROW_TOTAL, ROW_BASIC, BAD), "2040601 行政运行 …")


def test_one_misprinted_cell_breaking_a_row_and_a_column_is_one_finding() -> None:
    out = merge_same_faults([COLUMN, ROW])
    assert len(out) == 1
    f = out[0]
    assert f.quote.startswith("2040601")  # the row that holds the cell leads
    assert f.refs[0] == BAD
    assert "were it 0.00" in f.message and "changed by -64,840,547.00" in f.message
    assert set(COLUMN.refs) | set(ROW.refs) == set(f.refs)


def test_sums_sharing_a_cell_that_does_not_explain_both_stay_apart() -> None:
    other_gap = _sum("14,348,853.34", "14,348,860.34", (ROW_TOTAL, ROW_BASIC, BAD), "2040601 行政运行 …")
    assert len(merge_same_faults([COLUMN, other_gap])) == 2
    # the shared cell is the stated total of one and a part of the other: the repairs must agree in sign
    as_total = _sum("64,840,547.00", "129,681,094.00", (BAD, ROW_BASIC), "x")
    assert len(merge_same_faults([COLUMN, as_total])) == 2
    # two shared cells: no single cell to blame
    two = _sum("14,348,853.34", "79189400.34", (ROW_TOTAL, KUAN, BAD), "y")
    assert len(merge_same_faults([COLUMN, two])) == 2


def test_a_paragraph_against_itself_and_against_the_table_is_one_fault() -> None:
    heading = "住房保障支出（类）住房改革支出（款）住房公积金（项）”350.35万元"
    own = Finding("self_conflict", "medium", "inconsistent", 9, heading, "350.35", "352.67", "msg", ())
    table = _f("narrative_vs_table", "31.“" + heading + "…2024年预算安排352.67万元", "352.67万元",
               (_cell("T03", value="3,503,499"),), "high", page=9)
    out = merge_same_faults([own, table])
    assert [f.check for f in out] == ["narrative_vs_table"]
    # a figure in common is still required
    other = Finding("self_conflict", "medium", "inconsistent", 9, heading, "350.35", "351.00", "msg", ())
    assert len(merge_same_faults([other, table])) == 2
