"""The page workers: the first pages go out with the page count, and only the pages the file has
come back."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.test_robustness import narrative_pdf

from crossfoot.ingest.pages import parse_pages


@pytest.mark.parametrize(("pages", "jobs"), [(1, 2), (2, 3), (3, 2)])
def test_exactly_the_files_pages_come_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int,
                                           jobs: int) -> None:
    # More workers than pages: the pages sent ahead of the count past the end are dropped.
    monkeypatch.setenv("CROSSFOOT_JOBS", str(jobs))
    parts = parse_pages(narrative_pdf(tmp_path / "n.pdf", pages=pages))
    assert [p.number for p in parts] == list(range(1, pages + 1))
    assert all(p.readable and p.lines for p in parts)
