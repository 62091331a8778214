"""The Markdown working paper (审计底稿): identity, summary counts, findings by page, review trail."""

from __future__ import annotations

from pathlib import Path

from crossfoot.findings import Finding
from crossfoot.render import VERDICT_MARK
from crossfoot.review.rows import ExportData, ExportRow, short_time, summary
from crossfoot.review.store import Review
from crossfoot.tables.trust import held_back_notes
from crossfoot.writers import incomplete_line, md_escape, refs_text

STATE_LABEL = {"open": "待定 open", "confirmed": "确认 confirmed", "dismissed": "排除 dismissed"}


def _cell(s: object) -> str:
    """Text safe inside a Markdown table cell: no HTML, no link, no table break, no control."""
    return md_escape(s)


def _inline(s: str) -> str:
    return md_escape(s)


def render_md(data: ExportData) -> str:
    r = data.report
    lines: list[str] = [f"# 审计底稿 Working paper: {_inline(r.department or Path(r.path).name)}", ""]
    if (line := incomplete_line(r)) is not None:
        lines += [f"**{line}**", ""]
    unreadable = ", ".join(map(str, r.unreadable_pages()))
    ident = [
        ("报告 Report", _cell(Path(r.path).name)),
        ("sha256", f"`{r.sha256}`"),
        ("单位 Department", _cell(r.department or "?")),
        ("年度 Year", str(r.year or "?")),
        ("类型 Kind", r.kind),
        ("页数 Pages", f"{r.n_pages}" + (f" (unreadable, not checked: {unreadable})" if unreadable else "")),
        ("表格 Tables", str(len(r.tables))),
        ("检查 Checks", "all ran" if not data.analysis.failed_checks
         else "failed to run: " + ", ".join(data.analysis.failed_checks)),
        ("未检查 Not checked", "; ".join(held_back_notes(r.tables, data.analysis.held_back)) or "none"),
        ("范围 Scope", "every finding (--all)" if data.include_all else "problems (inconsistent) only"),
        ("导出 Exported", f"{short_time(data.exported_at)} by {_cell(data.exported_by)} (crossfoot "
                        f"{_version()})"),
        ("复核库 Review database", _cell(data.review_db) if data.review_db else "none (nothing reviewed yet)"),
    ]
    if data.analysis.links:
        from crossfoot.findings import link_coverage

        c = link_coverage(data.analysis.links)
        ident.append(("勾稽 Links", f"{c['linked']} of {c['figures']} narrative figures tied to a cell "
                                   f"({c['held']} hold, {c['differed']} differ), {c['unlinked']} unlinked: not checked"))
    # Values from the report, the file system or a reviewer are escaped above; the rest is crossfoot's own.
    lines += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in ident), ""]

    s = summary(data)
    lines += ["## 汇总 Summary", "",
              "| verdict | n | | severity (problems) | n | | review | n |",
              "|---|---:|---|---|---:|---|---|---:|"]
    rows = [list(s["verdict"].items()), list(s["severity"].items()), list(s["review"].items())]
    for i in range(max(len(x) for x in rows)):
        cells: list[str] = []
        for col in rows:
            k, v = col[i] if i < len(col) else ("", "")
            cells += [str(k), str(v), ""]
        lines.append("| " + " | ".join(cells[:-1]) + " |")
    lines += ["", f"{s['source']['crossfoot']} crossfoot findings, {s['source']['manual']} added by reviewers, "
              f"{s['source']['stale']} stale decisions.", ""]

    found = data.of("crossfoot")
    lines += ["## 发现 Findings", ""]
    if not found:
        lines += ["No problems found." if not data.include_all else "Nothing checked.", ""]
    lines += _by_page(found)
    manual = data.of("manual")
    if manual:
        lines += ["## 复核人补充 Findings added by reviewers", "", *_by_page(manual)]
    stale = data.of("stale")
    if stale:
        lines += ["## 失效记录 Stale decisions", "",
                  "Decisions on findings this analysis no longer produces (the report or crossfoot changed). "
                  "Check them by hand.", ""]
        for row in stale:
            lines += [f"- `{row.key}`: {_review_line(row.review)}", *_notes(row.review, "  ")]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _by_page(rows: list[ExportRow]) -> list[str]:
    out: list[str] = []
    page: int | str | None = "-"
    for row in sorted(rows, key=lambda x: (x.finding.page or 0) if x.finding else 0):
        f = row.finding
        if f is None:
            continue
        if f.page != page:
            page = f.page
            out += [f"### 第 {page} 页 · page {page}" if page else "### 页码不明 · page unknown", ""]
        out += _finding(f, row.review)
    return out


def _finding(f: Finding, r: Review) -> list[str]:
    mark = VERDICT_MARK.get(f.verdict, "?")
    lines = [f"#### {mark} [{f.severity}] {f.check} · `{f.key}`", ""]
    if f.quote:
        lines += [f"> {_inline(f.quote)}", ""]
    if f.stated or f.expected:
        lines.append(f"- 所述 stated: **{_inline(f.stated or '—')}** · 复算 expected: **{_inline(f.expected or '—')}**"
                     + (" (low confidence)" if f.confidence == "low" else ""))
    if f.message:
        lines.append(f"- 算式 arithmetic: {_inline(f.message)}")
    if f.refs:
        lines.append(f"- 单元格 cells: {_inline(refs_text(f))}")
    lines.append(f"- 复核 review: {_review_line(r)}")
    lines += _notes(r, "")
    return [*lines, ""]


def _review_line(r: Review) -> str:
    text = STATE_LABEL.get(r.state, r.state)
    if r.reviewer:
        text += f" by {_inline(r.reviewer)}, {short_time(r.at)}"
    else:
        text += " (not yet reviewed)"
    if r.disputed:
        text += " — **disputed**: " + "; ".join(f"{_inline(w)} {s}" for w, s in sorted(r.by_reviewer.items()))
    return text


def _notes(r: Review, indent: str) -> list[str]:
    if not r.notes:
        return []
    return [f"{indent}- 备注 notes:",
            *(f"{indent}  - {_inline(n.reviewer)}, {short_time(n.at)}: {_inline(n.text)}" for n in r.notes)]


def _version() -> str:
    from crossfoot import __version__

    return __version__
