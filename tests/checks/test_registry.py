"""The registry: each finding id declared once, each check function registered with the ids it emits."""

from __future__ import annotations

import pytest
from narrative_helpers import report
from tests.conftest import load_sample

from crossfoot.checks import REGISTRY, all_checks, catalogue_markdown, check_functions, registry
from crossfoot.checks.context import Context
from crossfoot.findings import Finding
from crossfoot.pipeline import analyse

_SAMPLES = ("000.pdf", "003.pdf", "putuo-social-2024.pdf")


def test_catalogue_lists_each_emitted_id_exactly_once() -> None:
    emitted = {i for f in check_functions() for i in f.ids}
    ids = [s.id for s in all_checks()]
    assert sorted(ids) == sorted(set(ids)) == sorted(emitted)
    rows = catalogue_markdown().splitlines()[2:]
    assert sorted(r.split("`")[1] for r in rows) == sorted(ids)


def test_one_function_per_evaluation_registered_with_its_ids() -> None:
    by_id: dict[str, list[str]] = {}
    for f in check_functions():
        for i in f.ids:
            by_id.setdefault(i, []).append(f.name)
    rates = next(f for f in check_functions() if "growth_rate" in f.ids and "share" in f.ids)
    assert set(rates.ids) == {"growth_rate", "share", "budget_completion", "execution_rate", "mislabel"}
    amounts = next(f for f in check_functions() if "narrative_vs_table" in f.ids)
    assert set(amounts.ids) == {"narrative_vs_table", "mislabel"}
    # No function is registered twice, and every one runs once per report.
    names = [f.name for f in check_functions()]
    assert len(names) == len(set(names))
    assert by_id["mislabel"][:2] == [rates.name, amounts.name]


@pytest.mark.parametrize("name", _SAMPLES)
def test_no_finding_carries_an_id_its_function_did_not_declare(name: str) -> None:
    ctx = Context(load_sample(name))
    seen: set[str] = set()
    for f in check_functions():
        got: list[Finding] = list(f.fn(ctx))
        assert {x.check for x in got} <= set(f.ids), f.name
        seen |= {x.check for x in got}
    assert len(seen) > 5  # the samples do reach most checks: the assertion above is not vacuous


def test_selection_by_id_gives_that_ids_findings_of_the_full_run() -> None:
    rep = load_sample("003.pdf")
    full = analyse(rep)
    for wanted in ("share", "mislabel", "execution_rate"):
        only = analyse(rep, only=[wanted])
        got = only.findings + only.held_back
        assert got and {f.check for f in got} == {wanted}
        # The full run may merge one of them into another check's finding of the same fault, never more.
        assert {f.key for f in full.findings + full.held_back if f.check == wanted} <= {f.key for f in got}

def test_spec_fn_runs_every_function_emitting_the_id() -> None:
    r = report(["项目全年预算金额 200.00 万元，全年支出金额 150.00 万元，其余 50.00 万元已上交财政局。"])
    assert [f.check for f in REGISTRY["difference"].fn(Context(r))] == ["difference"]


def test_an_id_declared_twice_or_emitted_undeclared_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "REGISTRY", dict(registry.REGISTRY))
    monkeypatch.setattr(registry, "_DECLARED_BY", dict(registry._DECLARED_BY))
    monkeypatch.setattr(registry, "_FUNCTIONS", dict(registry._FUNCTIONS))

    def other(ctx: Context) -> list[Finding]:
        return []

    with pytest.raises(ValueError, match="registered twice"):
        registry.check("share", family="narrative", severity="medium", doc="again")(other)
    registry.emits("no_such_id")(other)
    with pytest.raises(ValueError, match="no_such_id"):
        registry.check_functions()
