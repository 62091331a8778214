from __future__ import annotations

from crossfoot.checks.context import Context
from crossfoot.checks.count import count
from structural_helpers import make_report


def run(text: str):  # type: ignore[no-untyped-def]
    return list(count(Context(make_report([], blocks=[(1, text)]))))


def test_items_counted_out_exceed_the_total() -> None:
    (f,) = run("本部门共有车辆0辆。其中：领导用车0辆、主要领导干部用车1辆、机要通信用车0辆。")
    assert f.verdict == "inconsistent" and f.stated == "0辆" and f.expected == "1"


def test_partial_breakdown_after_qizhong_is_not_an_error() -> None:
    (f,) = run("本部门共有车辆5辆，其中：主要领导干部用车1辆、机要通信用车2辆。")
    assert f.verdict == "consistent"


def test_colon_list_must_be_complete() -> None:
    (f,) = run("二级项目绩效自评个数21个，涉及资金27265300元：16个项目自评等级为“优”，4个项目自评等级为“良”。")
    assert f.verdict == "inconsistent" and f.expected == "20"


def test_named_list() -> None:
    (f,) = run("本级设立 3 个内设机构，分别是：综合科、财务科、督查科。")
    assert f.verdict == "consistent"
    (g,) = run("本级设立 3 个内设机构，分别是：综合科、财务科。")
    assert g.verdict == "inconsistent" and g.expected == "2"


def test_addends_before_the_total() -> None:
    (f,) = run("2022年新招录3人及2023年新招录1人共4人按定额标准补助；")
    assert f.verdict == "consistent" and "3 + 1 = 4" in f.message
    (g,) = run("2022年新招录3人及2023年新招录1人共5人按定额标准补助；")
    assert g.verdict == "inconsistent"


def test_named_list_broken_off_at_a_paragraph_end() -> None:
    from crossfoot.checks.context import Context
    from crossfoot.checks.count import count

    paras = [(5, "上海市普陀区商务委员会机关设9个内设机构，包括：办公室、综合调研科、商业发展科、市场秩序科（粮食和物资"),
             (5, "储备科）、产业发展科、企业服务科、经济运行科、外经促进科、贸易发展科。")]
    fs = [f for f in count(Context(make_report([], blocks=paras))) if f.stated == "9个"]
    assert len(fs) == 1 and fs[0].verdict == "consistent"
