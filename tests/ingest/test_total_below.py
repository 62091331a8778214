"""A 合计 whose amounts print one line below the word (issue 12, layout 6), in a table drawn with
horizontal rules only: the amounts belong to the 合计 row, not to a row of their own."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.pdfs import build_total_below_pdf


def test_total_amounts_on_the_line_below_join_the_total(tmp_path: Path) -> None:
    from crossfoot.ingest import load

    r = load(build_total_below_pdf(tmp_path / "total.pdf"), use_cache=False)
    (t,) = r.tables
    got = [[c.text for c in row] for row in t.rows]
    assert ["合计", "150.00", "135.00"] in got
    assert ["工资福利支出", "100.00", "90.00"] in got and ["商品和服务支出", "50.00", "45.00"] in got
    assert not any(row[0] == "" for row in got)  # no row of amounts without its label
