from __future__ import annotations

import gzip
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crossfoot import cache
from crossfoot.model import Block, Cell, Page, Report, Table


def _report(path: Path, sha: str, marker: str = "x") -> Report:
    cells = ((Cell("201", 3, (1.0, 2.0, 3.0, 4.0)), Cell("一般公共服务支出", 3), Cell("1,234.56", 3, None)),)
    table = Table(id="t1", code="表1", title="收入支出决算总表", unit="万元", pages=(3, 4),
                  header=(("项目", "项目", "金额"),), rows=cells, bbox=(0.0, 0.5, 10.0, 20.25), notes=("注",))
    return Report(path=str(path), sha256=sha, kind="决算", department="某区民政局", year=2024, unit="万元",
                  pages=(Page(1, 595.0, 842.0, "text", True, ""), Page(2, 595, 842, "", False, "scanned page")),
                  blocks=(Block(1, None, f"本年收入合计1,234.56万元{marker}"), Block(2, (0, 0, 1, 1), "b")),
                  tables=(table,), notes=("n1",))


@pytest.fixture
def cdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(d))
    return d


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    p = tmp_path / "r.pdf"
    p.write_bytes(b"%PDF-1.4\nnot really parsed by these tests\n")
    return p


class Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.calls = 0

    def __call__(self) -> Report:
        self.calls += 1
        return self.report


def _entry(cdir: Path) -> Path:
    entries = list(cdir.glob("*" + cache.SUFFIX))
    assert len(entries) == 1
    return entries[0]


def test_roundtrip_and_hit(cdir: Path, pdf: Path) -> None:
    sha = cache.file_sha256(pdf)
    b = Builder(_report(pdf, sha))
    first = cache.cached_load(pdf, b)
    second = cache.cached_load(pdf, b)
    assert b.calls == 1
    assert first == second == b.report
    assert isinstance(second.pages[1].width, float)
    assert second.tables[0].rows[0][2].value is not None


