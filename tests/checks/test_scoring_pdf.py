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


FONT = "STSong-Light"


def _grid(c, rows: list[list[str]], widths: list[int], left: float, top: float) -> None:  # type: ignore[no-untyped-def]
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [top - i * 22.0 for i in range(len(rows) + 1)]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.setFont(FONT, 8)
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            c.drawString(xs[j] + 2, ys[i] - 14, text)


def build(path: Path, split: bool = False, rows: list[list[str]] | None = None) -> Path:
    """The 自评表 on one page, or (split) its header and first rows at the foot of page 1 and the rest on
    page 2 without a header, as long tables are printed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = rows or ROWS
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, 12)
    c.drawString(60, 790, "二、项目支出绩效自评情况")
    c.drawString(60, 770, "职业技能培训项目绩效自评得分为16.5分，评价等级为“差”。")
    c.setFont(FONT, 13)
    top = 280.0 if split else 710.0
    c.drawCentredString(297, top + 20, "项目支出绩效自评表（职业技能培训项目）")
    if split:
        _grid(c, [HEAD, *body[:2]], WIDTHS, 40.0, top)
        c.showPage()
        _grid(c, body[2:], WIDTHS, 40.0, 800.0)
    else:
        _grid(c, [HEAD, *body], WIDTHS, 40.0, top)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module", params=[False, True], ids=["one page", "split over pages"])
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from crossfoot.ingest.pages import read_pdf

    return read_pdf(build(tmp_path_factory.mktemp("pdf") / "selfeval.pdf", request.param))


def test_drawn_table_rows_are_scored_by_their_own_rules(report) -> None:  # type: ignore[no-untyped-def]
    fs = {f.message.split(":")[0]: f for f in score_rule(Context(report))}
    assert fs["培训人次"].verdict == "inconsistent" and fs["培训人次"].expected == "2"
    assert "170人 / ≥200人 = 85%" in fs["培训人次"].message
    assert fs["验收合格率"].verdict == "consistent"
    assert fs["群众满意度"].verdict == "consistent"
    assert fs["问题发现次数"].verdict == "inconsistent" and fs["问题发现次数"].expected == "3"
    problems = [f for f in fs.values() if f.verdict == "inconsistent"]
    assert len(problems) == 2 and all(f.refs for f in problems)


def test_drawn_table_total_and_the_texts_score(report) -> None:  # type: ignore[no-untyped-def]
    fs = list(score_sum(Context(report)))
    assert any(f.stated == "16.5" and f.verdict == "consistent" and "7.5" in f.message for f in fs)  # table sum
    stated = [f for f in fs if f.message.startswith("the total score")]
    assert [(f.stated, f.verdict) for f in stated] == [("16.5", "consistent")]


def test_scoring_tables_side_by_side_are_read_each(tmp_path: Path) -> None:
    # Two category tables in one frame: each half adds up to its own 合计, none to the other's.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    from crossfoot.ingest.pages import read_pdf

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    path = tmp_path / "side.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(FONT, 13)
    c.drawCentredString(297, 760, "绩效评价指标评分表")
    _grid(c, [["产出指标", "分值", "得分", "效益指标", "分值", "得分"], ["培训人次", "10", "10", "就业率", "15", "12"],
              ["合格率", "10", "8", "满意度", "15", "15"], ["合计", "20", "18", "合计", "30", "25"]],
          [80, 40, 40, 80, 40, 40], 60.0, 740.0)
    c.showPage()
    c.save()
    fs = list(score_sum(Context(read_pdf(path))))
    got = sorted((f.stated, f.verdict, f.expected) for f in fs)
    # left: 10 + 8 = 18, 10 + 10 = 20; right: 12 + 15 = 27 against a printed 25, 15 + 15 = 30
    assert got == [("18", "consistent", "18"), ("20", "consistent", "20"), ("25", "inconsistent", "27"),
                   ("30", "consistent", "30")]
    bad = next(f for f in fs if f.verdict == "inconsistent")
    assert {r.col for r in bad.refs} == {5} and "18" not in bad.quote  # the right half's cells only


def test_an_actual_that_is_no_number_is_reported_as_not_checked(tmp_path: Path) -> None:
    from crossfoot.ingest.pages import read_pdf
    from crossfoot.pipeline import analyse
    from crossfoot.render import findings_text

    rows = [r[:] for r in ROWS]
    rows[2][3] = "较好"  # 群众满意度: a banded rule over an actual that is no number
    report = read_pdf(build(tmp_path / "unread.pdf", rows=rows))
    a = analyse(report, only=["score_rule"])
    (f,) = [f for f in a.findings if "群众满意度" in f.message]
    assert f.verdict == "unchecked" and f.severity == "none" and not f.is_problem
    assert "could not check" in f.message and "较好" in f.message
    head = findings_text(a, include_all=False).splitlines()[2]
    assert head.endswith("1 could not be checked") and "2 problems" in head
