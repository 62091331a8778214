"""The data files, parsed once per edit: the cache gives back what tomllib gives, and anything odd
about an entry is a miss."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crossfoot import datafiles

TEXT = '[words.income]\ndoc = "收入"\nwords = ["收入", "收入合计"]\nfactor = 1.5\nn = 3\nok = true\n'


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(tmp_path / "c"))
    return tmp_path / "c" / datafiles.FOLDER


def _no_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> object:
        raise AssertionError("parsed again")

    monkeypatch.setattr(datafiles.tomllib, "loads", refuse)


def test_a_text_parsed_once_is_read_back_the_same(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = datafiles.parse_toml(TEXT)
    assert first == tomllib.loads(TEXT) and len(list(cache.glob("*.json"))) == 1
    _no_parser(monkeypatch)
    again = datafiles.parse_toml(TEXT)
    assert again == first and type(again["words"]["income"]["factor"]) is float


def test_an_edited_text_is_parsed_afresh(cache: Path) -> None:
    datafiles.parse_toml(TEXT)
    edited = TEXT.replace("收入合计", "收入总计")
    assert datafiles.parse_toml(edited)["words"]["income"]["words"] == ["收入", "收入总计"]
    assert len(list(cache.glob("*.json"))) == 2


@pytest.mark.parametrize("planted", [b"", b"{not json", b'{"format": "other", "data": {}}', b"[1, 2]",
                                     b'{"format": "crossfoot-knowledge-1", "sha256": "0", "data": {"x": 1}}'])
def test_an_odd_entry_is_a_miss(cache: Path, planted: bytes) -> None:
    datafiles.parse_toml(TEXT)
    (entry,) = cache.glob("*.json")
    entry.write_bytes(planted)
    assert datafiles.parse_toml(TEXT) == tomllib.loads(TEXT)


def test_a_file_that_is_not_toml_raises_and_keeps_nothing(cache: Path) -> None:
    with pytest.raises(tomllib.TOMLDecodeError):
        datafiles.parse_toml("[words\n")
    assert not list(cache.glob("*.json"))


def test_no_usable_cache_directory_still_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(blocker))
    assert datafiles.parse_toml(TEXT) == tomllib.loads(TEXT)


def test_a_date_has_no_json_and_is_parsed_each_time(cache: Path) -> None:
    dated = 'seen = 2024-01-01\n'
    assert datafiles.parse_toml(dated) == tomllib.loads(dated)
    assert not list(cache.glob("*.json"))


def test_only_the_newest_entries_stay(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(datafiles, "KEEP", 3)
    texts = [TEXT.replace("收入合计", f"收入合计{i}") for i in range(5)]
    for i, t in enumerate(texts):
        datafiles.parse_toml(t)
        for p in cache.glob("*.json"):  # the ones written before are older
            if p.stat().st_mtime_ns > 0 and i < 4:
                os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns - 10**9))
    assert len(list(cache.glob("*.json"))) == 3
    _no_parser(monkeypatch)
    assert datafiles.parse_toml(texts[-1])["words"]["income"]["words"][1] == "收入合计4"
    with pytest.raises(AssertionError, match="parsed again"):
        datafiles.parse_toml(texts[0])  # the oldest went
