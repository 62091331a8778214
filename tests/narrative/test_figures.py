from decimal import Decimal

from crossfoot.model import Block, Report
from crossfoot.narrative.claims import build_claims, itemised_totals
from crossfoot.narrative.figures import extract_figures, quote_around


def _report(*paragraphs: str) -> Report:
    return Report("x.pdf", "0" * 64, "决算", None, 2023, "万元", (),
                  tuple(Block(1, None, p) for p in paragraphs), ())


def test_amount_change_and_growth_with_units_and_precision() -> None:
    r = _report("本部门 2023 年度本年支出合计 1,144.45 万元，比上年增加 288.84 万元，增长 33.76%。")
    figs = extract_figures(r)
    assert [f.text for f in figs] == ["1,144.45 万元", "288.84 万元", "33.76%"]
    total, change, rate = figs
    assert total.num.value == Decimal("1144.45") and total.num.decimals == 2 and total.num.unit == "万元"
    assert total.label == "本年支出合计" and total.relation is None
    assert change.relation == "change" and change.sign == 1
    assert rate.relation == "growth_rate" and rate.label == "本年支出合计"


def test_decrease_signs_and_share_base() -> None:
    figs = extract_figures(_report("财政拨款支出减少81,200,040.70元，下降74.86%；占本年支出合计的93.75%。"))
    assert figs[0].sign == -1 and figs[1].sign == -1 and figs[1].relation == "growth_rate"
    assert figs[2].relation == "share" and figs[2].base == "本年支出合计"


def test_years_codes_phones_and_ordinals_are_not_figures() -> None:
    text = "（1）根据2023年12月31日统计，科目2130501，电话07978888888，第3次会议，1.工作经费5万元。"
    figs = extract_figures(_report(text))
    assert [f.text for f in figs] == ["5万元"]
    assert figs[0].label == "工作经费"


def test_level_tags_and_full_width_ordinals_are_not_figures() -> None:
    # Real lines: a 科目 paragraph of a 预算 report and a numbered item set with a full-width point.
    text = ("社会保障和就业支出（208类）行政事业单位养老支出（05款）行政单位离退休（01项）56.12万元。"
            "1．因公出国（境）费预算支出222.5万元，与上年预算数持平。")
    figs = extract_figures(_report(text))
    assert [f.text for f in figs] == ["56.12万元", "222.5万元"]
    # a count of 项 is still a figure
    assert [f.text for f in extract_figures(_report("共安排项目12项。"))] == ["12项"]


def test_numbering_and_level_marks_stripped_from_label() -> None:
    figs = extract_figures(_report("（一）社会保障和就业支出（类）10.82 万元，占 3.52%"))
    assert figs[0].label == "社会保障和就业支出（类）"
    assert figs[1].relation == "share" and figs[1].label == "社会保障和就业支出（类）"


def test_budget_actual_completion() -> None:
    figs = extract_figures(_report("卫生健康支出年初预算数46.23万元，决算数52.12万元，完成年初预算的112.75%。"))
    assert [f.relation for f in figs] == ["budget", "actual", "completion"]
    assert figs[1].label == "卫生健康支出" and figs[2].base == "年初预算"


def test_quote_is_the_sentence_centred_on_the_figure() -> None:
    long = "说明" * 80 + "基本支出764.89万元，占66.83%。"
    r = _report(long)
    f = extract_figures(r)[-1]
    q = quote_around(f, r)
    assert len(q) <= 120 and "66.83%" in q


def test_claims_tie_rates_to_their_amounts() -> None:
    r = _report("本年支出合计 307.82 万元，其中：基本支出 105.58 万元，占 34.30%；项目支出 202.24 万元，占 65.70%。")
    figs = extract_figures(r)
    claims = build_claims(r, figs)
    shares = [c for c in claims if c.kind == "share"]
    assert [c.operands[0].text for c in shares] == ["105.58 万元", "202.24 万元"]
    assert all(c.base is not None and c.base.text == "307.82 万元" for c in shares)
    assert any(c.kind == "share_sum" for c in claims)


