"""The findings cache: a warm `crossfoot check` only loads and renders what the checks concluded."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crossfoot import cache
from crossfoot.cache import CachedFindings
from crossfoot.findings import CellRef, Finding

SHA = "ab" * 32
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(d))
    return d


def _got(marker: str = "x") -> CachedFindings:
    ref = CellRef("t1", 0, 2, "一般公共服务支出", "决算数", "1,234.56", 3)
    f1 = Finding("narrative_vs_table", "high", "inconsistent", 2, f"支出1,235.56万元{marker}", "1,235.56",
                 "1,234.56", "表中为1,234.56万元", (ref,), "low")
    f2 = Finding("table_sum", "none", "consistent", None, "合计", "1", "1", "ok")
    return CachedFindings((f1, f2), ("broken_check",), (f1,))


class Compute:
    def __init__(self, got: CachedFindings) -> None:
        self.got = got
        self.calls = 0

    def __call__(self) -> CachedFindings:
        self.calls += 1
        return self.got


def _entries(cdir: Path) -> list[Path]:
    return sorted(cdir.glob(f"*{cache.FINDINGS_INFIX}*{cache.SUFFIX}"))


def test_roundtrip_and_hit(cdir: Path) -> None:
    c = Compute(_got())
    first = cache.cached_findings(SHA, c)
    second = cache.cached_findings(SHA, c)
    assert c.calls == 1
    assert first == second == c.got
    (entry,) = _entries(cdir)
    assert stat.S_IMODE(os.stat(entry).st_mode) == 0o600


@pytest.mark.parametrize("content", [b"", b"garbage", gzip.compress(b"{not json"),
                                     gzip.compress(b'{"format": "crossfoot-findings-cache"}'),
                                     gzip.compress(b"[1, 2, 3]")])
def test_corrupt_entry_is_recomputed(cdir: Path, content: bytes) -> None:
    cache.cached_findings(SHA, Compute(_got()))
    (entry,) = _entries(cdir)
    entry.write_bytes(content)
    c = Compute(_got())
    assert cache.cached_findings(SHA, c) == c.got
    assert c.calls == 1
    assert cache.cached_findings(SHA, Compute(_got("other"))) == c.got  # rewritten and valid again


def test_tampered_value_is_recomputed(cdir: Path) -> None:
    cache.cached_findings(SHA, Compute(_got()))
    (entry,) = _entries(cdir)
    doc = json.loads(gzip.decompress(entry.read_bytes()))
    doc["findings"][0][0][1] = "catastrophic"  # not a Severity
    entry.write_bytes(gzip.compress(json.dumps(doc).encode()))
    c = Compute(_got())
    assert cache.cached_findings(SHA, c) == c.got
    assert c.calls == 1


def test_checks_version_change_invalidates_and_prunes(cdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.cached_findings(SHA, Compute(_got()))
    monkeypatch.setattr(cache, "_checks_version", ["f" * 64])
    c = Compute(_got("new"))
    assert cache.cached_findings(SHA, c) == c.got
    assert c.calls == 1
    assert len(_entries(cdir)) == 1  # the stale entry of the same report is gone


def test_other_report_is_a_miss(cdir: Path) -> None:
    cache.cached_findings(SHA, Compute(_got()))
    c = Compute(_got("b"))
    assert cache.cached_findings("cd" * 32, c) == c.got
    assert c.calls == 1


def test_unreadable_sources_disable_findings_cache(cdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "_checks_version", [None])
    c = Compute(_got())
    cache.cached_findings(SHA, c)
    cache.cached_findings(SHA, c)
    assert c.calls == 2
    assert not cdir.exists() or not _entries(cdir)


def test_checks_version_follows_the_sources() -> None:
    v = cache.checks_version()
    assert v is not None and len(v) == 64
    assert cache.checks_version() == v


def test_parse_and_findings_entries_do_not_prune_each_other(tmp_path: Path) -> None:
    d = tmp_path / "c"
    d.mkdir()
    parse = d / f"{SHA}-1-abc{cache.SUFFIX}"
    old_parse = d / f"{SHA}-0-abc{cache.SUFFIX}"
    findings = d / f"{SHA}{cache.FINDINGS_INFIX}1234{cache.SUFFIX}"
    old_findings = d / f"{SHA}{cache.FINDINGS_INFIX}0000{cache.SUFFIX}"
    for p in (parse, old_parse, findings, old_findings):
        p.write_bytes(b"x")
    cache._prune_other_versions(parse, SHA)
    assert parse.exists() and findings.exists() and old_findings.exists() and not old_parse.exists()
    cache._prune_other_versions(findings, SHA)
    assert parse.exists() and findings.exists() and not old_findings.exists()


WARM = r"""
import io, sys, contextlib
from crossfoot.cli import main
buf = io.StringIO()
with contextlib.redirect_stdout(buf):
    rc = main(sys.argv[1:])
sys.stdout.write(buf.getvalue())
print("\n#loaded:", sorted(m for m in ("crossfoot.checks", "pdfplumber", "polars", "rapidfuzz")
                          if m in sys.modules))
sys.exit(rc)
"""


def _check(report: Path, cdir: Path, *extra: str) -> tuple[str, str]:
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(cdir), "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([sys.executable, "-c", WARM, "check", str(report), "--format", "json", "--all", *extra],
                       capture_output=True, text=True, env=env, check=False, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    out, _, loaded = r.stdout.rpartition("\n#loaded:")
    return out, loaded.strip()


def test_cli_warm_check_renders_cached_findings(tmp_path: Path) -> None:
    report = ROOT / "sample_reports" / "000.txt"
    cdir = tmp_path / "cache"
    cold, loaded_cold = _check(report, cdir, "--no-cache")
    assert not cdir.exists() or not _entries(cdir)  # --no-cache writes nothing
    assert "crossfoot.checks" in loaded_cold
    prime, _ = _check(report, cdir)
    assert len(_entries(cdir)) == 1
    warm, loaded_warm = _check(report, cdir)
    assert cold == prime == warm
    assert json.loads(warm)["findings"] is not None
    assert loaded_warm == "[]"  # no check module, no pdfplumber, no polars on a warm run
    only, _ = _check(report, cdir, "--check", "table_sum")  # a partial run never uses the cache
    assert {f["check"] for f in json.loads(only)["findings"]} <= {"table_sum"}
