"""End to end on a drawn PDF: a 自评表 whose rows print their own 评分标准 (bands, deductions) is parsed and
each score is checked against its row's rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from crossfoot.checks.context import Context
from crossfoot.checks.scoring import score_rule, score_sum

BANDED = "95%以上得3分；80%（含）-95%得2分；80%以下不得分"
HEAD = ["一级指标", "三级指标", "年度指标值", "实际完成值", "分值", "评分标准", "得分"]
ROWS = [
    ["产出指标", "培训人次", "≥200人", "170人", "3", BANDED, "3"],  # 170/200 = 85%: the rule gives 2
    ["产出指标", "验收合格率", "≥95%", "90%", "10", "每降低1%扣0.5分", "7.5"],
    ["效益指标", "群众满意度", "≥95%", "85%", "3", BANDED, "2"],
    ["效益指标", "问题发现次数", "0次", "2次", "5", "每发现一次扣1分，扣完为止", "4"],  # 2 × 1 off 5 → 3
    ["总分", "", "", "", "21", "", "16.5"],
]
WIDTHS = [55, 75, 55, 50, 30, 235, 30]


def build(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(font, 12)
    c.drawString(60, 790, "二、项目支出绩效自评情况")
    c.drawString(60, 770, "职业技能培训项目绩效自评得分为16.5分，评价等级为“差”。")
    c.setFont(font, 13)
    c.drawCentredString(297, 730, "项目支出绩效自评表（职业技能培训项目）")
    xs = [40.0]
    for w in WIDTHS:
        xs.append(xs[-1] + w)
    top, height = 710.0, 22.0
    rows = [HEAD, *ROWS]
    ys = [top - i * height for i in range(len(rows) + 1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.setFont(font, 8)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            c.drawString(xs[j] + 2, ys[i] - 14, text)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crossfoot.ingest.pdf import read_pdf

    return read_pdf(build(tmp_path_factory.mktemp("pdf") / "selfeval.pdf"))


def test_drawn_table_rows_are_scored_by_their_own_rules(report) -> None:  # type: ignore[no-untyped-def]
    fs = {f.message.split(":")[0]: f for f in score_rule(Context(report))}
    assert fs["培训人次"].verdict == "inconsistent" and fs["培训人次"].expected == "2"
    assert "170人 / ≥200人 = 85%" in fs["培训人次"].message
    assert fs["验收合格率"].verdict == "consistent"
    assert fs["群众满意度"].verdict == "consistent"
    assert fs["问题发现次数"].verdict == "inconsistent" and fs["问题发现次数"].expected == "3"
    problems = [f for f in fs.values() if f.verdict == "inconsistent"]
    assert len(problems) == 2 and all(f.page == 1 and f.refs for f in problems)


def test_drawn_table_total_and_the_texts_score(report) -> None:  # type: ignore[no-untyped-def]
    fs = list(score_sum(Context(report)))
    assert any(f.stated == "16.5" and f.verdict == "consistent" and "7.5" in f.message for f in fs)  # table sum
    stated = [f for f in fs if f.message.startswith("the total score")]
    assert [(f.stated, f.verdict) for f in stated] == [("16.5", "consistent")]
