"""The marked-up report: a copy of the original PDF with every finding drawn on it as standard annotations.

Each finding gets a highlight over its quote's glyphs (one quad per run on a line) and a box around each
cell it was checked against, in one colour per verdict, and a note with the check, the stated and
recomputed values and the arithmetic; the first page carries a summary note and the outline one bookmark
per finding. Page content streams are never touched: the file is cloned and only /Annots and /Outlines
are added, so any viewer can hide, print or delete the marks.

No Textual here: the CLI calls export_pdf(), the app calls annotated_pdf() and delivers the bytes.
"""

from __future__ import annotations

import io
import logging
import secrets
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crossfoot.errors import EncryptedPDF, InputError
from crossfoot.findings import Finding
from crossfoot.model import Report
from crossfoot.review.locate import (
    MIN_COVERAGE,
    Box,
    PageFrame,
    PageText,
    glyph_boxes,
    grow,
    locate_quote,
    page_end_prefix,
)
from crossfoot.review.marknotes import Mark, cell_text, note_text, outline_title, summary_text, w
from crossfoot.review.pdfannots import (
    FAINT,
    RGB,
    highlight,
    incremental_update,
    pdf_date,
    popup,
    square,
    text_note,
    with_ap,
)
from crossfoot.review.store import Review

if TYPE_CHECKING:
    from pdfplumber.pdf import PDF
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject

    from crossfoot.pipeline import Analysis
    from crossfoot.review.export import ExportOptions
    from crossfoot.review.store import ReviewStore

Dismissed = Literal["faint", "omit"]

# Verdict colours: problems loud, what holds quiet; a reviewer's own finding stands apart from both.
COLOURS: dict[str, RGB] = {
    "inconsistent": (0.90, 0.12, 0.12),
    "rounding": (0.95, 0.60, 0.05),
    "consistent": (0.20, 0.65, 0.30),
    "unchecked": (0.55, 0.55, 0.55),
    "manual": (0.45, 0.25, 0.85),
}
# Confirmed problems stand out a little more than open ones; dismissed ones fade (or are left out).
OPACITY = {"confirmed": 0.6, "normal": 0.45, "quiet": 0.25, "faint": FAINT}
CELL_PAD = 1.0


@dataclass(frozen=True)
class AnnotateOptions:
    include_all: bool = False  # also mark what was checked and held, in a quiet colour
    dismissed: Dismissed = "faint"  # dismissed findings drawn faint, or left out
    keep_password: bool = True  # an encrypted input is written encrypted with the same password


@dataclass(frozen=True)
class Outcome:
    pdf: bytes
    marked: int  # findings drawn
    highlighted: int  # of which the quote was found and highlighted
    unlocated: tuple[str, ...]  # keys of findings with a page whose quote was not found there
    boxes: int  # cell boxes drawn


# -- what to draw ----------------------------------------------------------------------------------


def marks_from(findings: Sequence[tuple[Finding, Review]], manual: Sequence[tuple[Finding, Review]],
               options: AnnotateOptions) -> list[Mark]:
    """Problems (or all, include_all) and manual findings; dismissed ones left out when asked."""
    out = [Mark(f, r) for f, r in findings if options.include_all or f.is_problem]
    out += [Mark(f, r, manual=True) for f, r in manual]
    if options.dismissed == "omit":
        out = [m for m in out if m.review.state != "dismissed"]
    return out


def colour_of(m: Mark) -> RGB:
    return COLOURS["manual"] if m.manual else COLOURS.get(m.finding.verdict, COLOURS["unchecked"])


def opacity_of(m: Mark) -> float:
    if m.review.state == "dismissed":
        return OPACITY["faint"]
    if m.review.state == "confirmed":
        return OPACITY["confirmed"]
    return OPACITY["normal"] if (m.manual or m.finding.is_problem) else OPACITY["quiet"]


# -- the PDF ---------------------------------------------------------------------------------------


