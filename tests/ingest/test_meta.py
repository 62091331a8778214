from __future__ import annotations

from crossfoot.ingest.meta import report_meta
from crossfoot.model import Block, Page


def _meta(cover: str, body: str = "") -> tuple[object, ...]:
    pages = (Page(1, 595, 842, text=cover), Page(2, 595, 842, text=body))
    return report_meta(pages, [Block(2, None, body)], [])


def test_final_accounts_cover() -> None:
    assert _meta("中共上海市普陀区委\n社会工作部 2024 年度\n部门决算")[:3] == ("决算", "中共上海市普陀区委社会工作部", 2024)


def test_budget_cover_with_year_first() -> None:
    assert _meta("2025年度\n上海市测试局部门预算")[:3] == ("预算", "上海市测试局", 2025)


def test_performance_reports() -> None:
    assert _meta("2022年脱贫劳动力稳岗补助项目\n绩效自评报告")[0] == "绩效自评"
    assert _meta("2023年度市防贫监测系统项目\n绩效评价报告")[0] == "绩效评价"


def test_no_kind_words_is_unknown() -> None:
    assert _meta("东北电气发展股份有限公司\n2018年第三季度报告", "合并资产负债表 营业收入 净利润")[0] == "unknown"


def test_contents_first_page_falls_back_to_the_words_used() -> None:
    toc = "一、收入支出决算总表\n二、收入决算表\n三、支出决算表\n四、一般公共预算财政拨款支出决算表"
    kind, dept, year, _ = _meta(toc, "部门：赣州市测试局  2023年度  金额单位：万元\n本部门2023年度决算收入…")
    assert (kind, dept, year) == ("决算", "赣州市测试局", 2023)
