"""The review screen's reviewer actions: triage, notes, undo, copy, raise a finding, export, page text.

A mixin so the screen's navigation (review.py) and the reviewer's work (here) stay apart; every write
goes through the screen's ReviewSession, never through the app.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.screen import Screen

from crossfoot.errors import InputError
from crossfoot.findings import CellRef
from crossfoot.tui.present import cell_detail, figure_detail, finding_text, table_title

if TYPE_CHECKING:
    from crossfoot.review.session import ExportScope, ReviewSession
    from crossfoot.tui.state import ReviewState
    from crossfoot.tui.widgets.findings import FindingsList
    from crossfoot.tui.widgets.narrative import NarrativeView
    from crossfoot.tui.widgets.tables import TablePane


class ReviewActions(Screen[None]):
    """Mixed into ReviewScreen, which provides the panes and the selection."""

    state: ReviewState
    session: ReviewSession

    if TYPE_CHECKING:
        @property
        def findings(self) -> FindingsList: ...
        @property
        def tables(self) -> TablePane: ...
        @property
        def narrative(self) -> NarrativeView: ...
        @property
        def pane(self) -> str: ...
        def reload_findings(self) -> None: ...
        def _preview_finding(self, i: int) -> None: ...

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without a review database the triage keys are neither offered in the footer nor active.
        return action not in ("triage", "note", "undo", "raise_finding") or self.session.has_store

    def _no_store(self) -> bool:
        if not self.session.has_store:
            self.notify("Review triage is unavailable (no review database).", severity="warning")
            return True
        return False

    def _stored(self, write: Callable[[], bool]) -> bool:
        """Run one write to the review store; a failed write (disk full, read-only or damaged database)
        is said in a notice and the app carries on."""
        try:
            return write()
        except InputError as e:
            self.notify(str(e), severity="error", timeout=8)
            return False

    def _current_finding_key(self) -> tuple[int, str] | None:
        i = self.findings.selected
        if i is None:
            self.notify("Select a finding first (n/N or the findings list).", timeout=3)
            return None
        return i, self.state.findings[i].key

    # --- decisions ------------------------------------------------------------------------

    def action_triage(self, decision: str) -> None:
        cur = self._current_finding_key()
        if cur is None or self._no_store():
            return
        if not self._stored(lambda: self.session.decide(cur[1], decision)):  # type: ignore[arg-type]
            return
        self.notify(f"Marked {decision}.", timeout=2)
        self.reload_findings()
        # Confirming or dismissing finishes this one: move on to the next finding still open.
        nxt = cur[0]
        if decision != "open":
            order = [self.state.findings[i].key for i in self.findings.rows_shown]
            key = self.session.next_open(order, cur[1])
            if key is not None:
                nxt = next(i for i in self.findings.rows_shown if self.state.findings[i].key == key)
        self.findings.select(nxt)
        self._preview_finding(nxt)

    def action_note(self) -> None:
        cur = self._current_finding_key()
        if cur is None or self._no_store():
            return
        from crossfoot.tui.screens.simple import NoteScreen

        f = self.state.findings[cur[0]]
        target = f"{f.stated} · p{f.page or '?'} · {f.check}" if f.stated else f"p{f.page or '?'} · {f.check}"

        def done(text: str | None) -> None:
            if text and self._stored(lambda: self.session.add_note(cur[1], text)):
                self.notify("Note saved.", timeout=2)
                self._after_change(cur[0])

        self.app.push_screen(NoteScreen(target, f.quote), done)

    def action_undo(self) -> None:
        if self._no_store():
            return
        try:
            ev = self.session.undo()
        except InputError as e:  # disk full, read-only or damaged database: say so, keep the app
            self.notify(str(e), severity="error", timeout=8)
            return
        self.notify("Undid your last review action." if ev else "Nothing to undo.", timeout=2)
        if ev is not None:
            self.state.set_manual(self.session.manual)
            self.reload_findings()
            if self.findings.selected is not None:
                self._preview_finding(self.findings.selected)

    def _after_change(self, i: int) -> None:
        self.reload_findings()
        self.findings.select(i)
        self._preview_finding(i)

    # --- copy -----------------------------------------------------------------------------

    def action_copy(self) -> None:
        """The selection's evidence as plain text, without the keys the detail pane suggests."""
        if self.pane == "narrative" and self.narrative.cursor is not None:
            text = _without_hints(figure_detail(self.state, self.narrative.cursor).plain)
        elif self.pane == "cells" and self.tables.cursor_key is not None:
            text = _without_hints(cell_detail(self.state, self.tables.cursor_key).plain)
        elif self.findings.selected is not None:
            text = finding_text(self.state, self.findings.selected)
        else:
            return
        self.app.copy_to_clipboard(text)
        self.notify("Copied to the clipboard (OSC 52).", timeout=2)

    # --- a reviewer's own finding ---------------------------------------------------------

    def action_raise_finding(self) -> None:
        """Raise a finding on the selected figure, cell or finding's sentence, with a note."""
        if self._no_store():
            return
        target = self._raise_target()
        if target is None:
            self.notify("Select a figure, a cell or a finding first.", timeout=3)
            return
        from crossfoot.tui.screens.dialogs import RaiseScreen

        page, quote, stated, refs, what = target

        def done(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            message, severity = answer
            try:
                f = self.session.raise_finding(page=page, quote=quote, stated=stated, message=message,
                                               severity=severity, refs=refs)  # type: ignore[arg-type]
            except InputError as e:  # disk full, read-only or damaged database: say so, keep the app
                self.notify(str(e), severity="error", timeout=8)
                return
            if f is None:
                return
            self.state.add_findings([f])
            self.reload_findings()
            i = next(j for j, g in enumerate(self.state.findings) if g.key == f.key)
            self.findings.select(i)
            self.findings.focus()
            self._preview_finding(i)
            self.notify("Finding raised; it is exported with the others.", timeout=3)

        self.app.push_screen(RaiseScreen(what), done)

    def _raise_target(self) -> tuple[int | None, str, str, tuple[CellRef, ...], str] | None:
        pane = self.pane
        if pane == "narrative" and self.narrative.cursor is not None:
            fig = self.state.figure(self.narrative.cursor)
            if fig is not None:
                return fig.page, fig.sentence, fig.text, (), f"figure {fig.text} · p{fig.page} · “{fig.sentence}”"
        if pane == "cells" and (key := self.tables.cursor_key) is not None:
            t = self.state.report.table(key[0])
            if t is not None and key[1] < len(t.rows) and key[2] < t.n_cols:
                cell = t.rows[key[1]][key[2]]
                label = t.row_label(key[1])
                ref = CellRef(t.id, key[1], key[2], label, t.column_label(key[2]), cell.text, cell.page)
                quote = f"{table_title(t)} · {label} · {t.column_label(key[2])}"
                return cell.page, quote, cell.text, (ref,), f"cell {cell.text or 'blank'} · {quote} · p{cell.page}"
        i = self.findings.selected
        if i is not None:
            f = self.state.findings[i]
            return f.page, f.quote, "", (), f"sentence · p{f.page or '?'} · “{f.quote}”"
        return None

    # --- export ---------------------------------------------------------------------------

    def action_export(self) -> None:
        from crossfoot.review.export import export_filename
        from crossfoot.tui.screens.dialogs import ExportRequest, ExportScreen

        default = str(Path.cwd() / export_filename(self.state.report, "md"))

        def done(req: ExportRequest | None) -> None:
            if req is not None:
                self._write_export(req.fmt, req.scope, req.path)

        self.app.push_screen(ExportScreen(default, web=self.app.is_web), done)

    def _write_export(self, fmt: str, scope: ExportScope, path: str) -> None:
        view = [self.state.findings[i].key for i in self.findings.rows_shown]
        try:
            data = self.session.export(fmt, scope, view)
        except Exception as e:  # an export failure is reported, never a crash mid-review
            self.notify(f"Export failed: {e}", severity="error")
            return
        if self.app.is_web:
            name = Path(path).name
            self.app.deliver_binary(io.BytesIO(data), save_filename=name)
            self.notify(f"Sending {name} to your browser.", timeout=3)
            return
        from crossfoot.fsutil import atomic_write_bytes

        try:
            atomic_write_bytes(Path(path), data)
        except OSError as e:
            self.notify(f"Could not write {path}: {e}", severity="error")
            return
        self.notify(f"Working paper written to {path}", timeout=5)

    # --- how a table was read -------------------------------------------------------------

    def action_page_text(self) -> None:
        """The current table's page(s) as read: the raw text lines, to compare with the grid by eye."""
        t = self.tables.table
        if t is None:
            self.notify("No table is shown.", timeout=2)
            return
        from crossfoot.tui.screens.dialogs import PageTextScreen

        pages = [p for p in self.state.report.pages if p.number in t.pages]
        self.app.push_screen(PageTextScreen(table_title(t), [(p.number, p.text) for p in pages]))


def _without_hints(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.startswith("enter:"))

