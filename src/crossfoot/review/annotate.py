"""The marked-up report: a copy of the original PDF with every finding drawn on it as standard annotations.

Each finding gets a highlight over its quote's glyphs (one quad per run on a line) and a box around each
cell it was checked against, in one colour per verdict, and a note with the check, the stated and
recomputed values and the arithmetic; the first page carries a summary note and the outline one bookmark
per finding. Page content streams are never touched: the file is cloned and only /Annots and /Outlines
are added, so any viewer can hide, print or delete the marks.

No Textual here: the CLI calls annotate_cli(), the app calls annotated_pdf() and delivers the bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crossfoot import __version__
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
)
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
OPACITY = {"normal": 0.45, "quiet": 0.25, "faint": FAINT}
CELL_PAD = 1.0
SUMMARY_LINES = 40  # beyond this the summary note points to the bookmarks


@dataclass(frozen=True)
class AnnotateOptions:
    include_all: bool = False  # also mark what was checked and held, in a quiet colour
    dismissed: Dismissed = "faint"  # dismissed findings drawn faint, or left out
    keep_password: bool = True  # an encrypted input is written encrypted with the same password


@dataclass(frozen=True)
class Mark:
    finding: Finding
    review: Review
    manual: bool = False


@dataclass(frozen=True)
class Outcome:
    pdf: bytes
    marked: int  # findings drawn
    highlighted: int  # of which the quote was found and highlighted
    unlocated: tuple[str, ...]  # keys of findings with a page whose quote was not found there
    boxes: int  # cell boxes drawn


@cache
def words() -> dict[str, dict[str, str]]:
    raw = resources.files("crossfoot.review").joinpath("data/annotate_zh.json").read_text("utf-8")
    data = json.loads(raw)
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _w(group: str, key: str, **kw: object) -> str:
    text = words()[group].get(key, key)
    return text.format(**kw) if kw else text


# -- what to draw ----------------------------------------------------------------------------------


def marks_from(findings: Sequence[tuple[Finding, Review]], manual: Sequence[tuple[Finding, Review]],
               options: AnnotateOptions) -> list[Mark]:
    """Problems (or all, include_all) and manual findings; dismissed ones left out when asked."""
    out = [Mark(f, r) for f, r in findings if options.include_all or f.is_problem]
    out += [Mark(f, r, manual=True) for f, r in manual]
    if options.dismissed == "omit":
        out = [m for m in out if m.review.state != "dismissed"]
    return out


def note_text(m: Mark, report: Report | None) -> str:
    """The note a viewer shows for the finding: check, quote, stated and recomputed values, arithmetic,
    cells, review state and notes."""
    f, r = m.finding, m.review
    head = f"【{_w('verdict', f.verdict)}·{_w('severity', f.severity)}】{_w('check', f.check)}（{f.check}）"
    if m.manual:
        head = f"{_w('field', 'manual')} {head}"
    where = _w("field", "page", page=f.page) if f.page else _w("field", "no_page")
    lines = [head, f"{where} {_w('field', 'quote')}：“{f.quote}”"]
    if f.stated:
        lines.append(f"{_w('field', 'stated')}：{f.stated}")
    if f.expected:
        lines.append(f"{_w('field', 'expected')}：{f.expected}")
    if f.message:
        lines.append(f"{_w('field', 'arithmetic')}：{f.message}")
    if f.refs:
        lines.append(f"{_w('field', 'cells')}：")
        lines += [f"  · {cell_text(ref.table, ref.label, ref.column, ref.value, ref.page, report)}" for ref in f.refs]
    if f.confidence == "low":
        lines.append(_w("field", "low_confidence"))
    state = _w("state", r.state)
    if r.reviewer:
        state += f" — {r.reviewer}，{_short(r.at)}"
    lines.append(f"{_w('field', 'review')}：{state}")
    if r.notes:
        lines.append(f"{_w('field', 'notes')}：")
        lines += [f"  · {n.reviewer} {_short(n.at)}：{n.text}" for n in r.notes]
    return "\n".join(lines)


def cell_text(table: str, label: str, column: str, value: str, page: int, report: Report | None) -> str:
    t = report.table(table) if report is not None else None
    name = (t.code or t.title or table) if t is not None else table
    return _w("field", "cell_of", table=name, label=label, column=column, value=value, page=page)


def _short(at: str | None) -> str:
    if not at:
        return ""
    try:
        return datetime.fromisoformat(at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        return at


def outline_title(m: Mark) -> str:
    f = m.finding
    where = _w("field", "page", page=f.page) if f.page else _w("field", "no_page")
    mark = f"{_w('field', 'manual')}·" if m.manual else ""
    values = f"{f.stated} → {f.expected}" if f.stated or f.expected else ""
    state = "" if m.review.state == "open" else f"［{_w('state', m.review.state)}］"
    title = f"{where} · {mark}{_w('check', f.check)} · {_w('verdict', f.verdict)}{state}：{values}"
    return title if len(title) <= 90 else title[:89] + "…"


def colour_of(m: Mark) -> RGB:
    return COLOURS["manual"] if m.manual else COLOURS.get(m.finding.verdict, COLOURS["unchecked"])


def opacity_of(m: Mark) -> float:
    if m.review.state == "dismissed":
        return OPACITY["faint"]
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
            self.texts[i] = PageText.of(self.plumber.pages[i].chars)
        return self.texts[i]

    def corner(self, i: int, spot: Box) -> Box:
        return _in_page(self.plumber.pages[i], spot)


def annotate(path: str | Path, marks: Sequence[Mark], report: Report | None = None, *,
             password: str | None = None, options: AnnotateOptions | None = None,
             exported_by: str = "", stale: int = 0) -> Outcome:
    """The report at path with marks drawn on it, as PDF bytes (page content untouched).

    An unencrypted report gets the marks as an incremental update: the original file's bytes come
    first, unchanged, so a signature over them still verifies and anyone can cut the marks off. pypdf
    cannot append to an encrypted file, which is rewritten whole (and re-encrypted unless told not to).
    """
    from pypdf import PdfWriter

    from crossfoot.ingest.guard import open_pdf

    opts = options or AnnotateOptions()
    src = Path(path)
    reader, owner_pw = _reader(src, password)
    with open_pdf(src, password) as plumber:
        pages = _Pages(plumber)
        if not reader.is_encrypted:
            try:
                return _draw(PdfWriter(reader, incremental=True), pages, marks, report, exported_by, stale,
                             update=(reader, src.read_bytes()))
            except Exception:
                reader, owner_pw = _reader(src, password)
        writer = PdfWriter(clone_from=reader)
        lock = _lock(reader, password, owner_pw) if reader.is_encrypted and opts.keep_password else None
        return _draw(writer, pages, marks, report, exported_by, stale, lock)


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
        title = f.check if not m.manual else (m.review.reviewer or _w("field", "manual"))
        parts = _quote_boxes(f.quote, idx, n_pages, pages.text) if on_page else []
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
                    + _w("field", "cell_for", check=_w("check", f.check), page=f.page or "-"))
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
                                           _w("field", "summary_title"), "crossfoot:summary", now))
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
    top = writer.add_outline_item(title=_w("field", "outline_root", n=len(drawn)), page_number=0, bold=True,
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


def summary_text(marks: Sequence[Mark], exported_by: str, stale: int) -> str:
    problems = [m for m in marks if m.finding.is_problem or m.manual]
    sev = Counter(m.finding.severity for m in problems)
    state = Counter(m.review.state for m in marks)
    head = _w("field", "summary_head", n=len(marks), problems=len(problems), high=sev["high"],
              medium=sev["medium"], low=sev["low"], confirmed=state["confirmed"], dismissed=state["dismissed"],
              open=state["open"], manual=sum(1 for m in marks if m.manual))
    lines = [head]
    if stale:
        lines.append(_w("field", "summary_stale", stale=stale))
    lines += [f"· {outline_title(m)}" for m in marks[:SUMMARY_LINES]]
    if len(marks) > SUMMARY_LINES:
        lines.append(_w("field", "summary_more", more=len(marks) - SUMMARY_LINES))
    at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines.append(_w("field", "exported", who=exported_by or "-", at=at, version=__version__))
    return "\n".join(lines)


def _quote_boxes(quote: str, idx: int, n_pages: int,
                 text: Callable[[int], PageText]) -> list[tuple[int, list[Box]]]:
    """The quote's glyph boxes per page: on its page, and on the next when the sentence runs over the
    page break. Empty when too little of the quote was found to be sure it is this text."""
    if not quote.strip():
        return []
    first = locate_quote(quote, text(idx))
    found = [(idx, first.glyphs)]
    matched = first.matched
    if first.share < MIN_COVERAGE and first.ends_page and first.tail and idx + 1 < n_pages:
        more = locate_quote(first.tail, text(idx + 1), at_start=True)
        found.append((idx + 1, more.glyphs))
        matched += more.matched
    if not first.total or matched / first.total < MIN_COVERAGE:
        return []
    out = [(i, glyph_boxes(text(i), g)) for i, g in found if g]
    return [(i, b) for i, b in out if b]


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


def annotate_cli(args: argparse.Namespace, report: Report) -> int:
    """`crossfoot export FILE --format pdf -o OUT.pdf [--all] [--dismissed faint|omit] [--drop-password]`."""
    import sys

    from crossfoot.fsutil import atomic_write_bytes
    from crossfoot.pipeline import analyse
    from crossfoot.review.export import open_store_for_export

    out = getattr(args, "output", None)
    if not out:
        raise InputError("--format pdf needs -o FILE.pdf (a PDF cannot go to standard output)")
    if Path(out).expanduser().resolve() == Path(report.path).expanduser().resolve():
        raise InputError(f"{out}: is the report itself; choose another output file")
    opts = AnnotateOptions(include_all=bool(getattr(args, "all", False)),
                           dismissed="omit" if getattr(args, "dismissed", "faint") == "omit" else "faint",
                           keep_password=not bool(getattr(args, "drop_password", False)))
    reviewer = getattr(args, "reviewer", None)
    store = open_store_for_export(getattr(args, "review_db", None), reviewer)
    try:
        result = annotated_pdf(analyse(report), store, password=getattr(args, "password", None), options=opts,
                               exported_by=reviewer)
    finally:
        if store is not None:
            store.close()
    atomic_write_bytes(Path(out), result.pdf)
    if result.unlocated:
        print(f"crossfoot: {len(result.unlocated)} of {result.marked} findings marked with a note only "
              "(quote not found on its page)", file=sys.stderr)
    return 0
