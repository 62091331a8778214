from narrative_helpers import one, report, run, table

EXPENSES = table("T03", "支出决算表", ["项目", "本年支出合计", "基本支出", "项目支出"],
                 [["合计", "29085952.04", "2852493.55", "26233458.49"]], unit="元")


def test_amount_equal_to_its_cell() -> None:
    r = report(["项目支出26,233,458.49元，占比90.19%；"], (EXPENSES,), unit="元")
    f = one("narrative_vs_table", r, "26,233,458.49")
    assert f.verdict == "consistent" and f.refs[0].column.endswith("项目支出")


def test_amount_differing_from_its_cell_is_high() -> None:
    r = report(["基本支出543,923.64元，占比1.87%；"], (EXPENSES,), unit="元")
    f = one("narrative_vs_table", r, "543,923.64")
    assert f.verdict == "inconsistent" and f.severity == "high" and f.expected == "2852493.55"


def test_units_are_converted_before_comparing() -> None:
    r = report(["项目支出2623.35万元。"], (EXPENSES,), unit="万元")
    assert one("narrative_vs_table", r, "2623.35").verdict == "consistent"


def test_unrelated_label_is_not_compared() -> None:
    r = report(["差旅费26,105.00元。"], (EXPENSES,), unit="元")
    assert run("narrative_vs_table", r) == []


def test_budget_figure_not_compared_with_outturn_column() -> None:
    t = table("T05", "一般公共预算财政拨款支出决算表", ["科目", "一般公共预算财政拨款"], [["卫生健康支出", "52.12"]])
    r = report(["卫生健康支出年初预算数46.23万元，决算数52.12万元。"], (t,))
    assert [f.verdict for f in run("narrative_vs_table", r)] == ["consistent"]


def test_remainder_must_be_budget_minus_spent() -> None:
    r = report(["项目全年预算金额 193.50 万元，全年支出金额 193.50 万元，其余 193.50 万元已上交财政局。"])
    f = one("difference", r, "193.50")
    assert f.verdict == "inconsistent" and f.expected == "0.00"


def test_remainder_consistent() -> None:
    r = report(["项目全年预算金额 200.00 万元，全年支出金额 150.00 万元，其余 50.00 万元已上交财政局。"])
    assert one("difference", r, "50.00").verdict == "consistent"


def test_total_exceeded_by_its_item_and_rates_recomputed() -> None:
    r = report(["“三公”经费支出预算0.00元，支出决算0.00元，完成全年预算的0.00%，比上年度减少37,849.00元，下降100%。"
                "主要原因是压减支出。其中：",
                "公务接待费支出0.00元；", "公务用车运行维护费支出20,980.00元。", "（二）具体情况"], unit="元")
    diff = [f for f in run("difference", r) if f.verdict == "inconsistent"]
    assert len(diff) == 1 and diff[0].expected == "20980.00"
    g = one("growth_rate", r, "100%")
    assert g.verdict == "inconsistent" and "items add up" in g.message
    assert one("budget_completion", r, "0.00%").verdict == "inconsistent"


def test_item_list_ends_at_the_totals_next_sibling() -> None:
    # Jiangsu 2018 budget: "2．…其中：" lists (1) (2); "3．公务接待费…" is the next 三公 item, not a part.
    r = report(["2.公务用车购置及运行维护费预算支出156.60万元。其中：", "（1）公务用车购置费0万元，与上年数一致。",
                "（2）公务用车运行维护费156.60万元，与上年数一致。", "3.公务接待费预算支出412.50万元。"])
    assert [f for f in run("difference", r) if f.verdict == "inconsistent"] == []
    over = report(["2.公务用车购置及运行维护费预算支出156.60万元。其中：", "（1）公务用车购置费0万元。",
                   "（2）公务用车运行维护费166.60万元。", "3.公务接待费预算支出412.50万元。"])
    (f,) = [f for f in run("difference", over) if f.verdict == "inconsistent"]
    assert f.expected == "166.60"