@dataclass
class _Pages:
    """The report's pages as pdfplumber reads them: frames and reading-order text, made on first use."""

    plumber: PDF
    frames: dict[int, PageFrame] = field(default_factory=dict)
    texts: dict[int, PageText] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.plumber.pages)

    def frame(self, i: int) -> PageFrame:
        if i not in self.frames:
            self.frames[i] = PageFrame.of(self.plumber.pages[i])
        return self.frames[i]

    def text(self, i: int) -> PageText:
        if i not in self.texts:
            page = self.plumber.pages[i]
            self.texts[i] = PageText.of(page.chars)
            page.flush_cache()  # the glyphs are kept here; pdfplumber's parse of a long report is not
        return self.texts[i]

    def corner(self, i: int, spot: Box) -> Box:
        return _in_page(self.plumber.pages[i], spot)


def annotate(path: str | Path, marks: Sequence[Mark], report: Report | None = None, *,
             password: str | None = None, options: AnnotateOptions | None = None,
             exported_by: str = "", stale: int = 0) -> Outcome:
    """The report at path with marks drawn on it, as PDF bytes (page content untouched).

    An unencrypted report gets the marks as an incremental update: the original file's bytes come
    first, unchanged, so a signature over them still verifies and anyone can cut the marks off. pypdf
    cannot append to an encrypted file, which is rewritten whole (and re-encrypted unless told not to);
    nor is a damaged file appended to (its broken cross-references would stay): it is rewritten whole.
    """
    from pypdf import PdfWriter

    from crossfoot.ingest.guard import open_pdf

    opts = options or AnnotateOptions()
    src = Path(path)
    with _quiet_pypdf(), open_pdf(src, password) as plumber:
        reader, owner_pw = _reader(src, password)
        pages = _Pages(plumber)
        if not reader.is_encrypted and _sound(src):
            try:
                return _draw(PdfWriter(reader, incremental=True), pages, marks, report, exported_by, stale,
                             update=(reader, src.read_bytes()))
            except Exception:  # a file pypdf reads but cannot update in place: rewritten whole below
                reader, owner_pw = _reader(src, password)
        writer = PdfWriter(clone_from=reader)
        lock = _lock(reader, password, owner_pw) if reader.is_encrypted and opts.keep_password else None
        return _draw(writer, pages, marks, report, exported_by, stale, lock)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs each repair it makes to a damaged file; ingest read the same file without a word,
    and the marked-up copy is written sound, so the repairs are not the user's business here."""
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _reader(src: Path, password: str | None) -> tuple[PdfReader, bool]:
    """The report opened with pypdf and decrypted; whether the password given is the owner's."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(src)
        if not reader.is_encrypted:
            return reader, False
        kind = reader.decrypt(password or "")
    except (PyPdfError, ValueError, KeyError, OSError) as e:
        raise InputError(f"{src}: cannot be read for marking up ({type(e).__name__})") from None
    if kind == PasswordType.NOT_DECRYPTED:
        raise EncryptedPDF(f"{src}: wrong password" if password else
                           f"{src}: the PDF is password-protected; give --password")
    return reader, kind == PasswordType.OWNER_PASSWORD


def _sound(src: Path) -> bool:
    """Whether pypdf reads the file strictly: cross-references right, no repair needed."""
    from pypdf import PdfReader

    try:
        return len(PdfReader(src, strict=True).pages) >= 0
    except Exception:  # any complaint at all: the file is rewritten whole rather than appended to
        return False


def _lock(reader: PdfReader, password: str | None, owner_pw: bool) -> tuple[str, str, int]:
    """User password, owner password and permissions for the copy of an encrypted report.

    The original owner password is not known: the permissions are kept under a fresh one, unless the
    user opened the file with the owner password, which then stays the owner password."""
    enc = reader.trailer["/Encrypt"].get_object()
    perms = int(enc.get("/P", -1)) if isinstance(enc, dict) else -1
    pw = password or ""
    return pw, (pw if owner_pw and pw else secrets.token_hex(16)), perms & 0xFFFFFFFF


def _draw(writer: PdfWriter, pages: _Pages, marks: Sequence[Mark], report: Report | None, exported_by: str,
          stale: int, lock: tuple[str, str, int] | None = None,
          update: tuple[PdfReader, bytes] | None = None) -> Outcome:
    """Every mark drawn with writer; written as an update of the original when given (reader, bytes)."""
    from pypdf.constants import UserAccessPermissions
    from pypdf.generic import NameObject

    n_pages = min(len(writer.pages), len(pages))
    now = pdf_date(datetime.now(UTC))
    drawn: list[tuple[Mark, int, tuple[float, float] | None]] = []  # mark, page index, bookmark target
    highlighted = boxes = 0
    unlocated: list[str] = []
    margin_slots: Counter[int] = Counter()
    for m in marks:
        f = m.finding
        on_page = bool(f.page and 0 < f.page <= n_pages)
        idx = (f.page or 1) - 1 if on_page else 0
        colour, alpha = colour_of(m), opacity_of(m)
        name = f"crossfoot:{f.key}"
        contents = note_text(m, report)
        title = f.check if not m.manual else (m.review.reviewer or w("field", "manual"))
        parts = _quote_boxes(f.quote, idx, n_pages, pages.text, _rows(report, f, idx)) if on_page else []
        fr = pages.frame(idx)
        target: tuple[float, float] | None = None
        parent: DictionaryObject | None = None
        for part, (pidx, quads) in enumerate(parts):
            pfr = pages.frame(pidx)
            suffix = ":quote" if part == 0 else f":quote:{part + 1}"
            hl = highlight(pfr, quads, colour, alpha, contents, title, name + suffix, now)
            added = writer.add_annotation(pidx, with_ap(writer, hl, pfr, quads, colour, alpha, "hl"))
            popup(writer, pidx, added, pfr, quads[0])
            if part == 0:
                parent, target = added, pfr.top_of(quads[0])
        if parts:
            highlighted += 1
        else:
            if on_page:
                unlocated.append(f.key)
            spot = _beside_cell(report, f, idx, pages.corner(idx, (0.0, 0.0, 0.0, 0.0)))
            if spot is None:  # nothing of it on the page to point at: the page's top-left margin
                slot = margin_slots[idx]
                margin_slots[idx] += 1
                spot = pages.corner(idx, (6.0, 34.0 + 22.0 * slot, 24.0, 52.0 + 22.0 * slot))
            parent = writer.add_annotation(idx, text_note(fr, spot, colour, alpha, contents, title,
                                                          name + ":note", now))
            target = fr.top_of(spot)
        for n, ref in enumerate(f.refs):
            cell = _cell(report, ref.table, ref.row, ref.col)
            if cell is None or cell[1] < 1 or cell[1] > n_pages:
                continue
            bbox, page_no = cell
            cfr = pages.frame(page_no - 1)
            info = (cell_text(ref.table, ref.label, ref.column, ref.value, ref.page, report) + "\n"
                    + w("field", "cell_for", check=w("check", f.check), page=f.page or "-"))
            sq = square(cfr, grow(bbox, CELL_PAD), colour, alpha, info, title, f"{name}:cell:{n}", now)
            if page_no - 1 == idx and parent is not None:  # grouped with the note: moved and deleted with it
                sq[NameObject("/IRT")] = parent.indirect_reference
                sq[NameObject("/RT")] = NameObject("/Group")
            writer.add_annotation(page_no - 1, with_ap(writer, sq, cfr, [grow(bbox, CELL_PAD)], colour,
                                                       min(1.0, alpha * 2), "box"))
            boxes += 1
        drawn.append((m, idx, target))
    if n_pages:
        spot = pages.corner(0, (6.0, 6.0, 24.0, 24.0))
        writer.add_annotation(0, text_note(pages.frame(0), spot, COLOURS["unchecked"], 1.0,
                                           summary_text(marks, exported_by, stale),
                                           w("field", "summary_title"), "crossfoot:summary", now))
    if drawn:
        _bookmarks(writer, drawn)
    if lock is not None:
        writer.encrypt(user_password=lock[0], owner_password=lock[1],
                       permissions_flag=UserAccessPermissions(lock[2]), algorithm="AES-256")
    if update is not None:
        data = incremental_update(writer, *update)
    else:
        buf = io.BytesIO()
        writer.write(buf)
        data = buf.getvalue()
    return Outcome(data, len(drawn), highlighted, tuple(unlocated), boxes)


def _bookmarks(writer: PdfWriter, drawn: Sequence[tuple[Mark, int, tuple[float, float] | None]]) -> None:
    """One bookmark per finding under a crossfoot entry, put first so it is what a reader sees."""
    from pypdf.generic import DictionaryObject, Fit, NameObject

    root = writer.get_outline_root()
    first = root.get("/First")
    top = writer.add_outline_item(title=w("field", "outline_root", n=len(drawn)), page_number=0, bold=True,
                                  is_open=False)
    for m, idx, target in drawn:
        fit = Fit.xyz(target[0], target[1]) if target is not None else Fit.fit()
        writer.add_outline_item(title=outline_title(m), page_number=idx, parent=top, color=colour_of(m), fit=fit)
    if first is None:
        return
    # Appended last (pypdf inserts only at the end): relink it as the first top-level entry.
    item, head = top.get_object(), first.get_object()
    prev = item.get("/Prev") if isinstance(item, DictionaryObject) else None
    if not isinstance(item, DictionaryObject) or not isinstance(head, DictionaryObject) or prev is None:
        return
    before = prev.get_object()
    if not isinstance(before, DictionaryObject):
        return
    del before[NameObject("/Next")]
    root[NameObject("/Last")] = prev
    del item[NameObject("/Prev")]
    item[NameObject("/Next")] = first
    head[NameObject("/Prev")] = top
    root[NameObject("/First")] = top


def _quote_boxes(quote: str, idx: int, n_pages: int, text: Callable[[int], PageText],
                 rows: Sequence[tuple[float, float]] = ()) -> list[tuple[int, list[Box]]]:
    """The quote's glyph boxes per page: on its page, over the page break, or on the next page (a
    paragraph's later sentence). Empty when too little of the quote was found to be sure it is this text."""
    if not quote.strip():
        return []
    first = locate_quote(quote, text(idx), rows=rows)
    found = [(idx, first.glyphs)]
    matched = first.matched
    if first.share < MIN_COVERAGE and idx + 1 < n_pages:
        # Perhaps the sentence runs over the page break: its opening ends this page, the rest opens
        # the next. Either what was matched in order ends the page, or the quote's opening does.
        heads = [h for h in (first, page_end_prefix(quote, text(idx))) if h.ends_page and h.tail]
        for head in heads:
            more = locate_quote(head.tail, text(idx + 1), at_start=True)
            if head.matched + more.matched > matched:
                found, matched = [(idx, head.glyphs), (idx + 1, more.glyphs)], head.matched + more.matched
    if first.total and matched / first.total < MIN_COVERAGE and idx + 1 < n_pages:
        # A paragraph that runs over the page break is dated by its first page: a sentence of its
        # tail is printed on the next one.
        later = locate_quote(quote, text(idx + 1))
        if later.matched > matched:
            found, matched = [(idx + 1, later.glyphs)], later.matched
    if not first.total or matched / first.total < MIN_COVERAGE:
        return []
    out = [(i, glyph_boxes(text(i), g)) for i, g in found if g]
    return [(i, b) for i, b in out if b]


