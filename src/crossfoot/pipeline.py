"""ingest -> model -> figures -> matches -> checks -> findings, in one call."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crossfoot.checks.context import Context
from crossfoot.checks.registry import all_checks
from crossfoot.findings import Finding, sort_key
from crossfoot.model import Report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Analysis:
    report: Report
    findings: tuple[Finding, ...]
    failed_checks: tuple[str, ...]  # checks that raised: reported, never silently dropped
    context: Context
    # Problems resting on a table whose parse is uncertain: named in the report, not asserted.
    held_back: tuple[Finding, ...] = ()


def analyse(report: Report, only: Iterable[str] | None = None,
            progress: Callable[[str], None] | None = None) -> Analysis:
    ctx = Context(report)
    wanted = set(only) if only else None
    findings: list[Finding] = []
    failed: list[str] = []
    seen: set[str] = set()
    for spec in all_checks():
        if wanted is not None and spec.id not in wanted:
            continue
        if progress:
            progress(spec.id)
        try:
            for f in spec.fn(ctx):
                # Two checks may reach the same conclusion about the same quote; keep the first.
                if f.key not in seen:
                    seen.add(f.key)
                    findings.append(f)
        except Exception:  # a bug in one check must not hide the others' findings
            log.exception("check %s failed", spec.id)
            failed.append(spec.id)
    findings.sort(key=sort_key)
    shaky = {t.id for t in report.tables if t.uncertain}
    held = [f for f in findings if f.is_problem and any(r.table in shaky for r in f.refs)]
    kept = [f for f in findings if not (f.is_problem and any(r.table in shaky for r in f.refs))]
    return Analysis(report, tuple(kept), tuple(failed), ctx, tuple(held))
