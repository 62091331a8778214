"""The check catalogue: every check is a pure function registered with an id, a severity and a doc line."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crossfoot.findings import Finding, Severity

if TYPE_CHECKING:
    from crossfoot.checks.context import Context

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    id: str
    family: str  # "narrative" | "structural" | "scoring" | "document"
    severity: Severity  # the usual severity of a problem it finds; a finding may set its own
    doc: str  # one line, shown in the catalogue and `crossfoot checks`
    fn: CheckFn


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, *, family: str, severity: Severity, doc: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check. Ids are unique; the same id may not be registered twice."""

    def deco(fn: CheckFn) -> CheckFn:
        if id in REGISTRY and REGISTRY[id].fn is not fn:
            raise ValueError(f"check id {id!r} registered twice")
        REGISTRY[id] = CheckSpec(id, family, severity, doc, fn)
        return fn

    return deco