def _rows(report: Report | None, f: Finding, idx: int) -> list[tuple[float, float]]:
    """The vertical extents of the cells the finding used on page idx: rows its quote may name."""
    boxes = [c[0] for c in (_cell(report, r.table, r.row, r.col) for r in f.refs) if c and c[1] - 1 == idx]
    return sorted({(b[1], b[3]) for b in boxes})


def _beside_cell(report: Report | None, f: Finding, idx: int, origin: Box) -> Box | None:
    """A note's icon just left of the finding's first cell on its page (inside it when the cell
    touches the page's edge): the row the quote names is there even when its text was not found."""
    for ref in f.refs:
        cell = _cell(report, ref.table, ref.row, ref.col)
        if cell is not None and cell[1] - 1 == idx:
            x0, top = cell[0][0], cell[0][1]
            left = x0 - 19.0 if x0 - 19.0 >= origin[0] else x0 + 1.0
            return (left, top + 1.0, left + 18.0, top + 19.0)
    return None


def _cell(report: Report | None, table: str, row: int, col: int) -> tuple[Box, int] | None:
    t = report.table(table) if report is not None else None
    if t is None or not 0 <= row < len(t.rows) or not 0 <= col < len(t.rows[row]):
        return None
    c = t.rows[row][col]
    return (c.bbox, c.page) if c.bbox is not None else None


