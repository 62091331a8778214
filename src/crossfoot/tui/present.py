"""Text the panes show: marked narrative blocks, table cells and the detail panel's evidence."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from crossfoot.findings import Finding
from crossfoot.model import Table
from crossfoot.tui.state import MARK_WORDS, SYMBOL, CellKey, Hit, ReviewState

# Bold/underline survive NO_COLOR and 16-colour terminals; the symbol carries the verdict regardless.
MARK_STYLE: dict[str, str] = {
    "inconsistent": "bold $error",
    "rounding": "$warning",
    "consistent": "$success",
    "unmatched": "italic $text-muted",
    "unchecked": "$text-muted",
}
SEV_STYLE: dict[str, str] = {"high": "bold $error", "medium": "$warning", "low": "$text", "none": "$text-muted"}
# DataTable cells are Rich text, which has no theme variables: plain ANSI names follow the terminal palette.
RICH_MARK_STYLE: dict[str, str] = {
    "inconsistent": "bold red",
    "rounding": "yellow",
    "consistent": "green",
    "unmatched": "italic",
    "unchecked": "dim",
}
RICH_SEV_STYLE: dict[str, str] = {"high": "bold red", "medium": "yellow", "low": "", "none": "dim"}
SELECTED = "reverse bold"
SEARCH_HIT = "underline bold"


def mark_label(mark: str | None) -> Content:
    if mark is None:
        return Content("·")
    return Content.styled(SYMBOL[mark], MARK_STYLE[mark])


def block_content(st: ReviewState, b: int, cursor: int | None, hits: list[Hit]) -> Content:
    """A narrative block with its figures marked (style + symbol) and search hits underlined."""
    text = st.report.blocks[b].text
    parts: list[Content] = []
    pos = 0
    for fig in st.figures_in_block(b):
        if fig.start < pos or fig.end > len(text):
            continue  # overlapping or stale offsets: leave the text as printed rather than garble it
        mark = st.figure_mark(fig.index)
        style = MARK_STYLE[mark] + f" @click=screen.select_figure({fig.index})"
        if fig.index == cursor:
            style = SELECTED + " " + style
        parts.append(Content(text[pos:fig.start]))
        parts.append(Content.styled(text[fig.start:fig.end], style))
        parts.append(Content.styled(SYMBOL[mark], MARK_STYLE[mark]))
        pos = fig.end
    parts.append(Content(text[pos:]))
    content = Content("").join(parts)
    if hits:
        content = _underline_hits(text, content, st, b, hits)
    return content


def _underline_hits(text: str, content: Content, st: ReviewState, b: int, hits: list[Hit]) -> Content:
    # Offsets in the content are shifted by one for each symbol inserted before them.
    starts = sorted(f.end for f in st.figures_in_block(b))
    for h in hits:
        if h.kind != "block" or h.block != b:
            continue
        shift_s = sum(1 for e in starts if e <= h.start)
        shift_e = sum(1 for e in starts if e < h.end)
        content = content.stylize(SEARCH_HIT, h.start + shift_s, h.end + shift_e)
    return content


def cell_text(st: ReviewState, table: Table, r: int, c: int, evidence: set[CellKey],
              hits: set[CellKey]) -> Text:
    """A table cell for the DataTable (which renders Rich text): value, then the verdict symbol."""
    text = table.rows[r][c].text
    key = (table.id, r, c)
    mark = st.cell_mark(key)
    out = Text(text, no_wrap=True)
    if mark is not None:
        out.stylize(RICH_MARK_STYLE[mark])
        out.append(SYMBOL[mark], RICH_MARK_STYLE[mark])
    if key in evidence:
        out.stylize("bold underline")
    if key in hits:
        out.stylize("underline")
    return out


def table_title(table: Table) -> str:
    name = " ".join(x for x in (table.code, table.title) if x) or table.id
    return name


def _cell_line(st: ReviewState, key: CellKey) -> Content:
    t = st.report.table(key[0])
    if t is None or key[1] >= len(t.rows) or key[2] >= t.n_cols:
        return Content(f"{key[0]} r{key[1]} c{key[2]} (not in the parsed tables)")
    cell = t.rows[key[1]][key[2]]
    return Content.assemble(
        (table_title(t), "bold"), " · ", (t.row_label(key[1]) or f"row {key[1] + 1}", ""), " · ",
        t.column_label(key[2]), " · ", (cell.text or "(blank)", "bold"), f" · p{cell.page}",
    )


def finding_detail(st: ReviewState, i: int, state_line: str = "") -> Content:
    f = st.findings[i]
    lines: list[Content] = [
        Content.assemble(mark_label(f.verdict), " ", (f.verdict, "bold"), " — ", MARK_WORDS.get(f.verdict, ""),
                         " · ", (f.severity, SEV_STYLE[f.severity]), f" · {f.check}",
                         f" · p{f.page}" if f.page else "",
                         " · low confidence" if f.confidence == "low" else ""),
    ]
    if state_line:
        lines.append(Content.styled(state_line, "italic"))
    lines += [
        Content(f"“{f.quote}”"),
        Content.assemble(("stated      ", "$text-muted"), (f.stated, "bold")),
        Content.assemble(("recomputed  ", "$text-muted"), (f.expected or "—", "bold")),
        Content.assemble(("arithmetic  ", "$text-muted"), f.message),
    ]
    if f.refs:
        lines.append(Content.styled(f"cells used ({len(f.refs)})", "$text-muted"))
        lines += [Content.assemble("  ", _cell_line(st, (r.table, r.row, r.col))) for r in f.refs]
    figs = st.finding_figs.get(i, [])
    if figs:
        lines.append(Content.styled("narrative", "$text-muted"))
        for k in figs:
            fig = st.figure(k)
            if fig is not None:
                lines.append(Content(f"  p{fig.page} {fig.text} — {fig.label}"))
    if f.refs or figs:
        where = "the cell" if f.refs else "the narrative"
        lines.append(Content.styled(f"enter: go to {where} · backspace: back", "$text-muted"))
    return Content("\n").join(lines)


def finding_text(st: ReviewState, i: int) -> str:
    """A finding as plain text for the clipboard: its id and evidence, none of the pane's key hints."""
    f = st.findings[i]
    lines = [f"id: {f.key}",
             f"{f.check} · {f.verdict} · {f.severity}" + (" · low confidence" if f.confidence == "low" else "")
             + (f" · p{f.page}" if f.page else ""),
             f"quote: {f.quote}", f"stated: {f.stated}", f"recomputed: {f.expected or '—'}",
             f"arithmetic: {f.message}"]
    lines += [f"cell: {_cell_line(st, (r.table, r.row, r.col)).plain}" for r in f.refs]
    return "\n".join(lines)


