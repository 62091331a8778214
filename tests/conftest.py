from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
SHARED = ROOT.parent / "shared"


@cache
def load_sample(name: str):  # type: ignore[no-untyped-def]
    """Parse a sample report once per test session (parsing a PDF takes seconds)."""
    from crossfoot.ingest import load

    return load(SAMPLES / name, use_cache=False)


@pytest.fixture
def samples() -> Path:
    return SAMPLES
