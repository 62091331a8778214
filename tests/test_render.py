from __future__ import annotations

import json
from pathlib import Path

import pytest

from crossfoot.model import Block, Cell, Page, Report, Table
from crossfoot.render import dump_json, dump_text


def _report() -> Report:
    table = Table(id="T01", code="公开01表", title="收入支出决算总表", unit="万元", pages=(5, 6),
                  header=(("收入", "收入"), ("项目", "决算数")),
                  rows=((Cell("本年收入合计", 5, (1.0, 2.0, 3.0, 4.0)), Cell("1,144.45", 5, (5.0, 2.0, 9.0, 4.0))),
                        (Cell("其他收入", 6), Cell("—", 6))),
                  notes=("注：本表反映部门本年度的总收支。",))
    return Report(path="r.pdf", sha256="ab" * 32, kind="决算", department="测试局", year=2023, unit="万元",
                  pages=(Page(1, 595, 842), Page(2, 595, 842, readable=False, note="scanned page: needs OCR")),
                  blocks=(Block(1, (72.0, 90.0, 523.0, 120.0), "本年收入合计1144.45万元。"),),
                  tables=(table,))


def test_dump_json_shape_and_values() -> None:
    doc = json.loads(dump_json(_report()))
    assert doc["document"]["kind"] == "决算" and doc["document"]["unreadable_pages"] == [2]
    t = doc["tables"][0]
    assert (t["id"], t["code"], t["title"], t["unit"], t["pages"]) == ("T01", "公开01表", "收入支出决算总表", "万元",
                                                                       [5, 6])
    assert t["header"] == [["收入", "收入"], ["项目", "决算数"]]
    assert t["columns"] == ["收入/项目", "收入/决算数"]
    first = t["rows"][0][1]
    assert first == {"text": "1,144.45", "value": 1144.45, "page": 5, "bbox": [5.0, 2.0, 9.0, 4.0]}
    assert t["rows"][1][1]["value"] is None  # a dash is no number
    assert doc["blocks"] == [{"page": 1, "bbox": [72.0, 90.0, 523.0, 120.0], "text": "本年收入合计1144.45万元。"}]


def test_dump_text_is_readable() -> None:
    out = dump_text(_report())
    assert "== T01 公开01表 收入支出决算总表 · unit 万元 · p5-6 · 2 rows × 2 cols" in out
    assert "columns: 收入/项目 | 收入/决算数" in out
    assert "0: 本年收入合计 | 1,144.45" in out
    assert "note: 注：本表反映部门本年度的总收支。" in out
    assert "unreadable pages: 2" in out
    assert "[p1] 本年收入合计1144.45万元。" in out


def test_dump_json_of_a_parsed_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.ingest.pdfs import build_split_font_pdf

    from crossfoot.ingest.pages import read_pdf

    monkeypatch.setenv("CROSSFOOT_JOBS", "1")
    doc = json.loads(dump_json(read_pdf(build_split_font_pdf(tmp_path / "s.pdf"))))
    cells = [c for t in doc["tables"] for row in t["rows"] for c in row]
    assert {k: cells[1][k] for k in ("text", "value")} == {"text": "1,144.45", "value": 1144.45}
    assert all(c["page"] == 2 and len(c["bbox"]) == 4 for c in cells)


def test_check_all_reports_link_coverage_in_every_format() -> None:
    from crossfoot.pipeline import analyse
    from crossfoot.render import render_findings

    r = _report()
    r = Report(r.path, r.sha256, r.kind, r.department, r.year, r.unit, r.pages,
               (*r.blocks, Block(1, None, "差旅费3.00万元。")), r.tables)
    a = analyse(r)
    doc = json.loads(render_findings(a, "json", include_all=True))
    assert doc["coverage"] == {"figures": 2, "linked": 1, "held": 1, "differed": 0, "unlinked": 1}
    states = {row["figure"]: row["state"] for row in doc["links"]}
    assert states == {"1144.45万元": "holds", "3.00万元": "unlinked"}
    text = render_findings(a, "text", include_all=True)
    assert "1 tied to a cell (1 hold, 0 differ), 1 unlinked" in text and "? p1 3.00万元" in text
    assert "unlinked" in render_findings(a, "md", include_all=True)
    assert ",unlinked," in render_findings(a, "csv", include_all=True)
    assert "coverage" not in json.loads(render_findings(a, "json"))  # problems only: no link rows
