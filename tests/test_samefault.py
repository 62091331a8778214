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
