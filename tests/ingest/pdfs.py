"""PDFs drawn with reportlab that reproduce layouts seen in published reports."""

from __future__ import annotations

from pathlib import Path

CJK = "STSong-Light"
LATIN = "Times-Roman"
SIZE = 12.0
LEFT = 72.0
RIGHT = 523.0


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def _is_latin(ch: str) -> bool:
    return ch.isascii()


def draw_split(c: object, x: float, y: float, text: str, shift: float = 2.5,
               width: float | None = None) -> float:
    """Draw text with its ASCII runs in Times-Roman on a baseline `shift` points off, as some
    report producers do; with `width`, justify the line to that width as word processors do.
    Returns the x after the text."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    runs: list[tuple[bool, str]] = []
    for ch in text:
        lat = _is_latin(ch)
        if runs and runs[-1][0] == lat and lat:
            runs[-1] = (lat, runs[-1][1] + ch)
        else:
            runs.append((lat, ch))
    natural = sum(stringWidth(r, LATIN if lat else CJK, SIZE) for lat, r in runs)
    extra = (width - natural) / max(len(runs) - 1, 1) if width else 0.0
    for lat, run in runs:
        font = LATIN if lat else CJK
        c.setFont(font, SIZE)  # type: ignore[attr-defined]
        c.drawString(x, y + (shift if lat else 0.0), run)  # type: ignore[attr-defined]
        x += stringWidth(run, font, SIZE) + extra
    return x


def build_split_font_pdf(path: Path) -> Path:
    """Two pages: a paragraph with digits in a separate font layer, one that runs over the page
    break, page numbers in the footer, and a ruled table with title, code and unit."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    # Page 1
    c.setFont(CJK, 16)
    c.drawString(LEFT, 780, "一、机关运行经费")
    draw_split(c, LEFT + 2 * SIZE, 750, "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。")
    draw_split(c, LEFT + 2 * SIZE, 734, "This line keeps its Latin words apart, then 中文继续。")
    # A paragraph whose lines fill the measure and run onto page 2.
    line1 = "本年收入合计1144.45万元，其中：财政拨款收入1144.45万元，占100.00%；"
    draw_split(c, LEFT + 2 * SIZE, 120, line1[:30], width=RIGHT - LEFT - 2 * SIZE)
    draw_split(c, LEFT, 104, line1[30:] + "其他收入0万元，其中专项收入0万元，占", width=RIGHT - LEFT)
    c.setFont(CJK, 10.5)
    c.drawCentredString(297, 40, "— 1 —")
    c.showPage()
    # Page 2
    draw_split(c, LEFT, 780, "0.00%。与上年相比增加12.30万元。")
    c.setFont(CJK, 14)
    c.drawCentredString(297, 720, "收入支出决算总表")
    c.setFont(CJK, 10.5)
    c.drawString(RIGHT - 60, 700, "公开 01 表")
    c.drawString(LEFT, 684, "部门：测试局")
    c.drawString(RIGHT - 100, 684, "金额单位：万元")
    xs = [LEFT, 250, 380, RIGHT]
    ys = [670, 650, 630, 610, 590]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    rows = [("项目", "本年收入合计", "本年支出"), ("合计", "1,144.45", "1,100.00"),
            ("一般公共预算财政拨款", "1,000.00", "900.00"), ("其他收入", "144.45", "200.00")]
    for r, row in enumerate(rows):
        for j, t in enumerate(row):
            draw_split(c, xs[j] + 4, ys[r] - 14, t, shift=0.0)
    c.setFont(CJK, 10.5)
    c.drawCentredString(297, 40, "— 2 —")
    c.showPage()
    c.save()
    return path


def _grid(c: object, xs: list[float], ys: list[float], skip_v: set[tuple[int, int]] = frozenset()) -> None:
    """Rules of a table: every horizontal line, and the vertical ones except (column, row) pairs
    in skip_v, which leaves merged cells."""
    for y in ys:
        c.line(xs[0], y, xs[-1], y)  # type: ignore[attr-defined]
    for j, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (j, r) not in skip_v:
                c.line(x, ys[r], x, ys[r + 1])  # type: ignore[attr-defined]


