"""A body row's label centred over the empty label columns before its amounts (总分 of a scoring
table drawn with horizontal rules only) is one cell from the first column, as a ruled table draws it;
a label that starts its own column, under cells the rows above reach down into, stays where it is."""

from __future__ import annotations

from pathlib import Path

from tests.ingest.pdfs import build_centred_total_pdf


def test_a_centred_total_label_starts_the_row(tmp_path: Path) -> None:
    from crossfoot.ingest import load

    r = load(build_centred_total_pdf(tmp_path / "score.pdf"), use_cache=False)
    (t,) = r.tables
    got = [[c.text for c in row] for row in t.rows]
    assert ["总分", "", "", "90", "83"] in got
    assert ["", "", "培训场次", "20", "20"] in got
    assert ["产出指标", "数量指标", "培训人数", "20", "18"] in got
