"""Ingest: a report file (PDF, or a text/markdown export) into the document model."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from crossfoot.errors import EmptyFile, InputError, NotAReport
from crossfoot.textsafe import clean_line

if TYPE_CHECKING:  # the model (and what it imports) loads while the page workers parse, not before the fork
    from crossfoot.model import Report

Progress = Callable[[int, int], None]  # (pages done, pages total)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}

# Bump whenever the parse of the same PDF may change: it keys the parse cache (crossfoot.cache).
PARSER_VERSION = "23"


def load(path: str | Path, *, password: str | None = None, progress: Progress | None = None,
         use_cache: bool = True, meanwhile: Callable[[], object] | None = None) -> Report:
    """Read a report. Raises an InputError subclass (one-line message) when it cannot be read, or
    when it reads as another kind of document than a public-finance report. `meanwhile`: what the
    caller will need next (its imports), run while the page workers parse a PDF."""
    report = _load(path, password=password, progress=progress, use_cache=use_cache, meanwhile=meanwhile)
    genre = None
    if report.kind == "unknown":
        # Imported only here: meta reads its words from the catalogue on import, which a warm run never builds.
        from crossfoot.ingest.meta import foreign_genre

        genre = foreign_genre(report.pages)
    if genre:
        from crossfoot.knowledge import load_catalogue

        kinds = "/".join(k.kind for k in load_catalogue().kinds)  # the report kinds crossfoot reads
        raise NotAReport(f"{path}: {genre}, not a public-finance report ({kinds}); nothing checked")
    return report


def _load(path: str | Path, *, password: str | None, progress: Progress | None, use_cache: bool,
          meanwhile: Callable[[], object] | None = None) -> Report:
    p = Path(path)
    head = _read_head(p)
    if not head:
        raise EmptyFile(f"{p}: the file is empty")
    if head.lstrip()[:5] == b"%PDF-" or p.suffix.lower() == ".pdf":
        if b"%PDF-" not in head:
            raise NotAReport(f"{p}: named .pdf but is not a PDF file")

        def build() -> Report:
            # Imported here: a warm (cached) run never loads pdfplumber.
            from crossfoot.ingest.pages import read_pdf

            return read_pdf(p, password=password, progress=progress, meanwhile=meanwhile)

        # A password-protected report is never cached: its decrypted text would sit on disk in clear.
        if use_cache and password is None:
            from crossfoot.cache import cached_load
            from crossfoot.ingest.words import words_version

            # The words ingest reads are data: an edit to them reparses like a new parser version.
            return _clean_path(cached_load(p, build, f"{PARSER_VERSION}.{words_version()}"))
        return _clean_path(build())
    if p.suffix.lower() in TEXT_SUFFIXES or _looks_like_text(head):
        from crossfoot.ingest.text import read_text

        return _clean_path(read_text(p))
    raise NotAReport(f"{p}: not a PDF or a text export of a report")


def _clean_path(report: Report) -> Report:
    """The file name is shown everywhere the report is: a name holding terminal controls is shown
    with visible markers instead (the file itself was opened by its real name)."""
    from dataclasses import replace

    from crossfoot.textsafe import clean

    safe = clean(report.path)
    return report if safe == report.path else replace(report, path=safe)


def _read_head(p: Path) -> bytes:
    """The first KiB of a regular file. A FIFO, a device (a symlink to /dev/zero) or a socket is refused
    before it is read: reading one blocks forever or never ends."""
    name = clean_line(str(p))
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a directory, not a report")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{name}: not a regular file (a device, pipe or socket); refusing to read it")
    try:
        # O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening does not hang.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError(f"{name}: not a regular file (a device, pipe or socket); refusing to read it")
            return fh.read(1024)
    except OSError as e:
        raise InputError(f"{name}: cannot be read ({e.strerror or e})") from None


def is_regular_file(path: str | Path) -> bool:
    """True for a regular file (following symlinks); never blocks, never raises."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the 1024-byte boundary is still text.
        return e.start >= len(head) - 3
    return True