def build_tables_pdf(path: Path) -> Path:
    """Page 1: a ruled table whose header merges 科目编码 over 类/款/项 and wraps 本年收入合计
    inside its cell; page 2: its continuation repeating the header, no title; page 3: a table
    drawn with horizontal rules only."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    xs = [60.0, 100.0, 140.0, 180.0, 330.0, 400.0, 500.0]
    header_ys = [700.0, 680.0, 650.0]

    def header(top: float) -> list[float]:
        ys = [top, top - 20, top - 50]
        # 科目编码 spans 类/款/项 on the first header row; 科目名称 / 本年收入合计 / 基本支出 span both rows.
        skip = {(1, 0), (2, 0)}
        body = [ys[-1] - 20 * k for k in range(1, 4)]
        _grid(c, xs, ys + body, skip | {(j, 0) for j in ()})
        c.setFont(CJK, 10)  # type: ignore[attr-defined]
        c.drawString(xs[0] + 30, ys[0] - 14, "科目编码")  # type: ignore[attr-defined]
        for j, t in enumerate(("类", "款", "项")):
            c.drawString(xs[j] + 14, ys[1] - 18, t)  # type: ignore[attr-defined]
        c.drawString(xs[3] + 4, ys[0] - 30, "科目名称")  # type: ignore[attr-defined]
        c.drawString(xs[4] + 4, ys[0] - 24, "本年收入合")  # type: ignore[attr-defined]
        c.drawString(xs[4] + 4, ys[0] - 38, "计")  # type: ignore[attr-defined]
        c.drawString(xs[5] + 4, ys[0] - 30, "基本支出")  # type: ignore[attr-defined]
        return body

    def rows(body_top: float, data: list[tuple[str, ...]]) -> None:
        y = body_top
        for row in data:
            for j, t in enumerate(row):
                if t:
                    draw_split(c, xs[j] + 4, y - 15, t, shift=0.0)
            y -= 20

    c.setFont(CJK, 14)
    c.drawCentredString(297, 760, "一般公共预算财政拨款支出决算表")
    c.setFont(CJK, 10)
    c.drawString(470, 740, "公开05表")
    c.drawString(470, 720, "单位：元")
    _ = header_ys
    header(700.0)
    rows(650.0, [("", "", "", "合计", "1,627,645.33", "1,367,820.33"),
                 ("213", "05", "01", "行政运行", "1,367,820.33", "1,367,820.33")])
    c.drawCentredString(297, 40, "- 1 -")
    c.showPage()
    header(800.0)
    rows(750.0, [("213", "05", "02", "一般行政管理事务", "259,825.00", ""),
                 ("213", "05", "99", "其他支出", "0.00", "")])
    c.setFont(CJK, 10)
    c.drawCentredString(297, 40, "- 2 -")
    c.showPage()
    # Horizontal rules only: top, under the header, bottom.
    c.setFont(CJK, 14)
    c.drawCentredString(297, 760, "项目支出绩效自评表")
    c.setFont(CJK, 10)
    hx = [60.0, 200.0, 300.0, 400.0, 520.0]
    for y in (730.0, 705.0, 640.0):
        c.line(hx[0], y, hx[-1], y)
    for j, t in enumerate(("三级指标", "年度指标值", "分值", "得分")):
        c.drawString(hx[j] + 4, 713, t)
    data = [("出具核查报告份数", "≥2份", "10", "0"), ("核查报告合格率", "100%", "10", "10"),
            ("资金管理合格率", "100%", "15", "15")]
    for k, row in enumerate(data):
        for j, t in enumerate(row):
            draw_split(c, hx[j] + 4, 690 - 20 * k, t, shift=0.0)
    c.showPage()
    c.save()
    return path


def _ruled_rows(c: object, xs: list[float], top: float, rows: list[tuple[str, ...]], h: float = 20.0) -> float:
    """A ruled grid over `xs` with one text row per line of `rows`; returns the bottom rule's y."""
    ys = [top - h * k for k in range(len(rows) + 1)]
    _grid(c, xs, ys)
    c.setFont(CJK, 10)  # type: ignore[attr-defined]
    for r, row in enumerate(rows):
        for j, t in enumerate(row):
            if t:
                c.drawString(xs[j] + 4, ys[r] - 14, t)  # type: ignore[attr-defined]
    return ys[-1]


