"""PDF annotation objects for the marked-up report: highlight, box, sticky note, popup, each with an
appearance stream so every viewer (and printer) draws it the same way.

Everything is in default user space; PageFrame turns the model's boxes into it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from crossfoot.review.locate import Box, PageFrame, Rect

if TYPE_CHECKING:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject

RGB = tuple[float, float, float]
BOX_WIDTH = 1.2
POPUP = (220.0, 160.0)  # a note window's width and height, in points
FAINT = 0.12  # opacity at or below which a mark is a dismissed finding's


def pdf_date(t: datetime) -> str:
    return t.strftime("D:%Y%m%d%H%M%SZ")


def _base(subtype: str, rect: Rect, colour: RGB, alpha: float, contents: str, title: str, name: str,
          now: str) -> DictionaryObject:
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        RectangleObject,
        TextStringObject,
    )

    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject(subtype),
        NameObject("/Rect"): RectangleObject([round(v, 3) for v in rect]),
        NameObject("/C"): ArrayObject([FloatObject(c) for c in colour]),
        NameObject("/CA"): FloatObject(round(alpha, 3)),
        NameObject("/Contents"): TextStringObject(contents),
        NameObject("/T"): TextStringObject(title),
        NameObject("/NM"): TextStringObject(name),
        NameObject("/M"): TextStringObject(now),
        NameObject("/CreationDate"): TextStringObject(now),
        NameObject("/F"): NumberObject(4),  # Print: the marks come out on paper too
    })


def highlight(fr: PageFrame, boxes: Sequence[Box], colour: RGB, alpha: float, contents: str, title: str,
               name: str, now: str) -> DictionaryObject:
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

    rects = [fr.rect(b) for b in boxes]
    d = _base("/Highlight", hull(rects), colour, alpha, contents, title, name, now)
    d[NameObject("/QuadPoints")] = ArrayObject([FloatObject(round(v, 3)) for b in boxes for v in fr.quad(b)])
    d[NameObject("/Subj")] = TextStringObject(_subject(contents))
    return d


def square(fr: PageFrame, box: Box, colour: RGB, alpha: float, contents: str, title: str, name: str,
            now: str) -> DictionaryObject:
    from pypdf.generic import DictionaryObject, FloatObject, NameObject

    d = _base("/Square", fr.rect(box), colour, min(1.0, alpha * 2), contents, title, name, now)
    d[NameObject("/BS")] = DictionaryObject({NameObject("/W"): FloatObject(BOX_WIDTH),
                                             NameObject("/S"): NameObject("/S")})
    return d


def text_note(fr: PageFrame, box: Box, colour: RGB, alpha: float, contents: str, title: str, name: str,
               now: str) -> DictionaryObject:
    from pypdf.generic import BooleanObject, FloatObject, NameObject, NumberObject, TextStringObject

    d = _base("/Text", fr.rect(box), colour, alpha, contents, title, name, now)
    d[NameObject("/Name")] = NameObject("/Comment")
    d[NameObject("/Open")] = BooleanObject(False)
    d[NameObject("/Subj")] = TextStringObject(_subject(contents))
    # The icon stays readable; a dismissed finding's icon is dimmed like its other marks.
    d[NameObject("/CA")] = FloatObject(0.4 if alpha <= FAINT else 1.0)
    d[NameObject("/F")] = NumberObject(28)  # Print, NoZoom, NoRotate: an icon stays upright on turned pages
    return d


def popup(writer: PdfWriter, idx: int, parent: DictionaryObject, fr: PageFrame, near: Box) -> None:
    from pypdf.generic import BooleanObject, DictionaryObject, NameObject, NumberObject, RectangleObject

    # Right of the highlight when it fits on the page as shown, else left of it; never off the page.
    w, h = fr.display_size
    left, page_top = fr.origin
    x = near[2] + 8 if near[2] + 8 + POPUP[0] <= left + w else max(left, near[0] - 8 - POPUP[0])
    top = min(max(near[1], page_top), page_top + max(h - POPUP[1], 0.0))
    d = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Popup"),
        NameObject("/Rect"): RectangleObject([round(v, 3) for v in fr.rect((x, top, x + POPUP[0], top + POPUP[1]))]),
        NameObject("/Open"): BooleanObject(False),
        NameObject("/F"): NumberObject(28),  # Print off, NoZoom, NoRotate: the window is the viewer's
        NameObject("/Parent"): parent.indirect_reference,
    })
    writer.add_annotation(idx, d)


def _subject(contents: str) -> str:
    return contents.split("\n", 1)[0]


def hull(rects: Sequence[Rect]) -> Rect:
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects),
            max(r[3] for r in rects))


def with_ap(writer: PdfWriter, d: DictionaryObject, fr: PageFrame, boxes: Sequence[Box], colour: RGB,
             alpha: float, kind: Literal["hl", "box"]) -> DictionaryObject:
    """An appearance stream drawn in user space, so viewers that do not synthesise one (and printers)
    show the mark the same way; a highlight multiplies so the text under it stays legible."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        StreamObject,
    )

    rect = hull([fr.rect(b) for b in boxes])
    r, g, b = (f"{c:.3f}" for c in colour)
    ops = ["/G0 gs"]
    if kind == "hl":
        ops.append(f"{r} {g} {b} rg")
        for q in (fr.quad(bx) for bx in boxes):
            ops.append(f"{q[0]:.2f} {q[1]:.2f} m {q[2]:.2f} {q[3]:.2f} l {q[6]:.2f} {q[7]:.2f} l "
                       f"{q[4]:.2f} {q[5]:.2f} l h f")
    else:
        h = BOX_WIDTH / 2
        ops.append(f"{r} {g} {b} RG {BOX_WIDTH} w")
        ops.append(f"{rect[0] + h:.2f} {rect[1] + h:.2f} {rect[2] - rect[0] - 2 * h:.2f} "
                   f"{rect[3] - rect[1] - 2 * h:.2f} re S")
    gs = DictionaryObject({NameObject("/Type"): NameObject("/ExtGState"),
                           NameObject("/ca"): FloatObject(round(alpha, 3)),
                           NameObject("/CA"): FloatObject(round(alpha, 3))})
    if kind == "hl":
        gs[NameObject("/BM")] = NameObject("/Multiply")
    stream = StreamObject()
    stream.set_data("\n".join(ops).encode("ascii"))
    stream.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/FormType"): NumberObject(1),
        NameObject("/BBox"): ArrayObject([FloatObject(round(v, 3)) for v in rect]),
        NameObject("/Resources"): DictionaryObject({
            NameObject("/ExtGState"): DictionaryObject({NameObject("/G0"): gs})}),
    })
    d[NameObject("/Rect")] = ArrayObject([FloatObject(round(v, 3)) for v in rect])
    d[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})
    return d


