"""The words that say what a part of a page is, loaded once from page_words.toml (data, not code)."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from crossfoot.knowledge import load_catalogue


@lru_cache(maxsize=1)
def page_words() -> dict[str, Any]:
    raw = (resources.files("crossfoot.ingest") / "page_words.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@lru_cache(maxsize=1)
def era_year() -> re.Pattern[str]:
    """A year counted in a calendar era (中華民國115年度), the eras from page_words.toml."""
    eras = "|".join(re.escape(w) for w in page_words()["caption"]["eras"])
    return re.compile(rf"^[（(]?\s*(?:{eras})\s*\d{{2,3}}\s*年度?\s*[）)]?$")


@lru_cache(maxsize=1)
def _unit_line() -> tuple[re.Pattern[str], dict[str, str]]:
    """单位：万元 and its other printed forms, from the lexicon's [units] (data, not code)."""
    u = load_catalogue().units
    read_as = {k: k for k, _ in u.money} | dict(u.printed)
    alt = "|".join(re.escape(w) for w in sorted(read_as, key=len, reverse=True))
    labels = "|".join(re.escape(w) for w in u.labels)
    cur = "|".join(re.escape(w) for w in u.currencies)
    return re.compile(rf"(?:{labels})\s*[:：]\s*(?:{cur})?\s*({alt})"), read_as


def unit_in(text: str) -> str | None:
    """The money unit a unit line names (單位：新臺幣千元 → 千元), or None."""
    pattern, read_as = _unit_line()
    m = pattern.search(text)
    return read_as[m.group(1)] if m else None
