"""Text from a report is untrusted: it must never drive a terminal, a spreadsheet or a Markdown viewer.

A PDF's ToUnicode map can yield any code point, including ESC (terminal escape sequences: clipboard
writes, resets, screen clears), BEL, C1 controls (0x9B is a one-byte CSI on some terminals) and the
bidi overrides that make text read differently from what it holds. `clean` turns each such character
into a visible marker; ingest applies it once (and the report says so), every writer applies it again
because a cached parse, a reviewer's note or a file name reaches them by other roads.
"""

from __future__ import annotations

import re

# Bidi embeddings/overrides/isolates and marks: they reorder what the reader sees.
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)
# Line/paragraph separators end a line in some terminals and viewers; kept visible, not honoured.
_SEPARATORS = (0x2028, 0x2029)
# C1 controls, bidi controls and separators all show as ␦ (a Control Pictures glyph, as the C0 ones):
# not U+FFFD, which a PDF's broken font legitimately yields and which says "mojibake", not "control".
SUBSTITUTE = "\u2426"


def _table() -> dict[int, str]:
    t: dict[int, str] = {}
    for c in range(0x20):
        if chr(c) not in "\n\t":
            t[c] = chr(0x2400 + c)  # Control Pictures: ␛ for ESC, ␇ for BEL, ␍ for CR
    t[0x7F] = "\u2421"  # ␡
    for c in (*range(0x80, 0xA0), *_BIDI, *_SEPARATORS):
        t[c] = SUBSTITUTE
    return t


_TRANSLATE = _table()
_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")
# The markers themselves, so a finding can say its quote held control characters.
MARKERS = frozenset(_TRANSLATE.values())


def clean(text: str) -> str:
    """text with every terminal control (except newline and tab) replaced by a visible marker."""
    if not _UNSAFE.search(text):
        return text
    return text.translate(_TRANSLATE)


def count_unsafe(text: str) -> int:
    return len(_UNSAFE.findall(text))


def clean_line(text: str) -> str:
    """One line for a message: markers for controls, and newlines and tabs as spaces."""
    return " ".join(clean(text).split())


def has_markers(text: str) -> bool:
    return any(ch in MARKERS for ch in text)


CONTROL_NOTE = "in the text (terminal escapes, bidi overrides) shown as visible markers"


def control_note(n: int, where: str = "") -> str:
    """The report note for n control characters replaced at ingest."""
    return f"{where}{n} control character{'s' if n != 1 else ''} {CONTROL_NOTE} (\u241b, \u2426)"


def control_notes(notes: tuple[str, ...]) -> list[str]:
    """The notes of a report that say its text held control characters."""
    return [n for n in notes if CONTROL_NOTE in n]


def json_safe(doc: str) -> str:
    """A JSON document with C1 and bidi controls escaped as \\uXXXX (json.dumps escapes only C0).

    Safe on a whole document: those characters can only occur inside JSON strings.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", doc)
