"""Input guard: turn whatever a department published into either an open PDF or one clear InputError.

pdfminer signals trouble with a zoo of exception types (often wrapped by pdfplumber in
PdfminerException); callers should only ever see crossfoot.errors.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crossfoot.errors import CorruptPDF, EncryptedPDF, NoTextLayer

if TYPE_CHECKING:
    from pdfplumber.page import Page as PlumberPage
    from pdfplumber.pdf import PDF

# A page is unreadable when at least this share of its characters are garbage: a few stray
# (cid:NN) glyphs (bullets, dingbats) in a readable page must not hide it.
GARBAGE_SHARE = 0.3
GARBAGE_MIN = 3
# An image covering this share of a text-less page means a scan, not a blank page.
SCAN_COVER = 0.5


def _short(e: BaseException) -> str:
    """One line, bounded: pdfminer messages can embed whole object dumps."""
    name = type(e).__name__
    text = " ".join(str(e).split())
    if len(text) > 100:
        text = text[:97] + "..."
    return f"{name}: {text}" if text else name


def _unwrap(e: BaseException) -> BaseException:
    # pdfplumber wraps pdfminer's exception as the single argument of PdfminerException.
    seen = 0
    while type(e).__name__ == "PdfminerException" and e.args and isinstance(e.args[0], BaseException):
        e = e.args[0]
        seen += 1
        if seen > 5:
            break
    return e


def _is_password_error(e: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return isinstance(e, PDFPasswordIncorrect | PDFEncryptionError)


def open_pdf(path: Path, password: str | None = None) -> PDF:
    """Open a PDF with pdfplumber, or raise EncryptedPDF / CorruptPDF with a one-line message.

    The page tree is walked once here, so a broken tree fails now rather than mid-parse.
    """
    import pdfplumber

    _quiet_pdfminer()
    cap_decompression()
    p = Path(path)
    try:
        pdf = pdfplumber.open(p, password=password or "")
    except Exception as e:  # pdfminer raises assorted types, including bare KeyError/TypeError
        raise _map_open_error(p, password, e) from None
    except RecursionError as e:  # pathologically nested objects
        raise CorruptPDF(f"{p}: damaged or truncated PDF ({_short(e)})") from None
    try:
        n = len(pdf.pages)
    except Exception as e:
        _close_stream(pdf)
        raise _map_open_error(p, password, e) from None
    except RecursionError as e:
        _close_stream(pdf)
        raise CorruptPDF(f"{p}: damaged or truncated PDF (page tree: {_short(e)})") from None
    if n == 0:
        _close_stream(pdf)
        raise CorruptPDF(f"{p}: damaged or truncated PDF (no pages found)")
    return pdf


def describe_error(e: BaseException) -> str:
    """One bounded line naming what pdfminer (or pdfplumber around it) raised."""
    return _short(_unwrap(e))


# Decompressed size of one stream: a real content stream or object stream is a few MB; a compressed
# bomb (1 MB of zeros deflates 1000:1, nested filters more) is refused here, before its memory is taken.
STREAM_MB_ENV = "CROSSFOOT_MAX_STREAM_MB"
DEFAULT_STREAM_MB = 128


class DecompressionBomb(Exception):
    """A stream that inflates past the cap; raised through pdfminer so the page or file is refused."""


class _CappedInflate:
    """zlib.decompressobj that refuses to produce more than cap bytes in total."""

    def __init__(self, cap: int) -> None:
        import zlib

        self._d = zlib.decompressobj()
        self._cap = cap
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = self._cap - self._out + 1
        got = self._d.decompress(data, room if max_length <= 0 else min(room, max_length))
        self._out += len(got)
        if self._out > self._cap:
            raise DecompressionBomb(f"a stream inflates past {self._cap >> 20} MB ({STREAM_MB_ENV})")
        return got

    def flush(self, *args: int) -> bytes:
        return self.decompress(self._d.unconsumed_tail) if self._d.unconsumed_tail else self._d.flush(*args)


class _CappedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: same calls, bounded output."""

    def __init__(self, cap: int) -> None:
        import zlib

        self.error = zlib.error
        self.cap = cap

    def decompressobj(self, *args: Any, **kwargs: Any) -> _CappedInflate:
        return _CappedInflate(self.cap)

    def decompress(self, data: bytes, *args: Any, **kwargs: Any) -> bytes:
        import zlib

        d = _CappedInflate(self.cap)
        out = d.decompress(data)
        while d._d.unconsumed_tail:
            out += d.decompress(d._d.unconsumed_tail)
        if not d._d.eof:  # as zlib.decompress: a truncated stream is an error (pdfminer then salvages it)
            raise zlib.error("incomplete or truncated stream")
        return out


def cap_decompression() -> None:
    """Bound every Flate stream pdfminer inflates in this process (idempotent)."""
    from pdfminer import pdftypes

    mb = DEFAULT_STREAM_MB
    with contextlib.suppress(ValueError):
        mb = int(float(os.environ.get(STREAM_MB_ENV, "") or DEFAULT_STREAM_MB))
    if mb > 0:
        pdftypes.zlib = _CappedZlib(mb << 20)  # type: ignore[attr-defined,assignment]
    pdftypes.decompress_corrupted = _salvage_inflate


