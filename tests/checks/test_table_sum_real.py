"""table_sum on real budget reports whose grouped, gapped and uncoded tables were misread as false sums
(read against the rendered pages: their totals hold)."""

from __future__ import annotations

import pytest
from tests.conftest import SHARED

from crossfoot.checks.context import Context
from crossfoot.checks.table_sum import table_sum

CORPUS = SHARED / "corpus" / "unlabeled"


@pytest.mark.parametrize("name", ["jiangsu-court-2018-dept-budget.pdf", "jiangsu-cppcc-2018-dept-budget-tables.pdf",
                                  "jiangsu-npc-2017-dept-budget.pdf"])
def test_no_false_sums_on_grouped_budget_tables(name: str) -> None:
    if not (CORPUS / name).exists():
        pytest.skip(f"corpus file {name} not available")
    from crossfoot.ingest import load

    report = load(CORPUS / name)
    wrong = [f for f in table_sum(Context(report)) if f.verdict == "inconsistent"]
    assert wrong == [], [f.message for f in wrong]
    # The tables are still checked: their totals are found to hold.
    assert any(f.verdict == "consistent" for f in table_sum(Context(report)))
