"""Fixtures for ingest tests: PDFs drawn with reportlab (see pdfs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.pdfs import build_split_font_pdf, build_tables_pdf


@pytest.fixture(scope="session")
def split_font_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_split_font_pdf(tmp_path_factory.mktemp("pdf") / "split.pdf")


@pytest.fixture(scope="session")
def tables_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tables_pdf(tmp_path_factory.mktemp("pdf") / "tables.pdf")