def build_orphans_pdf(path: Path) -> Path:
    """Orphaned captions and rows (issue 12, layout 5).

    Page 1: a titled table, then at the page foot the code, title and unit of the next table.
    Page 2: that table, with no caption of its own above it.
    Page 3: a titled table running to the page foot.
    Page 4: one frame holding the last rows of page 3's table (its 合计 row spread over merged cells)
    and, under a title row across the frame, a wider table with columns of its own.
    """
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(CJK, 14)
    c.drawCentredString(297, 780, "收入总表")
    c.setFont(CJK, 10)
    c.drawString(420, 760, "单位：万元")
    _ruled_rows(c, [60.0, 260.0, 400.0], 740.0, [("项目", "金额"), ("合计", "30.00"), ("财政拨款收入", "30.00")])
    c.setFont(CJK, 10)
    c.drawString(420, 150, "公开04表")
    c.setFont(CJK, 14)
    c.drawCentredString(297, 120, "基本支出表")
    c.setFont(CJK, 10)
    c.drawString(60, 100, "部门：某某局")
    c.drawString(420, 100, "单位：万元")
    c.showPage()
    _ruled_rows(c, [60.0, 160.0, 330.0, 460.0], 800.0,
                [("科目编码", "科目名称", "金额"), ("", "合计", "12.50"), ("301", "工资福利支出", "12.50")])
    c.showPage()
    c.setFont(CJK, 14)
    c.drawCentredString(297, 780, "项目支出表")
    c.setFont(CJK, 10)
    c.drawString(420, 760, "单位：万元")
    xs = [60.0, 200.0, 330.0, 460.0]
    body = [("项目", "类别", "金额")] + [(f"项目{k}", "专项", "1.00") for k in range(1, 31)]
    _ruled_rows(c, xs, 740.0, body)
    c.showPage()
    # The frame on page 4: rows of the table above in its own columns, 合计 merged over two.
    top = 800.0
    ys = [top, top - 20, top - 40]
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[1])
    for x in (xs[0], xs[2], xs[3]):
        c.line(x, ys[1], x, ys[2])
    c.setFont(CJK, 10)
    for j, t in enumerate(("项目31", "专项", "1.00")):
        c.drawString(xs[j] + 4, ys[0] - 14, t)
    c.drawString(xs[0] + 4, ys[1] - 14, "合计")
    c.drawString(xs[2] + 4, ys[1] - 14, "31.00")
    # A title row across a wider frame, then the next table on columns of its own.
    wide = [60.0, 180.0, 300.0, 420.0, 520.0]
    c.line(wide[0], ys[2], wide[-1], ys[2])
    c.line(wide[0], ys[2], wide[0], ys[2] - 30)
    c.line(wide[-1], ys[2], wide[-1], ys[2] - 30)
    c.setFont(CJK, 14)
    c.drawCentredString(290, ys[2] - 21, "支出分类表")
    _ruled_rows(c, wide, ys[2] - 30, [("项目", "类别", "本年", "上年"), ("合计", "", "8.00", "7.00"),
                                      ("办公费", "商品", "8.00", "7.00")])
    c.showPage()
    c.save()
    return path


def build_running_caption_pdf(path: Path, to_foot: bool = True) -> Path:
    """A form printed page after page with its issuer, title and unit repeated over each page like a
    running header; page 2's grid drops one inner column of page 1's. With `to_foot` false the first
    page's table ends mid-page (a complete table: the next one with the same title stands alone)."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    n_rows = 34 if to_foot else 8
    for page, xs in enumerate(([40.0, 200.0, 300.0, 420.0, 550.0], [40.0, 200.0, 420.0, 550.0])):
        c.setFont(CJK, 12)
        c.drawCentredString(297, 810, "某某市政府主计处")
        c.setFont(CJK, 16)
        c.drawCentredString(297, 790, "费用明细表")
        c.setFont(CJK, 10)
        c.drawString(470, 772, "单位：元")
        rows = [(*(f"{t}{page}{k}" for t in ("费用", "说明", "数量")[:len(xs) - 2]), f"{k + 1},000")
                for k in range(n_rows)]
        _ruled_rows(c, xs, 765.0, rows)
        c.showPage()
    c.save()
    return path


def _three_line_table(c: object, title: str, cols: tuple[float, ...], header: tuple[str, ...],
                      rows: list[tuple[str, ...]], bottom: float, step: float) -> float:
    """A titled table ruled above and below its header and under its body only (三线表), its cells drawn
    at the columns' left edges, empty ones left out. The height of the row after the last."""
    c.setFont(CJK, 14)  # type: ignore[attr-defined]
    c.drawCentredString(297, 790, title)  # type: ignore[attr-defined]
    c.setFont(CJK, 10)  # type: ignore[attr-defined]
    for y in (765.0, 740.0, bottom):
        c.line(60, y, 540, y)  # type: ignore[attr-defined]
    for x, t in zip(cols, header, strict=True):
        c.drawString(x, 749, t)  # type: ignore[attr-defined]
    for k, row in enumerate(rows):
        for x, t in zip(cols, row, strict=True):
            if t:
                c.drawString(x, 724 - step * k, t)  # type: ignore[attr-defined]
    return 724 - step * len(rows)