def figure_detail(st: ReviewState, k: int) -> Content:
    fig = st.figure(k)
    if fig is None:
        return Content("")
    mark = st.figure_mark(k)
    lines = [
        Content.assemble(mark_label(mark), " ", (fig.text, "bold"), " — ", MARK_WORDS[mark], f" · p{fig.page}"),
        Content.assemble(("indicator ", "$text-muted"), fig.label or "?",
                         f" ({fig.relation})" if fig.relation else ""),
        Content.assemble(("sentence  ", "$text-muted"), fig.sentence),
    ]
    m = st.matches.get(k)
    if m is None:
        lines.append(Content.styled("no table cell matched this figure", "italic"))
    else:
        lines.append(Content.assemble(("matched   ", "$text-muted"), f"score {m.score:.0f}"))
        lines.append(Content.assemble("  ", _cell_line(st, (m.best.table, m.best.row, m.best.col))))
        if m.runners_up:
            lines.append(Content.styled("runners-up", "$text-muted"))
            for ref, score in m.runners_up[:5]:
                lines.append(Content.assemble(f"  {score:3.0f} ", _cell_line(st, (ref.table, ref.row, ref.col))))
    for i in st.fig_findings.get(k, []):
        f = st.findings[i]
        lines.append(Content.assemble(mark_label(f.verdict), f" {f.check}: ", f.message))
    if m is not None:
        lines.append(Content.styled("enter: go to the matched cell", "$text-muted"))
    return Content("\n").join(lines)


def cell_detail(st: ReviewState, key: CellKey) -> Content:
    lines = [_cell_line(st, key)]
    mark = st.cell_mark(key)
    if mark:
        lines.append(Content.assemble(mark_label(mark), " ", MARK_WORDS[mark]))
    uses = st.cell_figs.get(key, [])
    lines.append(Content.styled(f"used in the narrative ({len(uses)})", "$text-muted"))
    for k in uses:
        fig = st.figure(k)
        if fig is not None:
            lines.append(Content.assemble("  ", mark_label(st.figure_mark(k)), f" p{fig.page} {fig.text} ",
                                          (fig.sentence[:60], "$text-muted")))
    for i in st.cell_findings.get(key, []):
        f: Finding = st.findings[i]
        lines.append(Content.assemble("  ", mark_label(f.verdict), f" {f.check} p{f.page}: {f.message}"))
    if uses:
        lines.append(Content.styled("enter: go to the narrative", "$text-muted"))
    return Content("\n").join(lines)
