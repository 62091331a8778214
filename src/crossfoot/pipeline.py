"""ingest -> model -> figures -> matches -> checks -> findings, in one call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from crossfoot.findings import FigureLink, Finding, sort_key
from crossfoot.model import Report
from crossfoot.samefault import merge_same_faults
from crossfoot.severity import assess
from crossfoot.textsafe import has_markers

if TYPE_CHECKING:
    # Imported when needed only: crossfoot.checks loads every check module, which a run whose findings
    # come from the findings cache never uses.
    from crossfoot.checks.context import Context

log = logging.getLogger(__name__)


class Analysis:
    """A report's findings; the checks' Context (figures, matches) is rebuilt on demand when not given."""

    __slots__ = ("_context", "failed_checks", "findings", "held_back", "links", "report")

    def __init__(self, report: Report, findings: tuple[Finding, ...], failed_checks: tuple[str, ...],
                 context: Context | None = None, held_back: tuple[Finding, ...] = (),
                 links: tuple[FigureLink, ...] = ()) -> None:
        self.report = report
        self.findings = findings
        self.failed_checks = failed_checks  # checks that raised: reported, never silently dropped
        # Problems resting on a table whose parse is uncertain: named in the report, not asserted.
        self.held_back = held_back
        self.links = links  # every narrative figure's link: holds, differs or unlinked
        self._context = context

    @property
    def context(self) -> Context:
        if self._context is None:
            from crossfoot.checks.context import Context

            self._context = Context(self.report)
        return self._context

    def __repr__(self) -> str:
        return (f"Analysis(report={self.report.path!r}, findings={len(self.findings)}, "
                f"failed_checks={self.failed_checks!r}, held_back={len(self.held_back)})")


def prepare() -> None:
    """What the first analyse() loads: every check module, the linker and the output writers. A cold
    `check` runs this while its page workers parse (crossfoot.ingest.load's `meanwhile`)."""
    import crossfoot.checks
    import crossfoot.matching.link
    import crossfoot.render  # noqa: F401


def analyse(report: Report, only: Iterable[str] | None = None,
            progress: Callable[[str], None] | None = None) -> Analysis:
    from crossfoot.checks import all_checks, check_functions
    from crossfoot.checks.context import Context

    ctx = Context(report)
    wanted = set(only) if only else None
    specs = all_checks()
    family = {s.id: s.family for s in specs}
    # Each check function runs once, whatever number of ids it emits; its findings are then taken id by id
    # in catalogue order, so an id reads the same whichever function found it.
    emitted: dict[str, list[tuple[Finding, str]]] = {}
    failed_ids: set[str] = set()
    for fn in check_functions():
        ids = [i for i in fn.ids if wanted is None or i in wanted]
        if not ids:
            continue
        if progress:
            progress(", ".join(sorted(ids, key=lambda i: (family[i], i))))
        try:
            for f in fn.fn(ctx):
                if wanted is None or f.check in wanted:
                    emitted.setdefault(f.check, []).append((f, family.get(f.check, family[fn.ids[0]])))
        except Exception:  # a bug in one check must not hide the others' findings
            log.exception("check %s failed", fn.name)
            failed_ids.update(ids)
    findings: list[Finding] = []
    seen: set[str] = set()
    unreadable = report.unreadable_pages()
    order = [s.id for s in specs] + sorted(emitted.keys() - family.keys())
    for check_id in order:
        for f, fam in emitted.get(check_id, ()):
            # A report-wide conclusion (a missing table, a total that disagrees with another table) may be
            # wrong when some pages could not be read: the evidence may be on them.
            partial = bool(unreadable) and fam in ("structural", "document")
            if has_markers(f.quote) or has_markers(f.stated):
                # The quote is not exactly what the PDF holds: controls were made visible at ingest.
                f = replace(f, message=f"{f.message} (the report's text here holds control characters, "
                            "shown as visible markers)")
            if partial and f.is_problem:
                f = replace(f, confidence="low", message=f"{f.message} (low confidence: pages "
                            f"{', '.join(map(str, unreadable))} could not be read)")
            # One severity policy for every check: by what is wrong, not by who saw it.
            f = assess(f)
            # Two checks may reach the same conclusion about the same quote; keep the first.
            if f.key not in seen:
                seen.add(f.key)
                findings.append(f)
    failed = [s.id for s in specs if s.id in failed_ids]
    findings = merge_same_faults(sorted(findings, key=sort_key))
    shaky = {t.id for t in report.tables if t.uncertain} | _unformed(report)
    held = [f for f in findings if f.is_problem and any(r.table in shaky for r in f.refs)]
    kept = [f for f in findings if not (f.is_problem and any(r.table in shaky for r in f.refs))]
    return Analysis(report, tuple(kept), tuple(failed), ctx, tuple(held), _links(ctx) if wanted is None else ())


def _links(ctx: Context) -> tuple[FigureLink, ...]:
    from crossfoot.matching.link import figure_links

    try:
        return figure_links(ctx)
    except Exception:  # a failing linker must not keep the findings from the reader
        log.exception("figure linking failed")
        return ()


def _unformed(report: Report) -> set[str]:
    """In a document of unknown kind, the tables no standard form fits: their totals and sections are
    read by generic rules made for public-finance tables, so problems resting on them are held back."""
    if report.kind != "unknown":
        return set()
    from crossfoot.knowledge.recognise import form_id

    return {t.id for t in report.tables if form_id(t) is None}


def analyse_cached(report: Report, *, use_cache: bool = True,
                   progress: Callable[[str], None] | None = None) -> Analysis:
    """analyse(report) over the whole catalogue, through the findings cache when use_cache.

    The cache is keyed on the report's sha256, the parser version, the model schema and the source of
    the core modules (crossfoot.cache.checks_version); a hit loads no check module at all.
    """
    if not use_cache or not _cacheable(report):
        return analyse(report, progress=progress)
    from crossfoot.cache import CachedFindings, cached_findings

    computed: list[Analysis] = []

    def compute() -> CachedFindings:
        a = analyse(report, progress=progress)
        computed.append(a)
        return CachedFindings(a.findings, a.failed_checks, a.held_back, a.links)

    got = cached_findings(report.sha256, compute)
    if computed:
        return computed[0]
    return Analysis(report, got.findings, got.failed_checks, None, got.held_back, got.links)


def _cacheable(report: Report) -> bool:
    s = report.sha256
    return len(s) == 64 and all(c in "0123456789abcdef" for c in s)
