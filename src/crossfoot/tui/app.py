"""The review app: loads a report in a worker thread, then overview ⇄ review screens.

The app only presents: every number, link and verdict comes from the core (ingest, pipeline, review).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from crossfoot.errors import InputError
from crossfoot.tables.trust import held_back_notes
from crossfoot.textsafe import clean_line
from crossfoot.tui.commands import ReviewCommands
from crossfoot.tui.screens.help import HelpScreen
from crossfoot.tui.screens.overview import OverviewScreen
from crossfoot.tui.screens.review import ReviewScreen
from crossfoot.tui.screens.simple import ErrorScreen, LoadingScreen
from crossfoot.tui.state import ReviewState

if TYPE_CHECKING:
    from crossfoot.pipeline import Analysis
    from crossfoot.review.session import ReviewSession
    from crossfoot.review.store import ReviewStore

log = logging.getLogger(__name__)


class _Cancelled(BaseException):
    """The app is closing while the report is still being read.

    A BaseException so that the core's per-page `except Exception` (a bad page never stops a parse)
    lets it through.
    """


class CrossfootApp(App[int]):
    CSS_PATH = "crossfoot.tcss"
    TITLE = "crossfoot"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "help", key_display="?"),
        Binding("ctrl+q", "quit", "quit", priority=True),
    ]

    def __init__(self, path: str | None = None, *, analysis: Analysis | None = None,
                 password: str | None = None, use_cache: bool = False, review_db: str | None = None,
                 reviewer: str | None = None, use_store: bool = True) -> None:
        super().__init__()
        self.path = path
        self.password = password
        self.use_cache = use_cache
        self.review_db = review_db
        self.reviewer = reviewer
        self.use_store = use_store
        self.analysis: Analysis | None = analysis
        self.state: ReviewState | None = None
        self.session: ReviewSession | None = None
        self.still_loading = analysis is None
        self._stop_loading = threading.Event()  # set when the app closes: the loading thread stops at the next page

    # --- start-up -------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.analysis is not None:
            state = ReviewState.build(self.analysis)
            self._on_loaded(self.analysis, state, self._open_store(self.analysis.report.sha256))
            return
        name = clean_line(Path(self.path or "").name)
        self._ui_loop = asyncio.get_running_loop()
        self.push_screen(LoadingScreen(name))
        # A daemon thread rather than a Textual thread worker: a worker runs in asyncio's default executor,
        # which the event loop joins on exit, so closing the app mid-parse would wait for the whole parse.
        # The thread carries the app's context so the callbacks it schedules run as Textual expects.
        ctx = contextvars.copy_context()
        threading.Thread(target=ctx.run, args=(self._load,), name="crossfoot-load", daemon=True).start()

    def _load(self) -> None:
        """Runs in a thread: the core is synchronous; the UI is updated through call_from_thread."""
        from crossfoot.ingest import load
        from crossfoot.pipeline import analyse_cached

        screen = self.screen
        loop = self._ui_loop

        def ui(fn: Callable[..., object], *args: object) -> None:
            # Quitting mid-parse cancels the worker: stop at the next page rather than parse on unseen.
            # Never block on the UI thread (call_from_thread would wait forever once the app has closed).
            if self._stop_loading.is_set():
                raise _Cancelled
            try:
                loop.call_soon_threadsafe(fn, *args)
            except RuntimeError:  # the event loop is closed: the app is gone
                raise _Cancelled from None

        def progress(done: int, total: int) -> None:
            if isinstance(screen, LoadingScreen):
                ui(screen.pages, done, total)

        def step(check_id: str) -> None:
            if isinstance(screen, LoadingScreen):
                ui(screen.step, f"checking: {check_id}")

        try:
            report = load(self.path or "", password=self.password, progress=progress, use_cache=self.use_cache)
            # A warm open skips the checks; figures and matches are still built below for the marks.
            analysis = analyse_cached(report, use_cache=self.use_cache and not self.password, progress=step)
            state = ReviewState.build(analysis)  # forces figure extraction and matching here, off the UI
            store = self._open_store(report.sha256)
            ui(self._on_loaded, analysis, state, store)
        except _Cancelled:
            return
        except InputError as e:
            self._fail_from_thread(self._stop_loading.is_set(), "This file cannot be opened as a report",
                                   clean_line(str(e)))
        except Exception as e:  # never a traceback on screen: say what broke, keep the log
            log.exception("loading %s failed", self.path)
            self._fail_from_thread(self._stop_loading.is_set(), "crossfoot failed while reading this report",
                                   f"{type(e).__name__}: {e}\nRun `crossfoot check` on it for details.")

    def _fail_from_thread(self, cancelled: bool, title: str, message: str) -> None:
        if not cancelled:
            with contextlib.suppress(RuntimeError):
                self._ui_loop.call_soon_threadsafe(self._fail, title, message)

    def _open_store(self, sha: str) -> ReviewStore | None:
        if not self.use_store:
            return None
        try:
            from crossfoot.review.store import ReviewStore

            store = ReviewStore.open(self.review_db, reviewer=self.reviewer)
            try:
                store.reviews(sha)  # a damaged database fails here, in this thread, not in the UI later
            except Exception:
                store.close()
                raise
            return store
        except Exception as e:  # triage is optional: reviewing without it beats not reviewing
            log.warning("review store unavailable: %s", e)
            self._store_error = str(e)
            return None

    def _fail(self, title: str, message: str) -> None:
        self.still_loading = False
        self.switch_screen(ErrorScreen(title, message))

    def _on_loaded(self, analysis: Analysis, state: ReviewState, store: ReviewStore | None) -> None:
        from crossfoot.review.session import ReviewSession

        self.still_loading = False
        self.analysis, self.state = analysis, state
        self.session = ReviewSession(analysis, store, store_error=getattr(self, "_store_error", None))
        state.add_findings(self.session.manual)
        self.install_screen(ReviewScreen(state, self.session), "review")
        self.install_screen(OverviewScreen(
            state, analysis.failed_checks, len(analysis.held_back),
            tuple(held_back_notes(analysis.report.tables, analysis.held_back))), "overview")
        # The work is on the review screen (first problem selected); the overview is one key away (o).
        if isinstance(self.screen, LoadingScreen):
            self.switch_screen("review")
        else:
            self.push_screen("review")
        if self.session.store_error:
            self.notify(f"Review triage is off: {self.session.store_error}", severity="warning", timeout=6)

    # --- views ----------------------------------------------------------------------------

    @property
    def review_screen(self) -> ReviewScreen:
        s = self.get_screen("review")
        assert isinstance(s, ReviewScreen)
        return s

    async def _goto_view(self, name: str) -> bool:
        """Show the overview or the review screen; awaited so the screen is composed before it is used."""
        if self.state is None:
            return False
        while isinstance(self.screen, HelpScreen):
            self.pop_screen()
        if self.screen.id != name:
            await self.switch_screen(name)
        return True

    async def action_overview(self) -> None:
        await self._goto_view("overview")

    async def action_review(self) -> None:
        await self._goto_view("review")

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_open_page(self, page: int) -> None:
        if await self._goto_view("review"):
            self.review_screen.open_page(page)

    async def open_table(self, table_id: str) -> None:
        if await self._goto_view("review"):
            self.review_screen.open_table(table_id)

    async def apply_filter(self, *, check: str | None = None, severity: str | None = None,
                           page: int | None = None, verdict: str | None = None, clear: bool = False) -> None:
        if await self._goto_view("review"):
            self.review_screen.set_filter(check=check, severity=severity, page=page, verdict=verdict, clear=clear)

    async def toggle_all(self) -> None:
        if await self._goto_view("review"):
            self.review_screen.action_toggle_all()

    async def review_action(self, action: str) -> None:
        """Run one of the review screen's actions (the palette's raise / export entries)."""
        if await self._goto_view("review"):
            await self.review_screen.run_action(action)

    def on_unmount(self) -> None:
        self._stop_loading.set()
        if self.session is not None:
            self.session.close()


def run_app(file: str, *, password: str | None = None, no_cache: bool = False, review_db: str | None = None,
            reviewer: str | None = None) -> int:
    # A missing file is a one-line error and exit 2, as with `check`, not a full-screen app to quit.
    target = Path(file)
    if not target.exists():
        raise InputError(f"{target}: no such file")
    if target.is_dir():
        raise InputError(f"{target}: is a directory, not a report")
    # The parse cache is another module; without it the app parses afresh rather than failing.
    has_cache = importlib.util.find_spec("crossfoot.cache") is not None
    app = CrossfootApp(file, password=password, use_cache=has_cache and not no_cache, review_db=review_db,
                       reviewer=reviewer)
    # The page parser's process pool starts multiprocessing's resource tracker, passing it our stderr;
    # start it now, while stderr is still the terminal's and not the app's capture object.
    from multiprocessing import resource_tracker

    with contextlib.suppress(OSError, ValueError):
        resource_tracker.ensure_running()
    rc = int(app.run() or app.return_code or 0)
    if app.still_loading:
        # Closed mid-parse: the page parser's worker processes would otherwise finish every queued page
        # before the interpreter may exit. Nothing is lost: the parse cache is written atomically or not.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(rc)
    return rc
