"""The check catalogue: every finding id is declared once with a family, a severity and a doc line; a check
is a pure function registered with the ids it emits.

One evaluation may emit several ids (a rate claim ends as growth_rate, share, budget_completion,
execution_rate or mislabel): its check is registered with each of them, by stacking `@check` for the ids it
declares and `@emits` for ids another module declares, and runs once per report. One id may be emitted by
several checks (mislabel: rates, amounts, labels); the catalogue lists it once.
"""

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
    """One catalogue row: a finding id, its family, the severity it proposes and its one-line doc."""

    id: str
    family: str  # "narrative" | "structural" | "scoring" | "document"
    severity: Severity  # the usual severity of a problem it finds; a finding may set its own
    doc: str  # one line, shown in the catalogue and `crossfoot checks`

    @property
    def fn(self) -> CheckFn:
        """This id's findings alone: every check emitting it, run on the context, other ids left out."""
        return lambda ctx: run_check(ctx, self.id)


@dataclass(frozen=True)
class CheckFunction:
    """A registered check function and the ids it emits (catalogue order is not implied)."""

    name: str  # module.qualname: a re-imported module replaces its functions, it does not add to them
    fn: CheckFn
    ids: tuple[str, ...]


REGISTRY: dict[str, CheckSpec] = {}
_DECLARED_BY: dict[str, str] = {}  # id -> name of the function that declared it
_FUNCTIONS: dict[str, CheckFunction] = {}  # by name, in registration order


def _name(fn: CheckFn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _add(fn: CheckFn, ids: Iterable[str]) -> None:
    name = _name(fn)
    got = _FUNCTIONS.get(name)
    keep = got.ids if got is not None and got.fn is fn else ()  # another fn object: a re-imported module
    # Decorators apply bottom-up: prepend, so the ids read in source order.
    _FUNCTIONS[name] = CheckFunction(name, fn, tuple(i for i in ids if i not in keep) + keep)


def check(id: str, *, family: str, severity: Severity, doc: str) -> Callable[[CheckFn], CheckFn]:
    """Declare the finding id `id` and register the decorated function as emitting it. Stack several on one
    function for every id it declares; each id is declared once in the whole package."""

    def deco(fn: CheckFn) -> CheckFn:
        name = _name(fn)
        if id in REGISTRY and _DECLARED_BY[id] != name:
            raise ValueError(f"check id {id!r} registered twice")
        REGISTRY[id] = CheckSpec(id, family, severity, doc)
        _DECLARED_BY[id] = name
        _add(fn, (id,))
        return fn

    return deco


def emits(*ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as also emitting ids that another check declares (their catalogue row
    is that check's); `check_functions` fails on an id nobody declares."""

    def deco(fn: CheckFn) -> CheckFn:
        _add(fn, ids)
        return fn

    return deco


def check_functions() -> list[CheckFunction]:
    """Every registered function once, in the order the pipeline runs them.

    Functions emitting several ids (the shared evaluations) run first, then the single-id ones, each in
    registration order (the checks package imports its modules in name order): within one id, findings
    keep that order, so an id's list reads its evaluations' findings first, then its own check's.
    """
    undeclared = sorted({i for f in _FUNCTIONS.values() for i in f.ids} - REGISTRY.keys())
    if undeclared:
        raise ValueError(f"checks emit ids no check declares: {', '.join(undeclared)}")
    return sorted(_FUNCTIONS.values(), key=lambda f: len(f.ids) == 1)


def run_check(ctx: Context, check_id: str) -> list[Finding]:
    """The findings of one id on a context: every function emitting it, in pipeline order."""
    out: list[Finding] = []
    for f in check_functions():
        if check_id in f.ids:
            out.extend(x for x in f.fn(ctx) if x.check == check_id)
    return out
