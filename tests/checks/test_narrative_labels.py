from narrative_helpers import report, run, table


def test_share_of_the_wrong_base_is_a_mislabel() -> None:
    r = report(["本年支出合计29,085,952.04元。项目支出26,233,458.49元。",
                "共涉及资金27265300元，占本部门（单位）项目支出总额的93.74%。"], unit="元")
    hits = [f for f in run("mislabel", r) if f.stated == "93.74%"]
    assert len(hits) == 1 and hits[0].severity == "medium" and "本年支出合计" in hits[0].message


def test_share_without_part_that_is_the_base_share_of_the_total() -> None:
    r = report(["政府采购支出总额 148.39 万元，其中：政府采购货物支出 0.09 万元、政府采购服务支出 148.30 万元。"
                "货物采购授予中小企业合同金额占货物支出金额的0.06%。"])
    hits = [f for f in run("mislabel", r) if f.stated == "0.06%"]
    assert len(hits) == 1 and "148.39" in hits[0].message


def test_completion_of_a_zero_original_budget_is_a_mislabel() -> None:
    r = report(["财政拨款支出年初预算为 0 万元，全年预算为 321.02 万元，支出决算为 307.82 万元，完成年初预算的 95.89%。"])
    hits = [f for f in run("mislabel", r) if f.stated == "95.89%"]
    assert len(hits) == 1 and "321.02" in hits[0].message


def test_all_funds_amount_in_a_fiscal_paragraph() -> None:
    all_funds = table("T03", "支出决算表", ["科目", "本年支出合计"], [["213 农林水支出", "28542028.40"]], unit="元")
    fiscal = table("T05", "一般公共预算财政拨款支出决算表", ["科目", "合计"], [["213 农林水支出", "26722966.64"]], unit="元")
    r = report(["财政拨款支出情况如下：", "农林水支出年初预算3660300元，全年支出决算28542028.4元。"],
               (all_funds, fiscal), unit="元")
    hits = [f for f in run("mislabel", r) if "28542028.4" in f.stated]
    assert len(hits) == 1 and hits[0].expected == "26722966.64"


def test_indicator_code_differs_from_the_table() -> None:
    t = table("T11", "产出指标评分情况表", ["指标", "分值"], [["B31 惠及年度", "5"]], page=3)
    r = report(["（3）C31 惠及年度：按期完成。"], (t,))
    hits = run("mislabel", r)
    assert len(hits) == 1 and hits[0].stated == "C31" and hits[0].expected == "B31"


def test_matching_code_is_fine() -> None:
    t = table("T11", "产出指标评分情况表", ["指标", "分值"], [["B31 惠及年度", "5"]], page=3)
    assert run("mislabel", report(["（3）B31 惠及年度：按期完成。"], (t,))) == []


def test_households_for_a_headcount_in_a_table() -> None:
    t = table("T30", "项目支出绩效自评表", ["指标", "指标值", "实际完成值"], [["贴息人数", "≥2000人", "2655户"]])
    hits = run("unit", report([], (t,)))
    assert len(hits) == 1 and hits[0].stated == "2655户"


def test_money_for_a_headcount() -> None:
    t = table("T30", "项目支出绩效自评表", ["指标", "指标值"], [["带动脱贫人口数", "≥1820万元"]])
    assert [f.stated for f in run("unit", report([], (t,)))] == ["≥1820万元"]


def test_wan_yuan_sum_printed_as_yuan() -> None:
    r = report(["2021 年放贷 7392.1 万元、2022 年放贷 13281.70 万元，放贷资金超过 20673.80 元。"])
    hits = run("unit", r)
    assert len(hits) == 1 and "20673.80" in hits[0].stated


def test_consistent_units_raise_nothing() -> None:
    t = table("T30", "项目支出绩效自评表", ["指标", "指标值", "实际完成值"], [["资助学生人数", "≥1700人", "1734人"]])
    assert run("unit", report(["资助学生1734人，每人3000元。"], (t,))) == []


def test_stale_year_in_definitions() -> None:
    r = report(["第四部分名词解释", "(九)上年结转和结余：填列2024年全部结转和结余的资金数。",
                "(十)年末结转和结余：填列2023年年末结转的资金。"])
    hits = run("mislabel", r)
    assert [(f.stated, f.expected) for f in hits] == [("2024", "2022")]


def test_yuan_amount_under_wan_heading() -> None:
    t = table("T22", "项目支出绩效自评表", ["项目资金(万元)", "全年预算数", "全年执行数"],
              [["年度资金总额", "1,500,000.00", "1,429,500.00"], ["其中:当年财政拨款", "1,500,000.00", "1,429,500.00"]])
    r = report(["项目全年预算金额150万元，全年支出金额142.95万元。"], (t,))
    hits = run("unit", r)
    assert len(hits) == 1 and hits[0].stated == "1,500,000.00" and hits[0].expected == "150.00 万元"


