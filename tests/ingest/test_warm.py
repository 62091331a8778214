"""A cold run loads its modules while the page workers parse: the caller's start-up runs once, in the
parent, and never costs the parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crossfoot.ingest.pages import parse_pages, read_pdf


def test_meanwhile_runs_once_in_the_parent_and_leaves_the_parse_alone(split_font_pdf: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSFOOT_JOBS", "2")
    calls: list[int] = []
    with_start = read_pdf(split_font_pdf, meanwhile=lambda: calls.append(os.getpid()))
    plain = read_pdf(split_font_pdf)
    assert calls == [os.getpid()]
    assert with_start.blocks == plain.blocks and with_start.tables == plain.tables


def test_a_failing_start_up_does_not_lose_the_report(split_font_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSFOOT_JOBS", "2")

    def broken() -> None:
        raise ImportError("a module the caller will need later")

    parts = parse_pages(split_font_pdf, meanwhile=broken)
    assert [p.number for p in parts] == [1, 2] and all(p.readable for p in parts)