def test_counts_against_the_row_naming_their_unit() -> None:
    t = table("T09", "三公经费支出决算表", ["项目", "决算数"],
              [["5.国内公务接待批次（个）", "53"], ["6.国内公务接待人次（人）", "373"]])
    ok = report(["全年国内公务接待 53 批，累计接待 373 人次。"], (t,))
    assert [f.verdict for f in run("narrative_vs_table", ok)] == ["consistent"]
    bad = report(["全年国内公务接待 52 批。"], (t,))
    f = one("narrative_vs_table", bad, "52")
    assert f.verdict == "inconsistent" and f.expected == "53"


_PROCUREMENT = "本部门2024年度政府采购金额（以合同签订为准）为{t}万元，其中：货物采购金额{t}万元。"
_SME = ("在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额{r}万元；"
        "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额{o}万元。")


def test_sme_won_in_other_projects_cannot_exceed_total_less_reserved() -> None:
    r = report([_PROCUREMENT.format(t="21.07"), _SME.format(r="21.07", o="21.07")])
    f = one("difference", r, "21.07万元")
    assert f.verdict == "inconsistent" and f.expected == "≤ 0.00" and "其他政府采购项目" in f.quote


def test_sme_won_split_that_fits_the_total_holds() -> None:
    r = report([_PROCUREMENT.format(t="50.00"), _SME.format(r="21.07", o="28.93")])
    assert one("difference", r, "28.93万元").verdict == "consistent"
    # only the rounding of the printed amounts explains it: not a problem
    r = report([_PROCUREMENT.format(t="50.0"), _SME.format(r="21.07", o="28.95")])
    assert one("difference", r, "28.95万元").verdict == "consistent"


def test_sme_split_without_a_procurement_total_is_not_checked() -> None:
    r = report(["面向中小企业预留政府采购项目预算金额21.07万元。", _SME.format(r="21.07", o="21.07")])
    assert [f for f in run("difference", r) if "21.07" in f.stated] == []


def test_truncated_amount_is_low_and_says_truncated() -> None:
    t = table("T1", "支出决算表", ["项目", "本年支出合计"], [["培训费", "123,456.78"]], unit="元")
    r = report(["本年培训费支出12.34万元。"], (t,))
    f = one("narrative_vs_table", r, "12.34")
    assert f.verdict == "inconsistent" and f.severity == "low" and "truncated" in f.message
    assert f.expected == "12.35" and f.refs
    # rounded as it should be: holds
    ok = report(["本年培训费支出12.35万元。"], (t,))
    assert one("narrative_vs_table", ok, "12.35").verdict == "consistent"


def test_amount_added_is_not_a_table_level() -> None:
    # Jiangsu 2018 budget: the reason names what was added, after the verb; the table prints levels.
    t = table("T1", "一般公共预算基本支出预算表", ["科目编码", "科目名称", "金额"],
              [["30109", "职业年金缴费", "530.72"], ["30108", "机关事业单位基本养老保险缴费", "1326.81"]])
    r = report(["主要原因是基本支出增加机关事业单位养老保险、职业年金缴费等1447.63万元。"], (t,))
    assert [f for f in run("narrative_vs_table", r) if "1447.63" in f.stated] == []
    level = report(["职业年金缴费支出540.72万元。"], (t,))
    assert one("narrative_vs_table", level, "540.72").verdict == "inconsistent"


def test_all_funds_total_broken_down_is_not_a_fiscal_quote() -> None:
    # putuo 2024 决算: the all-funds 本年收入合计 with its 财政拨款 part after it, and both tables printed.
    allf = table("T02", "收入支出决算总表", ["项目", "决算数"], [["本年收入合计", "2,946.25"]])
    fisc = table("T05", "财政拨款收入支出决算总表", ["项目", "决算数"], [["本年收入合计", "2,940.05"]])
    r = report(["本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他收入6.2万元。"], (allf, fisc))
    assert [f for f in run("mislabel", r) if "2946.25" in f.stated] == []
    fiscal_para = report(["财政拨款收支情况如下：", "本年收入合计2946.25万元。"], (allf, fisc))
    assert [f.expected for f in run("mislabel", fiscal_para) if "2946.25" in f.stated] == ["2,940.05"]