def _salvage_inflate(data: bytes) -> bytes:
    """pdfminer's decompress_corrupted (inflate a stream whose checksum is damaged, one byte at a time),
    in linear time: pdfminer's own grows an immutable bytes object per input byte, so a damaged stream of a
    few MB takes hours — a hostile file could stall the parse that way. Same result, same errors."""
    from pdfminer import pdftypes

    zlib: Any = pdftypes.zlib  # type: ignore[attr-defined]  # the capped stand-in once cap_decompression ran
    d = zlib.decompressobj()
    out = bytearray()
    view = memoryview(data)
    i = 0
    try:
        for i in range(len(data)):
            out += d.decompress(bytes(view[i:i + 1]))
    except zlib.error:
        # As pdfminer: an error before the trailing checksum is real damage, not a bad checksum.
        if i < len(data) - 3:
            raise
    return bytes(out)


_DRAW_OP = re.compile(rb"\s(?:re|m)(?=\s)")


def drawing_ops(page: PlumberPage | Any) -> int:
    """Path starts and rectangles in the page's own content streams: a cheap count taken before
    pdfminer builds one object per operator. 0 when the streams cannot be read (the parse says why)."""
    from pdfminer.pdftypes import resolve1

    try:
        contents = page.page_obj.contents
        n = 0
        for ref in contents if isinstance(contents, list) else [contents]:
            stream = resolve1(ref)
            get = getattr(stream, "get_data", None)
            if get is not None:
                n += len(_DRAW_OP.findall(get()))
        return n
    except DecompressionBomb:
        raise
    except Exception:
        return 0


def _quiet_pdfminer() -> None:
    # pdfminer logs every repair it makes ("MediaBox missing ...") as a warning; with no handler
    # configured these land on stderr, breaking the one-line-message promise. Respect an explicit level.
    lg = logging.getLogger("pdfminer")
    if lg.level == logging.NOTSET:
        lg.setLevel(logging.ERROR)


def _close_stream(pdf: PDF) -> None:
    # pdf.close() walks pdf.pages again, which is what just failed.
    with contextlib.suppress(Exception):
        pdf.stream.close()


def _map_open_error(p: Path, password: str | None, e: BaseException) -> Exception:
    inner = _unwrap(e)
    if _is_password_error(inner):
        if "unsupported" in str(inner).lower() or "unknown" in str(inner).lower():
            return EncryptedPDF(f"{p}: the PDF uses an encryption crossfoot cannot open ({_short(inner)})")
        if password:
            return EncryptedPDF(f"{p}: wrong password")
        return EncryptedPDF(f"{p}: the PDF is password-protected; give --password")
    if isinstance(inner, OSError) and not type(inner).__module__.startswith("pdfminer"):
        return CorruptPDF(f"{p}: cannot be read ({inner.strerror or _short(inner)})")
    return CorruptPDF(f"{p}: damaged or truncated PDF ({_short(inner)})")


def _is_garbage_char(text: str) -> bool:
    if text.startswith("(cid:"):
        return True
    for ch in text:
        if ch == "\ufffd":
            return True
        o = ord(ch)
        if 0xE000 <= o <= 0xF8FF or o >= 0xF0000:  # private-use areas: font-internal codes, not text
            return True
        if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r":
            return True
    return False


def _image_cover(page: Any) -> float:
    """Share of the page area covered by its largest image (clipped to the page)."""
    w = float(page.width or 0)
    h = float(page.height or 0)
    if w <= 0 or h <= 0:
        return 0.0
    best = 0.0
    for im in page.images:
        try:
            x0 = max(0.0, float(im["x0"]))
            x1 = min(w, float(im["x1"]))
            top = max(0.0, float(im["top"]))
            bottom = min(h, float(im["bottom"]))
        except (KeyError, TypeError, ValueError):
            continue
        if x1 > x0 and bottom > top:
            best = max(best, (x1 - x0) * (bottom - top) / (w * h))
    return best


def page_problem(page: PlumberPage | Any) -> str | None:
    """Why a page cannot be read as text, or None when it can (or is simply blank).

    Accepts anything with pdfplumber's Page attributes used here (chars, images, width, height).
    """
    try:
        chars = page.chars
    except Exception as e:  # a broken content stream: the page, not the report, is lost
        return f"page content cannot be parsed ({_short(_unwrap(e))})"
    except RecursionError:
        return "page content cannot be parsed (nested too deeply)"
    texts = [str(c.get("text", "")) for c in chars]
    visible = [t for t in texts if t.strip()]
    if not visible:
        try:
            cover = _image_cover(page)
        except Exception:
            cover = 0.0
        return "scanned page: needs OCR" if cover >= SCAN_COVER else None
    cid = sum(1 for t in visible if t.startswith("(cid:"))
    bad = sum(1 for t in visible if _is_garbage_char(t))
    if bad >= GARBAGE_MIN and bad >= GARBAGE_SHARE * len(visible):
        share = round(100 * bad / len(visible))
        if cid >= bad / 2:
            return f"font without a Unicode map: {share}% of characters are unmapped glyph codes (cid)"
        return f"garbled text (mojibake): {share}% of characters are unreadable"
    return None


def has_text(page: PlumberPage | Any) -> bool:
    try:
        return any(str(c.get("text", "")).strip() for c in page.chars)
    except Exception:
        return False


def check_text_layer(pdf: PDF | Any, path: Path | str | None = None) -> None:
    """Raise NoTextLayer when no page has any text. Stops at the first page that has some,
    so a normal report costs one page parse."""
    for page in pdf.pages:
        if has_text(page):
            return
    name = path if path is not None else (getattr(pdf, "path", None) or "the report")
    raise NoTextLayer(f"{name}: no text layer (scanned?) — run OCR first; no findings reported")


def no_text_layer(path: Path | str) -> NoTextLayer:
    """The NoTextLayer error for callers that learn page by page (e.g. from a worker pool)
    that no page had text."""
    return NoTextLayer(f"{path}: no text layer (scanned?) — run OCR first; no findings reported")