def incremental_update(writer: PdfWriter, reader: PdfReader, original: bytes) -> bytes:
    """The original file's bytes followed by one update section holding the objects the writer added
    or changed, with a classic cross-reference table chained to the original's by /Prev.

    Written here rather than by pypdf's incremental mode, whose section declares a /Size one past the
    objects it lists and so draws a warning from qpdf --check.
    """
    import io
    import re

    from pypdf.generic import IndirectObject

    tail = re.findall(rb"startxref\s+(\d+)", original[-2048:])
    if not tail:
        raise ValueError("no startxref at the end of the original file")
    out = io.BytesIO()
    out.write(original)
    if not original.endswith(b"\n"):
        out.write(b"\n")
    offsets: dict[int, tuple[int, int]] = {}  # object number -> (offset, generation)
    for ref in writer.list_objects_in_increment():
        obj = ref.get_object()
        if obj is None:
            continue
        offsets[ref.idnum] = (out.tell(), ref.generation)
        out.write(f"{ref.idnum} {ref.generation} obj\n".encode())
        obj.write_to_stream(out)
        out.write(b"\nendobj\n")
    if not offsets:
        return original
    xref_at = out.tell()
    # Object 0, the head of the free list, opens the table as in a full one: readers that check that a
    # table starts at 0 (pypdf) would otherwise renumber the entries.
    out.write(b"xref\n0 1\n0000000000 65535 f\r\n")
    numbers = sorted(offsets)
    start = 0
    while start < len(numbers):  # one subsection per run of consecutive object numbers
        end = start
        while end + 1 < len(numbers) and numbers[end + 1] == numbers[end] + 1:
            end += 1
        out.write(f"{numbers[start]} {end - start + 1}\n".encode())
        for n in numbers[start:end + 1]:
            pos, gen = offsets[n]
            out.write(f"{pos:010d} {gen:05d} n\r\n".encode())
        start = end + 1
    size = max(int(str(reader.trailer.get("/Size", 0))), numbers[-1] + 1)
    trailer = [f"/Size {size}", f"/Prev {int(tail[-1])}"]
    root = reader.trailer.raw_get("/Root")
    if isinstance(root, IndirectObject):
        trailer.append(f"/Root {root.idnum} {root.generation} R")
    info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    if isinstance(info, IndirectObject):
        trailer.append(f"/Info {info.idnum} {info.generation} R")
    head = io.BytesIO()
    ids = reader.trailer.get("/ID")
    if ids is not None:
        ids.write_to_stream(head)
        trailer.append("/ID " + head.getvalue().decode("latin-1"))
    out.write(("trailer\n<< " + " ".join(trailer) + f" >>\nstartxref\n{xref_at}\n%%EOF\n").encode("latin-1"))
    return out.getvalue()