def _in_page(page: object, spot: Box) -> Box:
    """A box given from the displayed top-left corner, in pdfplumber's frame of that page."""
    mb = getattr(page, "mediabox", (0.0, 0.0, 0.0, 0.0))
    x, y = float(mb[0]), float(mb[1])
    return (x + spot[0], y + spot[1], x + spot[2], y + spot[3])


# -- from an analysis and the review store ---------------------------------------------------------


def annotated_pdf(analysis: Analysis, store: ReviewStore | None, *, password: str | None = None,
                  options: AnnotateOptions | None = None, exported_by: str | None = None) -> Outcome:
    """The marked-up report for an analysis and its review (what the app's export calls)."""
    from crossfoot.review.store import default_reviewer

    opts = options or AnnotateOptions()
    report = analysis.report
    if Path(report.path).suffix.lower() != ".pdf":
        raise InputError(f"{report.path}: a marked-up PDF needs the PDF report, not a text export")
    if store is not None:
        rec = store.reconcile(report.sha256, analysis.findings)
        found, manual, stale = list(rec.findings), list(rec.manual), len(rec.stale)
    else:
        found, manual, stale = [(f, Review(f.key)) for f in analysis.findings], [], 0
    marks = marks_from(found, manual, opts)
    who = exported_by or (store.reviewer if store is not None else default_reviewer())
    return annotate(report.path, marks, report, password=password, options=opts, exported_by=who, stale=stale)


def export_pdf(opts: ExportOptions, report: Report) -> int:
    """`crossfoot export FILE --format pdf -o OUT.pdf [--all] [--dismissed faint|omit] [--drop-password]`."""
    import sys

    from crossfoot.fsutil import atomic_write_bytes, check_output_path
    from crossfoot.pipeline import analyse_cached
    from crossfoot.review.export import open_store_for_export

    out = opts.output
    if not out:
        raise InputError("--format pdf needs -o FILE.pdf (a PDF cannot go to standard output)")
    check_output_path(Path(out), inputs=[Path(report.path)])
    options = AnnotateOptions(include_all=opts.include_all, dismissed=opts.dismissed,
                              keep_password=opts.keep_password)
    store = open_store_for_export(opts.review_db, opts.reviewer)
    try:
        result = annotated_pdf(analyse_cached(report, use_cache=opts.use_cache), store, password=opts.password,
                               options=options, exported_by=opts.reviewer)
    finally:
        if store is not None:
            store.close()
    atomic_write_bytes(Path(out), result.pdf)
    if result.unlocated:
        print(f"crossfoot: {len(result.unlocated)} of {result.marked} findings marked with a note only "
              "(quote not found on its page)", file=sys.stderr)
    return 0
