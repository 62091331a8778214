"""Input problems crossfoot answers with one clear line (exit code 2), never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """The input cannot be read as a report. str(e) is the one-line message for the user."""

    exit_code = 2


class NotAReport(InputError):
    """Neither a PDF nor a text/markdown export."""


class EmptyFile(InputError):
    pass


class CorruptPDF(InputError):
    pass


class EncryptedPDF(InputError):
    """Password-protected, and no (or a wrong) --password was given."""


class NoTextLayer(InputError):
    """A scanned report: every page is an image; it needs OCR first."""
