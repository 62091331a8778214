from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from crossfoot import batch


def table_pdf(path: Path, total: str = "300.00") -> Path:
    """One page: a two-column table whose 合计 is stated as `total` (350.00 is right) and a sentence."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    st = ParagraphStyle("cn", fontName="STSong-Light", fontSize=11, leading=16)
    t = Table([["项目", "金额"], ["合计", total], ["基本支出", "100.00"], ["项目支出", "250.00"]],
              colWidths=[200, 120])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                           ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    SimpleDocTemplate(str(path), pagesize=A4).build([
        Paragraph("某局2024年度部门决算", st), Paragraph("表1 支出决算表", st), Paragraph("单位：万元", st), t,
        Paragraph(f"2024年度支出合计{total}万元，其中基本支出100.00万元。", st)])
    return path


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(tmp_path / "cache"))
    d = tmp_path / "reports"
    (d / "2024").mkdir(parents=True)
    table_pdf(d / "a.pdf")
    table_pdf(d / "2024" / "b.pdf", total="350.00")
    (d / "2024" / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<")
    (d / "2024" / "empty.pdf").write_bytes(b"")
    (d / "notes.docx").write_bytes(b"PK\x03\x04")  # not a report suffix: not picked up from a directory
    (d / ".hidden.pdf").write_bytes(b"")
    return d


def _summary(out: Path) -> pl.DataFrame:
    return pl.read_parquet(batch.summary_path(out)).sort("path")


def test_expand_inputs(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [p.name for p in batch.expand_inputs([str(corpus)])]
    assert names == ["a.pdf", "b.pdf", "broken.pdf", "empty.pdf"]
    got = batch.expand_inputs([str(corpus / "**" / "*.pdf"), str(corpus / "a.pdf"), str(corpus / "nope.pdf")])
    assert sorted(p.name for p in got) == ["a.pdf", "b.pdf", "broken.pdf", "empty.pdf", "nope.pdf"]
    assert len(got) == 5  # a.pdf given twice is screened once
    monkeypatch.chdir(corpus)
    assert [p.name for p in batch.expand_inputs(["*.pdf"])] == ["a.pdf"]
    assert all(p.is_absolute() for p in batch.expand_inputs(["a.pdf"]))


def test_bad_files_become_error_rows(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "findings.parquet"
    n, skipped = batch.run_batch([str(corpus), str(corpus / "missing.pdf")], out, jobs=1)
    assert (n, skipped) == (5, 0)
    s = _summary(out)
    by_name = {Path(p).name: r for p, r in zip(s["path"], s.iter_rows(named=True), strict=True)}
    assert by_name["a.pdf"]["status"] == "ok" and by_name["a.pdf"]["problems_medium"] + \
        by_name["a.pdf"]["problems_high"] >= 1
    assert by_name["b.pdf"]["status"] == "ok" and by_name["b.pdf"]["pages"] == 1
    assert by_name["broken.pdf"]["status"] == "error" and "damaged" in by_name["broken.pdf"]["error"]
    assert "empty" in by_name["empty.pdf"]["error"]
    assert "no such file" in by_name["missing.pdf"]["error"]
    assert len(by_name["a.pdf"]["sha256"]) == 64

    f = pl.read_parquet(out)
    assert set(f.columns) == set(batch.FINDING_COLUMNS)
    a = f.filter(pl.col("path").str.ends_with("a.pdf") & (pl.col("verdict") == "inconsistent"))
    assert a.height >= 1
    row = a.row(0, named=True)
    assert row["sha256"] == by_name["a.pdf"]["sha256"]
    refs = json.loads(row["refs"])
    assert isinstance(refs, list) and {"table", "row", "col", "value", "page"} <= set(refs[0])
    # Nothing of the unreadable files leaks into the findings table.
    assert f.filter(pl.col("path").str.contains("broken|empty|missing")).height == 0


def test_resume_skips_done_and_rescreens_changed(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.parquet"
    batch.run_batch([str(corpus)], out, jobs=1)
    first = pl.read_parquet(out)
    assert batch.run_batch([str(corpus)], out, jobs=1) == (0, 4)
    assert pl.read_parquet(out).equals(first)

    table_pdf(corpus / "a.pdf", total="351.00")  # edited since: screened again, old rows replaced
    assert batch.run_batch([str(corpus)], out, jobs=1) == (1, 3)
    s = _summary(out)
    assert s.height == 4
    f = pl.read_parquet(out)
    assert f.filter(pl.col("stated").str.contains("300.00")).height == 0
    assert f.filter(pl.col("stated").str.contains("351.00")).height >= 1


def test_resume_after_kill_between_writes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.parquet"
    batch.run_batch([str(corpus / "a.pdf"), str(corpus / "2024" / "b.pdf")], out, jobs=1)
    full_findings = pl.read_parquet(out)
    # As if killed after the findings write but before the summary write of a.pdf.
    s = _summary(out).filter(pl.col("path").str.ends_with("b.pdf"))
    s.write_parquet(batch.summary_path(out))
    assert batch.run_batch([str(corpus / "a.pdf"), str(corpus / "2024" / "b.pdf")], out, jobs=1) == (1, 1)
    again = pl.read_parquet(out)
    cols = again.columns
    assert again.sort(cols).equals(full_findings.sort(cols))  # a.pdf's findings not duplicated


def test_parallel_matches_serial(corpus: Path, tmp_path: Path) -> None:
    serial, par = tmp_path / "s.parquet", tmp_path / "p.parquet"
    batch.run_batch([str(corpus)], serial, jobs=1, use_cache=False)
    batch.run_batch([str(corpus)], par, jobs=2, use_cache=False)
    _assert_same(serial, par)


def _assert_same(a: Path, b: Path) -> None:
    fa, fb = pl.read_parquet(a), pl.read_parquet(b)
    assert fa.sort(fa.columns).equals(fb.sort(fb.columns))
    sa, sb = _summary(a).drop("seconds"), _summary(b).drop("seconds")
    assert sa.equals(sb)


def test_dask_local_cluster_matches_local_run(corpus: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    local, remote = tmp_path / "l.parquet", tmp_path / "d.parquet"
    batch.run_batch([str(corpus)], local, jobs=1, use_cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        n, _ = batch.run_batch([str(corpus)], remote, dask=cluster.scheduler_address, use_cache=False)
    assert n == 4
    _assert_same(local, remote)


def test_unreachable_dask_scheduler_is_one_line(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    r = _cli("batch", str(tmp_path), "-o", str(tmp_path / "o.parquet"), "--dask", "tcp://127.0.0.1:9",
             env_extra={"CROSSFOOT_DASK_TIMEOUT": "2s"})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("crossfoot: cannot reach the Dask scheduler")


def test_damaged_previous_output_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "f.parquet"
    batch.summary_path(out).write_bytes(b"not parquet")
    r = _cli("batch", str(tmp_path), "-o", str(out))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "cannot resume" in r.stderr


def _cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "crossfoot.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env, check=False)


def test_cli(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.parquet"
    r = _cli("batch", str(corpus), "-o", str(out), "--jobs", "2",
             env_extra={"CROSSFOOT_CACHE_DIR": str(tmp_path / "c")})
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "screened 4 report(s)" in r.stderr and "(2 could not be read)" in r.stderr
    assert _summary(out).height == 4
    r = _cli("batch", str(corpus), "-o", str(out), env_extra={"CROSSFOOT_CACHE_DIR": str(tmp_path / "c")})
    assert "skipped 4 already done" in r.stderr


_REAL_SCREEN = batch.screen_one


def _crashy(path: str, use_cache: bool = True, inner_jobs: int | None = None,
            own_process: bool = False) -> batch.Result:
    if "crash" in Path(path).name:
        os._exit(3)  # as a segfault or the OOM killer would: no exception, the worker is gone
    return _REAL_SCREEN(path, use_cache, inner_jobs, own_process)


def test_dead_worker_costs_only_its_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "screen_one", _crashy)
    files = []
    for name in ["a-empty.pdf", "b-crash.pdf", "c-empty.pdf", "d-empty.pdf", "e-empty.pdf"]:
        (tmp_path / name).write_bytes(b"")
        files.append(str(tmp_path / name))
    results = {Path(r[0]["path"]).name: r[0] for r in batch.run_local(files, 2, use_cache=False)}
    assert sorted(results) == sorted(Path(f).name for f in files)
    assert "worker process died" in results["b-crash.pdf"]["error"]
    for name in ["a-empty.pdf", "c-empty.pdf", "d-empty.pdf", "e-empty.pdf"]:
        assert "empty" in results[name]["error"]
