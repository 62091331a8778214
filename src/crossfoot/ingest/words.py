"""The words that say what a part of a page is: knowledge/vocab/ingest.toml, read through the catalogue.

``page_words()`` gives the contents-page, check-box and header words in the shape ingest has always read
them; ``words_version()`` is a hash of the data ingest reads, part of the parse cache key: a parse made with
other words is never served.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from crossfoot.knowledge import pattern, words

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
    }


@lru_cache(maxsize=1)
def words_version() -> str:
    """12 hex digits of a hash over the data files ingest reads (read as bytes: no catalogue is built, so a
    warm, cached run stays cheap)."""
    h = hashlib.sha256()
    for name in _PARSE_DATA:
        h.update(resources.files("crossfoot.knowledge").joinpath(*name.split("/")).read_bytes())
    return h.hexdigest()[:12]
