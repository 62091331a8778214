"""Document checks: template placeholders left in, dates in another year, required tables missing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check
from crossfoot.findings import Finding
from crossfoot.knowledge import load_catalogue
from crossfoot.model import Report, Table
from crossfoot.structure import compact, sentence_around, table_kind

# ---- placeholders ------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[XＸ]{2,}|[x]{3,}|[×]{2,}|某某|[＊*]{3,})(?![A-Za-z])"
    r"|[（(](?:如持平作持平表述|不涉及的不列|制度名称|单位名称)[）)]")


@check("placeholder", family="document", severity="medium",
       doc="template placeholders left in the text or tables (XX局, XXX万元, 某某, （不涉及的不列）)")
def placeholder(ctx: Context) -> Iterable[Finding]:
    seen: set[str] = set()
    for b in ctx.report.blocks:
        hits = list(_PLACEHOLDER.finditer(b.text))
        if not hits:
            continue
        quote = sentence_around(b.text, hits[0].start(), hits[0].end())
        if quote in seen:
            continue
        seen.add(quote)
        marks = sorted({h.group(0) for h in hits})
        yield Finding(
            check="placeholder", severity="medium", verdict="inconsistent", page=b.page, quote=quote,
            stated=hits[0].group(0), expected="actual text",
            message=f"template placeholder{'s' if len(marks) > 1 else ''} left in: {'、'.join(marks)}")
    for t in ctx.report.tables:
        for i, row in enumerate(t.rows):
            for c in row:
                m = _PLACEHOLDER.search(c.text)
                if m:
                    yield Finding(
                        check="placeholder", severity="medium", verdict="inconsistent", page=c.page,
                        quote=" ".join(x.text.strip() for x in row if x.text.strip())[:120], stated=m.group(0),
                        expected="actual figure or name",
                        message=f"template placeholder left in table {t.title or t.id}, row {i + 1}: {c.text.strip()}")
                    break


# ---- year --------------------------------------------------------------------------------------------

_AS_OF = re.compile(r"截[至止]\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
_YEAR_TITLE = re.compile(r"(?P<y>\d{4})\s*年度?\s*(?:部门|单位)?\s*(?P<k>决算|预算)(?:公开|情况说明|表)?")


def report_kind(report: Report) -> str:
    """决算 or 预算, from the table titles when ingest could not tell."""
    titles = " ".join(t.title or "" for t in report.tables)
    js, ys = titles.count("决算"), titles.count("预算表") + titles.count("预算总表")
    if js or ys:
        return "决算" if js >= ys else "预算"
    return report.kind


def report_year(report: Report) -> int | None:
    if report.year is not None:
        return report.year
    years = [int(m.group("y")) for t in report.tables for m in _YEAR_TITLE.finditer(t.title or "")]
    return max(set(years), key=years.count) if years else None


@check("year", family="document", severity="medium",
       doc="a heading, table title or 截至 date in another year than the report's")
def year(ctx: Context) -> Iterable[Finding]:
    y = report_year(ctx.report)
    if y is None:
        return
    kind = report_kind(ctx.report)
    for b in ctx.report.blocks:
        if kind == "决算":
            for m in _AS_OF.finditer(b.text):
                # Holdings (车辆, 资产, 人员) are stated as of 31 December of the report year; a progress
                # date inside the year is something else, and a later one a follow-up.
                after = b.text[m.end():m.end() + 40]
                if not re.search(r"共有|车辆|资产|在职|人员|编制", after):
                    continue
                if int(m.group("y")) < y or (int(m.group("y")) == y and int(m.group("m")) != 12):
                    yield Finding(
                        check="year", severity="medium", verdict="inconsistent", page=b.page,
                        quote=sentence_around(b.text, m.start(), m.end()), stated=m.group(0),
                        expected=f"截至{y}年12月31日",
                        message=f"the {y} 决算 states its position as of {m.group(0)[2:]}, not the year end")
        for m in _YEAR_TITLE.finditer(b.text):
            if m.group("k") != kind or len(b.text) > 60 or re.search(r"比|较|相比|与|上年", b.text):
                continue  # only headings: a sentence may well name another year's accounts
            if int(m.group("y")) != y:
                yield Finding(
                    check="year", severity="medium", verdict="inconsistent", page=b.page, quote=b.text[:120],
                    stated=m.group(0), expected=f"{y}年度{kind}",
                    message=f"heading names {m.group('y')} in the {y} {kind}")
    for t in ctx.report.tables:
        for m in _YEAR_TITLE.finditer(" ".join(x for x in (t.title, *t.notes) if x)):
            if int(m.group("y")) != y and m.group("k") == kind:
                yield Finding(
                    check="year", severity="medium", verdict="inconsistent", page=t.pages[0],
                    quote=(t.title or "")[:120], stated=m.group(0), expected=f"{y}年度",
                    message=f"table {t.title or t.id} is dated {m.group('y')} in the {y} {kind}")


# ---- completeness ------------------------------------------------------------------------------------

def _required(kind: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The forms a disclosure of this kind must publish (forms.toml: a form whose `kinds` name it), as
    (form id, title as the template prints it, title words that name it)."""
    return tuple((f.id, f.name, f.titles) for f in load_catalogue().forms if kind in f.kinds)


