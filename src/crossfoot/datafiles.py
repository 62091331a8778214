"""The package's data files (the knowledge files, TOML) as data, parsed once per edit rather than on
every start. Its own module beside the package's root, importing nothing of crossfoot's but the cache
directory: the number syntax (crossfoot.numbers) reads the lexicon's units through it too.

tomllib is pure Python: the nine knowledge files take about 15 ms to parse, on every run, before
the page workers can start. A file's parsed form is kept as JSON in the cache directory
(crossfoot.cachedir), named by a hash of the file's text, and read back in well under a
millisecond; an edited file has another hash and is parsed afresh. It is the program's own data,
like its bytecode, so `--no-cache` (which is about reports) does not turn it off. JSON, as for the
parse cache: an entry can hold nothing but data. Anything odd about an entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import tomllib
from contextlib import suppress
from pathlib import Path
from typing import Any

from crossfoot.cachedir import usable_dir

FORMAT = "crossfoot-knowledge-1"
FOLDER = "knowledge"
# Entries kept: the newest this many (each edit or upgrade writes one per changed file; nine files a version).
KEEP = 64


def parse_toml(text: str) -> dict[str, Any]:
    """tomllib.loads(text), from the cache when this very text was parsed before. Raises what
    tomllib raises for a file that is not TOML (and keeps nothing for it)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    folder = usable_dir()
    entry = folder / FOLDER / f"{digest[:32]}.json" if folder is not None else None
    if entry is not None:
        try:
            doc = json.loads(entry.read_bytes())
            if isinstance(doc, dict) and doc.get("format") == FORMAT and doc.get("sha256") == digest \
                    and isinstance(doc.get("data"), dict):
                data: dict[str, Any] = doc["data"]
                return data
        except (OSError, ValueError, RecursionError):
            pass
    data = tomllib.loads(text)
    if entry is not None:
        _keep(entry, {"format": FORMAT, "sha256": digest, "data": data})
    return data


def _keep(entry: Path, doc: dict[str, Any]) -> None:
    try:
        raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError):
        return  # a TOML date or time: no JSON for it, so parsed each time
    try:
        entry.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.replace(tmp, entry)  # whole or not at all: a reader never sees half an entry
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
        _prune(entry.parent)
    except OSError:
        pass  # a read-only or full disk: parsed again next time


def _prune(folder: Path) -> None:
    """Only the KEEP newest entries stay (written when their file changed): older versions' go."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        with suppress(OSError):
            old.unlink()

