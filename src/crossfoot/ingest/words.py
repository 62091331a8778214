"""The words that say what a part of a page is, loaded once from page_words.toml (data, not code)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def page_words() -> dict[str, Any]:
    raw = (resources.files("crossfoot.ingest") / "page_words.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)
