"""Hostile PDFs built byte by byte (issue 15): each test makes its own, nothing is checked in.

Raw objects rather than a PDF library, because the point is what a library would refuse to write:
control characters in a ToUnicode map, fonts without one, compressed bombs in an object stream or a
content stream, overlays of many thousands of dots.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding%s >>"


def stream(data: bytes, extra: bytes = b"", flate: bool = False) -> bytes:
    if flate:
        data = zlib.compress(data)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def deflated_padding(prefix: bytes, pad_bytes: int, pad: bytes = b" ") -> bytes:
    """zlib data for prefix + pad_bytes of pad, compressed chunk by chunk (never held inflated)."""
    c = zlib.compressobj(9)
    out = [c.compress(prefix)]
    chunk = pad * (1 << 20)
    left = pad_bytes
    while left > 0:
        part = chunk if left >= len(chunk) else chunk[:left]
        out.append(c.compress(part))
        left -= len(part)
    out.append(c.flush())
    return b"".join(out)


def raw_pdf(objects: Sequence[bytes], *, xref: bool = True) -> bytes:
    """objects[i] is the body of object i + 1; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    size = len(objects) + 1
    if xref:
        at = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, at)
    else:  # no cross-reference table: readers rebuild it by scanning, expanding object streams
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\n%%%%EOF\n" % size
    return bytes(out)


def _pages(contents: Sequence[bytes], font: bytes, extra_objects: Sequence[bytes] = ()) -> bytes:
    """Catalog, page tree, one page per content stream, all with font /F1 (object 3)."""
    n = len(contents)
    first_page = 4 + len(extra_objects)
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(n))
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>",
                         b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n), font, *extra_objects]
    for i, content in enumerate(contents):
        page_id = first_page + 2 * i
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                    b" /Contents %d 0 R >>" % (page_id + 1))
        objs.append(content)
    return raw_pdf(objs)


TO_UNICODE_CONTROLS = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Hostile def
1 begincodespacerange
<00> <FF>
endcodespacerange
5 beginbfchar
<01> <001B>
<02> <0007>
<03> <202E>
<04> <009B>
<05> <2066>
endbfchar
1 beginbfrange
<20> <7E> <0020>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def control_chars_pdf(path: Path) -> Path:
    """A page whose ToUnicode map turns codes 1-5 into ESC, BEL, RLO, CSI (C1) and LRI: its text is an
    OSC 52 clipboard write, a terminal reset and a screen clear once extracted."""
    text = (rb"BT /F1 11 Tf 72 760 Td (Budget report of the department for the year, income and spending.) Tj "
            rb"0 -20 Td (\001]52;c;SGVsbG8=\002 clipboard \001c reset \0042J clear \003evil\005 bidi end) Tj "
            rb"0 -20 Td (More plain text on the page so that the controls are a small share of it.) Tj ET")
    return _write(path, _pages([stream(text)], HELVETICA % b" /ToUnicode 4 0 R",
                               [stream(TO_UNICODE_CONTROLS)]))


def no_unicode_map_pdf(path: Path, pages: int = 2) -> Path:
    """Every page in a Type0 Identity-H font with no ToUnicode map: only glyph ids, no text."""
    font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /Hidden /Encoding /Identity-H /DescendantFonts [4 0 R] >>")
    cid = (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Hidden /CIDSystemInfo << /Registry (Adobe) "
           b"/Ordering (Identity) /Supplement 0 >> /DW 600 >>")
    glyphs = b"".join(b"%04X" % g for g in range(20, 80))
    content = stream(b"BT /F1 12 Tf 72 760 Td <" + glyphs + b"> Tj 0 -20 Td <" + glyphs + b"> Tj ET")
    return _write(path, _pages([content] * pages, font, [cid]))


def content_bomb_pdf(path: Path, inflated: int) -> Path:
    """Two pages: a readable one, and one whose content stream inflates to `inflated` bytes."""
    ok = stream(b"BT /F1 12 Tf 72 760 Td (A readable page of the report.) Tj ET")
    data = deflated_padding(b"BT /F1 12 Tf 72 760 Td (Bomb page.) Tj ET\n", inflated)
    bomb = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return _write(path, _pages([ok, bomb], HELVETICA % b""))


def objstm_bomb_pdf(path: Path, inflated: int) -> Path:
    """The page tree (object 2) lives only in an object stream that inflates to `inflated` bytes, and
    there is no xref table: a reader expands the object stream while opening the file, before any
    page is asked for."""
    header = b"2 0 "
    data = deflated_padding(header + b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\n", inflated)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
           b" /Contents 4 0 R >>",
        4: stream(b"BT /F1 12 Tf 72 760 Td (Text.) Tj ET"),
        5: HELVETICA % b"",
        6: b"<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n"
           % (len(header), len(data)) + data + b"\nendstream",
    }
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    for num, body in objects.items():
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    out += b"trailer\n<< /Size 7 /Root 1 0 R >>\n%%EOF\n"
    return _write(path, bytes(out))


def dots_overlay(n: int) -> bytes:
    """n tiny white squares: invisible, and each one a drawn object to a parser."""
    ops = [b"1 1 1 rg"]
    for i in range(n):
        ops.append(b"%d %d 0.1 0.1 re f" % (20 + (i * 7) % 550, 20 + (i * 13) % 800))
    return b"\n".join(ops) + b"\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