def test_permissions(cdir: Path, pdf: Path) -> None:
    cache.cached_load(pdf, Builder(_report(pdf, cache.file_sha256(pdf))))
    assert stat.S_IMODE(os.stat(cdir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(_entry(cdir)).st_mode) == 0o600


def test_same_content_elsewhere_gets_its_own_path(cdir: Path, pdf: Path, tmp_path: Path) -> None:
    cache.cached_load(pdf, Builder(_report(pdf, cache.file_sha256(pdf))))
    other = tmp_path / "copy.pdf"
    other.write_bytes(pdf.read_bytes())
    b = Builder(_report(other, "unused"))
    got = cache.cached_load(other, b)
    assert b.calls == 0 and got.path == str(other)


def test_changed_file_is_rebuilt(cdir: Path, pdf: Path) -> None:
    cache.cached_load(pdf, Builder(_report(pdf, cache.file_sha256(pdf), "old")))
    pdf.write_bytes(pdf.read_bytes() + b"%edit\n")
    b = Builder(_report(pdf, cache.file_sha256(pdf), "new"))
    assert cache.cached_load(pdf, b).blocks[0].text.endswith("new")
    assert b.calls == 1


def test_parser_version_bump_invalidates(cdir: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import crossfoot.ingest

    sha = cache.file_sha256(pdf)
    cache.cached_load(pdf, Builder(_report(pdf, sha, "v1")))
    monkeypatch.setattr(crossfoot.ingest, "PARSER_VERSION", "999")
    b = Builder(_report(pdf, sha, "v2"))
    assert cache.cached_load(pdf, b).blocks[0].text.endswith("v2")
    assert b.calls == 1
    assert "-999-" in _entry(cdir).name  # the old version's entry was pruned


def _rewrite(entry: Path, fn: object) -> None:
    doc = json.loads(gzip.decompress(entry.read_bytes()))
    fn(doc)  # type: ignore[operator]
    entry.write_bytes(gzip.compress(json.dumps(doc).encode()))


@pytest.mark.parametrize("tamper", [
    lambda d: d.update(parser="0"),
    lambda d: d.update(sha256="0" * 64),
    lambda d: d.update(schema="abc"),
    lambda d: d["report"].__setitem__(1, "f" * 64),  # embedded sha differs from the file's
    lambda d: d["report"].__setitem__(2, "预决算"),  # not a ReportKind
    lambda d: d["report"].__setitem__(4, "2024"),  # year must be an int
    lambda d: d["report"][6].append([1, 2]),  # a Page record with missing fields
    lambda d: d["report"][8][0][6][0].append(["x", 1, None]),  # well-typed: may be trusted
    lambda d: d["report"][8][0][6][0][0].__setitem__(2, [1, 2, 3]),  # bbox of 3
    lambda d: d.update(report={"__class__": "os.system"}),
    lambda d: d.clear(),
])
def test_tampered_entry_is_rebuilt(cdir: Path, pdf: Path, tamper: object) -> None:
    sha = cache.file_sha256(pdf)
    cache.cached_load(pdf, Builder(_report(pdf, sha, "orig")))
    _rewrite(_entry(cdir), tamper)
    b = Builder(_report(pdf, sha, "fresh"))
    got = cache.cached_load(pdf, b)
    if b.calls == 0:  # the one tamper that stays well-typed (an extra valid cell) may be accepted
        assert len(got.tables[0].rows[0]) == 4
    else:
        assert got.blocks[0].text.endswith("fresh")


@pytest.mark.parametrize("content", [b"", b"\x1f\x8b\x08garbage", b"plain text", gzip.compress(b"[1,2"),
                                     gzip.compress(b"[" * 100000 + b"]" * 100000)])
def test_corrupt_entry_is_rebuilt(cdir: Path, pdf: Path, content: bytes) -> None:
    sha = cache.file_sha256(pdf)
    cache.cached_load(pdf, Builder(_report(pdf, sha)))
    _entry(cdir).write_bytes(content)
    b = Builder(_report(pdf, sha, "fresh"))
    assert cache.cached_load(pdf, b).blocks[0].text.endswith("fresh")
    assert b.calls == 1
    assert cache.cached_load(pdf, b).blocks[0].text.endswith("fresh")
    assert b.calls == 1  # the rebuilt entry replaced the corrupt one


def test_pickle_is_never_loaded(cdir: Path, pdf: Path, tmp_path: Path) -> None:
    import pickle

    sha = cache.file_sha256(pdf)
    cache.cached_load(pdf, Builder(_report(pdf, sha)))
    flag = tmp_path / "pwned"

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {flag}",))

    _entry(cdir).write_bytes(gzip.compress(pickle.dumps(Evil())))
    b = Builder(_report(pdf, sha))
    cache.cached_load(pdf, b)
    assert b.calls == 1 and not flag.exists()


def test_planted_symlink_is_not_followed(cdir: Path, pdf: Path, tmp_path: Path) -> None:
    sha = cache.file_sha256(pdf)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    cdir.mkdir(mode=0o700)
    link = cache.entry_path(cdir, sha)
    link.symlink_to(victim)
    b = Builder(_report(pdf, sha))
    cache.cached_load(pdf, b)
    assert b.calls == 1
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and link.is_file()


def test_symlinked_cache_dir_is_not_used(tmp_path: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir()
    link = tmp_path / "cachelink"
    link.symlink_to(real)
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(link))
    b = Builder(_report(pdf, cache.file_sha256(pdf)))
    cache.cached_load(pdf, b)
    cache.cached_load(pdf, b)
    assert b.calls == 2 and list(real.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_dir_does_not_fail_the_run(cdir: Path, pdf: Path) -> None:
    cdir.mkdir(mode=0o700)
    cdir.chmod(0o500)
    try:
        b = Builder(_report(pdf, cache.file_sha256(pdf)))
        assert cache.cached_load(pdf, b) == b.report
    finally:
        cdir.chmod(0o700)


def test_unwritable_cache_does_not_fail_the_run(cdir: Path, pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr("crossfoot.fsutil.atomic_write_bytes", refuse)
    b = Builder(_report(pdf, cache.file_sha256(pdf)))
    assert cache.cached_load(pdf, b) == b.report
    assert cache.cached_load(pdf, b) == b.report
    assert b.calls == 2


def test_cache_dir_that_is_a_file_disables_caching(tmp_path: Path, pdf: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "notadir"
    f.write_text("")
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(f))
    b = Builder(_report(pdf, cache.file_sha256(pdf)))
    assert cache.cached_load(pdf, b) == b.report


def test_group_writable_dir_is_tightened(cdir: Path, pdf: Path) -> None:
    cdir.mkdir()
    cdir.chmod(0o777)
    cache.cached_load(pdf, Builder(_report(pdf, cache.file_sha256(pdf))))
    assert stat.S_IMODE(os.stat(cdir).st_mode) & 0o077 == 0


def test_import_is_light() -> None:
    import subprocess
    import sys

    code = ("import sys, crossfoot.cache; "
            "bad = [m for m in ('pdfplumber', 'polars', 'textual', 'pdfminer') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


_text = st.text(max_size=12)
_f = st.floats(allow_nan=False, allow_infinity=False, width=32)
_bbox = st.none() | st.tuples(_f, _f, _f, _f)
_cells = st.builds(Cell, _text, st.integers(1, 500), _bbox)
_tables = st.builds(
    Table, id=_text, code=st.none() | _text, title=st.none() | _text, unit=st.none() | _text,
    pages=st.lists(st.integers(1, 500), max_size=3).map(tuple),
    header=st.lists(st.lists(_text, max_size=3).map(tuple), max_size=2).map(tuple),
    rows=st.lists(st.lists(_cells, max_size=3).map(tuple), max_size=3).map(tuple),
    bbox=_bbox, notes=st.lists(_text, max_size=2).map(tuple))
_reports = st.builds(
    Report, path=_text, sha256=st.just("a" * 64),
    kind=st.sampled_from(["决算", "预算", "绩效自评", "绩效评价", "unknown"]),
    department=st.none() | _text, year=st.none() | st.integers(-(2**40), 2**40), unit=st.none() | _text,
    pages=st.lists(st.builds(Page, st.integers(1, 999), _f, _f, _text, st.booleans(), _text),
                   max_size=3).map(tuple),
    blocks=st.lists(st.builds(Block, st.integers(1, 999), _bbox, _text), max_size=3).map(tuple),
    tables=st.lists(_tables, max_size=2).map(tuple), notes=st.lists(_text, max_size=2).map(tuple))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_reports)
def test_encode_decode_roundtrip(report: Report) -> None:
    doc = json.loads(json.dumps(cache.encode_document(report), ensure_ascii=False))
    assert cache.decode_document(doc, report.sha256) == report


def test_least_recently_used_entries_are_evicted(cdir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    shas = []
    for i in range(4):
        p = tmp_path / f"r{i}.pdf"
        p.write_bytes(b"%PDF-1.4\n" + bytes([i]) * 10)
        shas.append(cache.file_sha256(p))
        cache.cached_load(p, Builder(_report(p, shas[-1])))
        entry = cache.entry_path(cdir, shas[-1])
        os.utime(entry, (1000 + i, 1000 + i))
    os.utime(cache.entry_path(cdir, shas[0]), (5000, 5000))  # r0 was just reopened: most recent
    size = max(e.stat().st_size for e in cdir.glob("*" + cache.SUFFIX))
    cache._evict(cdir, keep=cache.entry_path(cdir, shas[1]), limit=int(size * 2.5))
    left = {e.name.split("-")[0] for e in cdir.glob("*" + cache.SUFFIX)}
    assert left == {shas[0], shas[1]}  # r2 and r3 were older; r1 is the entry just written


def test_hit_refreshes_recency(cdir: Path, pdf: Path) -> None:
    b = Builder(_report(pdf, cache.file_sha256(pdf)))
    cache.cached_load(pdf, b)
    os.utime(_entry(cdir), (1000, 1000))
    cache.cached_load(pdf, b)
    assert _entry(cdir).stat().st_mtime > 1000
