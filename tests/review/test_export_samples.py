"""Exports of a real sample report, read back and compared with `crossfoot check --format json`."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossfoot.cli import main
from crossfoot.model import Report
from crossfoot.review.store import ReviewStore

pytestmark = pytest.mark.slow
SAMPLES = Path(__file__).resolve().parents[2] / "sample_reports"
_ANALYSES: dict[str, Any] = {}


@cache
def load_sample(name: str) -> Report:
    from crossfoot.ingest import load

    return load(SAMPLES / name, use_cache=False)


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch) -> Report:
    report = load_sample("000.pdf")
    import crossfoot.ingest
    from crossfoot import pipeline

    real = pipeline.analyse

    # Parse and analyse once per session (seconds each); check and export then share the result.
    def analyse_once(r: Report, *a: Any, **k: Any) -> pipeline.Analysis:
        if r.sha256 not in _ANALYSES:
            _ANALYSES[r.sha256] = real(r, *a, **k)
        return _ANALYSES[r.sha256]

    monkeypatch.setattr(crossfoot.ingest, "load", lambda *a, **k: report)
    monkeypatch.setattr(pipeline, "analyse", analyse_once)
    return report


def run_json(tmp_path: Path, argv: list[str]) -> dict[str, object]:
    out = tmp_path / "out.json"
    assert main([*argv, "-o", str(out)]) == 0
    doc = json.loads(out.read_text("utf-8"))
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("extra", [[], ["--all"]])
def test_sample_exports_match_check(tmp_path: Path, sample: Report, extra: list[str]) -> None:
    pdf = "sample_reports/000.pdf"
    check = run_json(tmp_path, ["check", pdf, "--format", "json", *extra])
    found = check["findings"]
    assert isinstance(found, list) and found
    want = [f["id"] for f in found]
    db = tmp_path / "team.sqlite3"
    with ReviewStore.open(db, reviewer="alice") as s:
        s.set_state(sample.sha256, want[0], "confirmed", note="已核对")
    base = ["export", pdf, "--review-db", str(db), *extra]

    doc = run_json(tmp_path, [*base, "--format", "json"])
    got = doc["findings"]
    assert isinstance(got, list)
    assert [{k: v for k, v in f.items() if k != "review"} for f in got] == found
    assert got[0]["review"]["state"] == "confirmed"

    out = tmp_path / "e.csv"
    assert main([*base, "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [r["id"] for r in rows] == want
    assert [r["quote"] for r in rows] == [f["quote"] for f in found]

    out = tmp_path / "e.xlsx"
    assert main([*base, "--format", "xlsx", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert [r[0] for r in wb["findings"].iter_rows(min_row=2, values_only=True)] == want
    assert len(wb.sheetnames) == 2 + len(sample.tables)
    # Every evidence cell of an exported finding is highlighted and names it.
    sheets = dict(zip([t.id for t in sample.tables], wb.sheetnames[2:], strict=True))
    for f in found:
        for ref in f["refs"]:
            t = sample.table(ref["table"])
            assert t is not None
            cell = wb[sheets[ref["table"]]].cell(row=len(t.header) + ref["row"] + 1, column=ref["col"] + 1)
            assert cell.comment is not None and f["id"] in cell.comment.text

    out = tmp_path / "e.md"
    assert main([*base, "--format", "md", "-o", str(out)]) == 0
    md = out.read_text("utf-8")
    assert all(f"`{k}`" in md for k in want) and sample.sha256 in md
