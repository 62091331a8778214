"""Ingest's words are data (knowledge/vocab/ingest.toml): read through the catalogue, and part of the parse
cache key, so a parse made with other words is never served."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import crossfoot.cache
from crossfoot import ingest
from crossfoot.ingest import words
from crossfoot.model import Report


def test_page_words_come_from_the_vocabulary() -> None:
    pw = words.page_words()
    assert "目录" in pw["contents"]["titles"] and "目錄" in pw["contents"]["titles"]
    assert "□" in pw["checkbox"]["marks"] and "类" in pw["header"]["code_parts"]
    assert pw["contents"]["page_ref"] == r"第\s*\d+\s*[页頁]"


def test_parse_cache_key_holds_the_words_hash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"%PDF-1.4\nnot parsed: the cache is asked first\n")
    asked: list[str] = []

    def fake_cached_load(path: Path, build: object, parser: str) -> Report:
        asked.append(parser)
        return Report(path=str(path), sha256="0" * 64, kind="决算", department=None, year=None, unit=None,
                      pages=(), blocks=(), tables=())

    monkeypatch.setattr(crossfoot.cache, "cached_load", fake_cached_load)
    ingest.load(pdf)
    assert asked == [f"{ingest.PARSER_VERSION}.{words.words_version()}"]


def test_words_version_follows_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    before = words.words_version()
    words.words_version.cache_clear()
    real = words.resources.files

    class Edited:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def joinpath(self, *parts: str) -> object:
            target = self.inner.joinpath(*parts)  # type: ignore[attr-defined]

            class Bytes:
                def read_bytes(self) -> bytes:
                    data: bytes = target.read_bytes()
                    return data + (b"\n# edited\n" if parts[-1] == "ingest.toml" else b"")

            return Bytes()

    monkeypatch.setattr(words.resources, "files", lambda pkg: Edited(real(pkg)))
    try:
        assert words.words_version() != before
    finally:
        words.words_version.cache_clear()


WARM = r"""
import io, sys, contextlib
from crossfoot.cli import main
from crossfoot.knowledge.catalogue import load_catalogue
with contextlib.redirect_stdout(io.StringIO()):
    rc = main(sys.argv[1:])
print("built:", load_catalogue.cache_info().currsize)
sys.exit(rc)
"""


def test_a_warm_check_builds_no_catalogue(tables_pdf: Path, tmp_path: Path) -> None:
    # Ingest's words are read from the catalogue while parsing; a cached run must not pay for building it.
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONWARNINGS": "ignore"}

    def run() -> str:
        r = subprocess.run([sys.executable, "-c", WARM, "check", str(tables_pdf), "--format", "json"],
                           capture_output=True, text=True, env=env, check=False)
        assert r.returncode in (0, 1), r.stderr
        return r.stdout.strip()

    assert run() == "built: 1"  # cold: parsed and checked
    assert run() == "built: 0"  # warm: parse and findings from the cache
