from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.checks.prior_year import prior_year
from structural_helpers import make_report


def run(*texts: str):  # type: ignore[no-untyped-def]
    return list(prior_year(Context(make_report([], blocks=[(i + 1, t) for i, t in enumerate(texts)]))))


def test_two_statements_imply_the_same_prior_year() -> None:
    a = "2023年度机关运行经费支出62.87万元，比上年减少192.37万元，下降75.37%。"
    ok = "本年机关运行经费支出628700元，较上年减少1923700元。"
    (f,) = run(a, ok)
    assert f.verdict == "consistent"
    bad = "机关运行经费支出62.87万元，比上年减少150.00万元。"
    (g,) = run(a, bad)
    assert g.verdict == "inconsistent" and g.expected == "2552400元"


def test_printed_prior_year_figure() -> None:
    a = "本年收入合计1,144.45万元，比上年增加288.84万元，增长33.76%。"
    (f,) = run(a, "上年收入合计为855.61万元。")
    assert f.verdict == "consistent"
    (g,) = run(a, "上年收入合计为865.61万元。")
    assert g.verdict == "inconsistent"


def test_subject_items_are_told_apart_by_their_path() -> None:
    # 部门预算 paragraphs per 科目 (Jiangsu 2018): each "（项）支出X" is its own quantity, not one "支出".
    a = "1．法院（款）行政运行（项）支出14857.61万元，与上年相比增加3070.69万元，增长26.05%。"
    b = "4．法院（款）案件审判（项）支出1833.3万元，与上年相比增加100万元，增长5.77%。"
    c = "2．住房改革支出（款）提租补贴（项）支出3318.25万元，与上年相比增加1358.26万元，增长69.30%。"
    assert run(a, b, c) == []
    again = "法院（款）案件审判（项）支出1833.3万元，较上年增加200万元。"
    (g,) = run(b, again)
    assert g.verdict == "inconsistent" and "案件审判" in g.stated