_EMPTY_NOTE = re.compile(r"(?:无|没有|未安排|不涉及)[^。；]{0,30}?(?:收入|支出|经费|数据)|空表|本表无数据|此表为空")


def _all_blank(t: Table) -> bool:
    from crossfoot.structure import segments

    cols = {j for s in segments(t) for j in s.value_cols}
    return all((n := r[j].num) is None or n.value == 0 for r in t.rows for j in cols if j < len(r))


def _explained(report: Report, t: Table | None, words: tuple[str, ...]) -> bool:
    # The note may sit under the table, or be read as one of its rows.
    notes = " ".join([*t.notes, *(c.text for r in t.rows for c in r)]) if t is not None else ""
    if _EMPTY_NOTE.search(notes):
        return True
    pages = set(t.pages) if t is not None else set()
    for p in report.pages:
        if p.number in pages and _EMPTY_NOTE.search(compact(p.text)):
            return True
    key = [w for w in words if len(w) >= 2]
    for b in report.blocks:
        if _EMPTY_NOTE.search(b.text) and any(w[:6] in compact(b.text) for w in key):
            return True
    return False


@check("completeness", family="document", severity="medium",
       doc="the tables a 部门决算/预算 disclosure must publish are present, and empty ones carry their 空表说明")
def completeness(ctx: Context) -> Iterable[Finding]:
    yield from _completeness(ctx.report)


def _completeness(report: Report) -> Iterator[Finding]:
    kind = report_kind(report)
    required = _required(kind)
    if not required or len(report.tables) < 3:
        return
    text = compact(" ".join(p.text for p in report.pages))
    present: list[str] = []
    for tkind, title, words in required:
        tables = [t for t in report.tables if table_kind(t) == tkind]
        if not tables:
            if any(w in text for w in words):
                present.append(title)  # printed, but not read as a table (an image, or one line)
                continue
            yield Finding(
                check="completeness", severity="medium", verdict="inconsistent", page=None, quote=title,
                stated="missing", expected="present",
                message=f"the {kind} disclosure has no {title} (required by the catalogue's {kind} form list)")
            continue
        t = tables[0]
        if _all_blank(t) and not _explained(report, t, words):
            yield Finding(
                check="completeness", severity="low", verdict="inconsistent", page=t.pages[0],
                quote=(t.title or title)[:120], stated="empty", expected="figures or a 空表说明",
                message=f"{t.title or title} is printed empty without a note saying why")
            continue
        present.append(title)
    if len(present) == len(required):
        yield Finding(
            check="completeness", severity="none", verdict="consistent", page=None,
            quote=f"{kind} tables", stated=f"{len(present)}/{len(required)}", expected=f"{len(required)}",
            message=f"all {len(required)} required {kind} tables are present")