def build_total_below_pdf(path: Path) -> Path:
    """A 三线表 (rules above and below the header and under the body only) whose 合计 prints its
    amounts one line below the word 合计, in the amount columns, with nothing in the label column."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    rows = [("工资福利支出", "100.00", "90.00"), ("商品和服务支出", "50.00", "45.00"), ("合计", "", ""),
            ("", "150.00", "135.00"), ("对个人和家庭的补助", "8.00", "7.00")]
    _three_line_table(c, "基本支出决算表", (64.0, 300.0, 440.0), ("项目", "本年支出", "上年支出"), rows, 640.0, 16)
    c.drawString(460, 772, "单位：万元")
    c.showPage()
    c.save()
    return path


def build_spread_pdf(path: Path) -> Path:
    """A wide table over two facing pages: each page draws both halves of the spread, the other page's
    half past its own edge; the title and the caption row are cut between the halves."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    halves = (
        [("收支分类", "", ""), ("2026年度", "", ""), ("项目", "工资", "津贴"), ("合计", "10.00", "5.00"),
         ("一般公共服务", "10.00", "5.00")],
        [("综合表", "", ""), ("单位：万元", "", ""), ("房屋", "设备", "总计"), ("1.00", "2.00", "18.00"),
         ("1.00", "2.00", "18.00")],
    )

    def half(x0: float, rows: list[tuple[str, str, str]]) -> None:
        xs = [x0, x0 + 160, x0 + 340, x0 + 520]
        ys = [800.0 - 24 * k for k in range(len(rows) + 1)]
        for y in ys:
            c.line(xs[0], y, xs[-1], y)
        for x in xs:  # the title and caption rows span the half: no inner rules there
            c.line(x, ys[2], x, ys[-1])
        c.line(xs[0], ys[0], xs[0], ys[2])
        c.line(xs[-1], ys[0], xs[-1], ys[2])
        c.setFont(CJK, 10)
        for r, row in enumerate(rows):
            for j, t in enumerate(row):
                if t:
                    c.drawString(xs[j] + 4, ys[r] - 16, t)

    for page in range(2):
        offset = -595.0 * page
        half(40.0 + offset, halves[0])
        half(635.0 + offset, halves[1])
        c.showPage()
    c.save()
    return path


def build_unruled_body_pdf(path: Path) -> Path:
    """A frame with every column rule drawn but no rule between body rows: the body is one grid row.
    One label wraps onto a second line (its amounts on the first)."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont(CJK, 14)
    c.drawCentredString(297, 790, "支出预算表")
    c.setFont(CJK, 10)
    c.drawString(460, 772, "单位：千元")
    xs = [60.0, 260.0, 400.0, 540.0]
    for y in (765.0, 740.0, 620.0):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, 765, x, 620)
    for x, t in zip(xs, ("科目", "本年度", "上年度"), strict=False):
        c.drawString(x + 4, 749, t)
    body = [("合计", "300", "280"), ("人员维持费", "200", "190"), ("基本行政工作", "100", "90"), ("维持费", "", ""),
            ("第一预备金", "-", "-")]
    for k, row in enumerate(body):
        for x, t in zip(xs, row, strict=False):
            if t:
                c.drawString(x + 4, 724 - 16 * k, t)
    c.showPage()
    c.save()
    return path


def build_centred_total_pdf(path: Path) -> Path:
    """A scoring table drawn with horizontal rules only whose 总分 row prints its label centred over
    the three label columns, as a ruled table's merged cell would; above it a row whose first two
    label cells are left empty (the labels above reach down) and whose own label starts its column."""
    from reportlab.pdfgen import canvas

    _fonts()
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    cols = (64.0, 164.0, 264.0, 404.0, 474.0)
    rows = [("产出指标", "数量指标", "培训人数", "20", "18"), ("", "", "培训场次", "20", "20"),
            ("效益指标", "社会效益", "群众满意度", "50", "45")]
    y = _three_line_table(c, "项目支出绩效自评表", cols, ("一级指标", "二级指标", "三级指标", "分值", "得分"), rows,
                          620.0, 18)
    c.drawCentredString((60 + 400) / 2, y, "总分")
    c.drawString(cols[3], y, "90")
    c.drawString(cols[4], y, "83")
    c.showPage()
    c.save()
    return path
