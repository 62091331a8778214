"""Ingest: a report file (PDF, or a text/markdown export) into the document model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crossfoot.errors import EmptyFile, InputError, NotAReport
from crossfoot.model import Report

Progress = Callable[[int, int], None]  # (pages done, pages total)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}

# Bump whenever the parse of the same PDF may change: it keys the parse cache (crossfoot.cache).
PARSER_VERSION = "3"


def load(path: str | Path, *, password: str | None = None, progress: Progress | None = None,
         use_cache: bool = True) -> Report:
    """Read a report. Raises an InputError subclass (one-line message) when it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a report")
    try:
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as e:
        raise InputError(f"{p}: cannot be read ({e.strerror or e})") from None
    if not head:
        raise EmptyFile(f"{p}: the file is empty")
    if head.lstrip()[:5] == b"%PDF-" or p.suffix.lower() == ".pdf":
        if b"%PDF-" not in head:
            raise NotAReport(f"{p}: named .pdf but is not a PDF file")

        def build() -> Report:
            # Imported here: a warm (cached) run never loads pdfplumber.
            from crossfoot.ingest.pdf import read_pdf

            return read_pdf(p, password=password, progress=progress)

        # A password-protected report is never cached: its decrypted text would sit on disk in clear.
        if use_cache and password is None:
            from crossfoot.cache import cached_load

            return cached_load(p, build)
        return build()
    if p.suffix.lower() in TEXT_SUFFIXES or _looks_like_text(head):
        from crossfoot.ingest.text import read_text

        return read_text(p)
    raise NotAReport(f"{p}: not a PDF or a text export of a report")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        # A multi-byte character cut at the 1024-byte boundary is still text.
        return e.start >= len(head) - 3
    return True