def test_growth_amount_from_previous_sentence() -> None:
    r = _report("收入支出总计307.82万元。与2023年度相比，收入支出总计增加307.82万元，增长100.00%。")
    claims = build_claims(r, extract_figures(r))
    g = next(c for c in claims if c.kind == "growth_rate")
    assert g.operands[0].text == "307.82万元" and g.operands[0].sentence_id != g.stated.sentence_id


def test_itemised_total_after_explanation() -> None:
    r = _report("“三公”经费支出决算0.00元，比上年减少5.00元。主要原因是压减。其中：",
                "公务接待费支出0.00元；", "公务用车运行维护费支出20.00元。", "（二）其他说明")
    totals = itemised_totals(r, extract_figures(r))
    assert len(totals) == 1
    total, items = totals[0]
    assert total.text == "0.00元" and [i.text for i in items] == ["0.00元", "20.00元"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(["本年支出合计", "增加", "减少", "增长", "下降", "占", "的", "其中：", "，", "。", "；",
                           "万元", "元", "%", "人", "户", "2023年", "年初预算数", "决算数", "完成年初预算的",
                           "（一）", "1.", " ", "0.00", "12.5", "1,144.45", "7", "100", "—"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_extraction_never_fails_and_offsets_point_at_the_number(pieces: list[str]) -> None:
    text = "".join(pieces)
    r = _report(text)
    figs = extract_figures(r)
    for f in figs:
        printed = text[f.start:f.end]
        assert printed.replace(",", "").startswith(str(f.num.value).split(".")[0].lstrip("-") or "0")
        assert len(quote_around(f, r)) <= 120
    build_claims(r, figs)


def test_table_of_contents_page_numbers_are_not_figures() -> None:
    lines = ["目录", "第一部分概况1", "一、部门主要职责……3", "二、机构设置情况..... 4", "第二部分 部门决算表\t5",
             "（一）收入支出决算总表·····6"]
    # One block a line (PDF) or the whole contents in one block (text exports): no page number is a figure.
    assert extract_figures(_report(*lines)) == []
    assert extract_figures(_report("\n".join(lines))) == []
    # A contents page going on without its 目录 title: the leader entries anchor the bare ones.
    assert extract_figures(_report("十、其他重要事项情况说明..... 19", "第四部分名词解释 25", "第五部分附件25")) == []


def test_whole_numbers_ending_a_line_outside_contents_stay_figures() -> None:
    # No 目录 and no leader: a heading ending in a count is text, not a contents entry.
    figs = extract_figures(_report("一、机构设置情况", "本单位内设机构 3", "收入总计1000万元，支出总计1000万元。"))
    assert [f.text for f in figs] == ["3", "1000万元", "1000万元"]
    # A figure inside a contents run that carries a unit or decimals is not a page number.
    figs = extract_figures(_report("目录", "一、收入决算表..... 2", "收入总计 12.50"))
    assert [f.text for f in figs] == ["12.50"]
    # After the contents, the narrative's figures are read as usual.
    figs = extract_figures(_report("目录", "第一部分概况1", "本部门2023年度收入总计1144.45万元，比上年增加288.84万元。"))
    assert [f.text for f in figs] == ["1144.45万元", "288.84万元"]


def test_clause_begun_before_a_page_break() -> None:
    # putuo 2024 决算: "…缴费支出（项）。主要用于：…。年初预算为" | page break | "161.62万元，支出决算为160.75万元。"
    from crossfoot.model import Block, Report
    from crossfoot.narrative.figures import extract_figures

    blocks = (Block(21, None, "6、机关事业单位基本养老保险缴费支出（项）。主要用于：在职人员的基本养老保险支出。年初预算为"),
              Block(22, None, "161.62万元，支出决算为160.75万元。"))
    figs = extract_figures(Report("x.pdf", "0" * 64, "决算", None, 2024, "万元", (), blocks, ()))
    assert [(f.text, f.relation) for f in figs] == [("161.62万元", "budget"), ("160.75万元", "actual")]
    ended = (Block(21, None, "主要用于：在职人员的基本养老保险支出。"), blocks[1])
    figs = extract_figures(Report("x.pdf", "0" * 64, "决算", None, 2024, "万元", (), ended, ()))
    assert figs[0].relation is None