def test_wan_heading_with_wan_values_is_fine() -> None:
    t = table("T22", "项目支出绩效自评表", ["项目资金(万元)", "全年预算数"], [["年度资金总额", "15000.00"]])
    assert run("unit", report(["项目全年预算金额15000万元。"], (t,))) == []


def _project_table(tid: str, name: str, amount: str) -> object:
    return table(tid, f"项目支出绩效自评表（{name}）", ["项目资金(万元)", "年初预算数", "全年预算数(A)", "全年执行数(B)"],
                 [["年度资金总额:", amount, amount, amount]])


def test_amount_of_another_project() -> None:
    t1 = _project_table("T26", "2021-2022年度雨露计划项目", "520.20")
    t2 = _project_table("T30", "2021-2022年脱贫人口小额贷款贴息", "382.9117")
    r = report(["2021-2022年脱贫人口小额贷款贴息项目全年预算金额520.20万元，全年支出金额520.20万元。",
                "2021-2022年度雨露计划项目全年预算金额520.20万元，全年支出金额520.20万元。"], (t1, t2))  # type: ignore[arg-type]
    hits = [f for f in run("mislabel", r)]
    assert len(hits) == 1 and "贴息" in hits[0].quote and "T26" in hits[0].message


def test_former_subject_name() -> None:
    t = table("T05", "一般公共预算财政拨款支出决算表", ["科目编码", "科目名称", "合计"], [["210", "卫生健康支出", "52.12"]])
    r = report(["医疗卫生与计划生育支出（类）年初预算数46.23万元，决算数52.12万元。"], (t,))
    hits = run("mislabel", r)
    assert [(f.verdict, f.expected) for f in hits] == [("inconsistent", "卫生健康支出")]


def test_self_evaluation_table_carrying_another_projects_target() -> None:
    from crossfoot.model import Block, Cell, Report, Table

    def t(tid: str, title: str, target: str) -> Table:
        rows = (("绩效指标", target, "实际完成值(B)"), ("产出指标", "数量指标", "1734人"))
        return Table(tid, None, title, None, (9,), (("一级指标", "年度指标值(A)", "实际完成值(B)"),),
                     tuple(tuple(Cell(x, 9) for x in r) for r in rows))

    own = t("T26", "项目支出绩效自评表（2021-2022年度雨露计划项目）", "资助雨露计划学生1734人,每人3000元")
    copied = t("T30", "项目支出绩效自评表（2021-2022年脱贫人口小额贷款贴息）", "资助雨露计划学生1734人,每人3000元")
    fixed = t("T30", "项目支出绩效自评表（2021-2022年脱贫人口小额贷款贴息）", "贴息贷款1200户")

    def hits(*tables: Table) -> list[str]:
        r = Report("x.pdf", "0" * 64, "决算", "某局", 2022, "万元", (), (Block(1, None, "说明"),), tables)
        return [f.stated for f in run("mislabel", r) if "names another project" in f.message]

    assert hits(own, copied) == ["资助雨露计划学生1734人,每人3000元"]
    assert hits(own, fixed) == []


def test_indicator_named_otherwise_than_its_table() -> None:
    t = table("T37", "表4-1服务对象满意度指标评分情况表", ["指标", "分值", "得分"], [["D11服务对象满意度", "10", "9"]], page=112)
    bad = report(["（1）D11参加培训人员满意度：服务对象满意度为90%。"], (t,))
    hits = [f for f in run("mislabel", bad) if f.expected == "服务对象满意度"]
    assert len(hits) == 1 and hits[0].stated == "参加培训人员满意度"
    ok = report(["（1）D11服务对象满意度：满意度为90%。"], (t,))
    assert [f for f in run("mislabel", ok) if f.expected == "服务对象满意度"] == []


def test_executed_amount_called_the_budget() -> None:
    paras = ["(1)资金预算情况", "兴县乡村振兴局2022年脱贫劳动力稳岗补助支出预算指标883.56万元。", "（2）资金执行情况",
             "兴县乡村振兴局2022年脱贫劳动力稳岗补助支出预算指标152.52万元，资助脱贫户、边缘检测户1271人，每人1200元。"]
    hits = [f for f in run("mislabel", report(paras)) if "reads as the amount executed" in f.message]
    assert len(hits) == 1 and "152.52" in hits[0].stated and "883.56" in hits[0].expected
    same = [*paras[:3], "兴县乡村振兴局2022年脱贫劳动力稳岗补助支出预算指标883.56万元，已全部支出。"]
    assert [f for f in run("mislabel", report(same)) if "reads as the amount executed" in f.message] == []


def test_executed_amount_called_the_budget_once_when_printed_twice() -> None:
    paras = ["(1)资金预算情况", "某局2022年稳岗补助支出预算指标883.56万元。", "（2）资金执行情况",
             "某局2022年稳岗补助支出预算指标152.52万元。"]
    hits = [f for f in run("mislabel", report(paras + paras)) if "reads as the amount executed" in f.message]
    assert len(hits) == 1
