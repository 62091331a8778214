from narrative_helpers import report, run, table


def test_comparison_that_holds() -> None:
    r = report(["1、行政运行（项）。全年预算为 52.00 万元，支出决算为 51.32 万元。决算数小于全年预算数的主要原因：人员变动。"])
    hits = run("comparison", r)
    assert len(hits) == 1 and hits[0].verdict == "consistent"


def test_comparison_contradicted_by_the_amounts() -> None:
    r = report(["1、行政运行（项）。全年预算为 52.00 万元，支出决算为 53.32 万元。决算数小于全年预算数的主要原因：人员变动。"])
    hits = run("comparison", r)
    assert len(hits) == 1 and hits[0].verdict == "inconsistent" and hits[0].severity == "medium"


def test_equal_within_printed_precision() -> None:
    r = report(["购房补贴（项）。全年预算为11.72万元，支出决算为11.72万元。决算数与全年预算数持平。"])
    assert [f.verdict for f in run("comparison", r)] == ["consistent"]


def test_flat_year_on_year_with_a_nonzero_change() -> None:
    r = report(["结余分配 5.00 万元，比上年增加 1.00 万元，与上年持平。"])
    assert [f.verdict for f in run("comparison", r)] == ["inconsistent"]


def test_table_execution_rate_rows() -> None:
    t = table("T13", "项目支出绩效自评表", ["项目", "年初预算数", "全年预算数A", "全年执行数B", "分值", "执行率", "得分"],
              [["年度资金总额", "0", "4", "2.268", "10", "56.69", "0"],
               ["政府预算资金", "0", "4", "2.267533", "—", "56.69", "—"],
               ["其他资金", "0", "10", "5", "—", "60", "—"]])
    by_rate = {(f.quote.split()[0], f.verdict) for f in run("execution_rate", report([], (t,)))}
    assert by_rate == {("年度资金总额", "rounding"), ("政府预算资金", "consistent"), ("其他资金", "inconsistent")}


def test_table_execution_rate_header_inside_body() -> None:
    t = table("T22", "项目支出绩效自评表", ["项目名称", "x", "", "", "", "", ""],
              [["项目资金(万元)", "", "年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)"],
               ["项目资金(万元)", "年度资金总额:", "150", "150", "142.95", "10", "95.30%"]])
    hits = run("execution_rate", report([], (t,)))
    assert [(f.stated, f.verdict) for f in hits] == [("95.30%", "consistent")]
