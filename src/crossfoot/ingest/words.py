"""The words that say what a part of a page is: knowledge/vocab/ingest.toml, read through the catalogue.

``page_words()`` gives the contents-page, check-box and header words in the shape ingest has always read
them; ``words_version()`` is a hash of the data ingest reads, part of the parse cache key: a parse made with
other words is never served.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import alternation

#: The data files whose words decide a parse (ingest's own area and the core lexicon it reuses).
_PARSE_DATA = ("lexicon.toml", "vocab/ingest.toml")


@lru_cache(maxsize=1)
def page_words() -> dict[str, Any]:
    return {
        "contents": {"titles": list(words("ingest.contents_titles")),
                     "leaders": list(words("ingest.contents_leaders")),
                     "page_ref": pattern("ingest.contents_page_ref").pattern},
        "checkbox": {"marks": "".join(words("ingest.checkbox_marks"))},
        "header": {"code_parts": list(words("ingest.code_parts"))},
        "caption": {"eras": list(words("ingest.caption_eras"))},
    }


@lru_cache(maxsize=1)
def words_version() -> str:
    """12 hex digits of a hash over the data files ingest reads (read as bytes: no catalogue is built, so a
    warm, cached run stays cheap)."""
    h = hashlib.sha256()
    for name in _PARSE_DATA:
        h.update(resources.files("crossfoot.knowledge").joinpath(*name.split("/")).read_bytes())
    return h.hexdigest()[:12]


def era_year() -> re.Pattern[str]:
    """A year counted in a calendar era (中華民國115年度): knowledge/vocab/ingest.toml era_year."""
    return pattern("ingest.era_year")


@lru_cache(maxsize=1)
def _unit_line() -> tuple[re.Pattern[str], dict[str, str]]:
    """单位：万元 and its other printed forms, from the lexicon's [units] (data, not code)."""
    u = load_catalogue().units
    read_as = {k: k for k, _ in u.money} | dict(u.printed)
    alt, labels, cur = alternation(tuple(read_as)), alternation(u.labels), alternation(u.currencies)
    return re.compile(rf"{labels}\s*[:：]\s*{cur}?\s*({alt})"), read_as


def unit_in(text: str) -> str | None:
    """The money unit a unit line names (單位：新臺幣千元 → 千元), or None."""
    pat, read_as = _unit_line()
    m = pat.search(text)
    return read_as[m.group(1)] if m else None
