"""Snapshots of the main screens at fixed sizes (update with --snapshot-update after checking by eye)."""

from __future__ import annotations

from typing import Any

from crossfoot.tui.app import CrossfootApp

from .factory import make_analysis


def _app() -> CrossfootApp:
    return CrossfootApp(analysis=make_analysis(), use_store=False)


def test_overview(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(120, 40))


def test_review_screen(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["tab"], terminal_size=(120, 40))


def test_review_screen_small_terminal(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["tab", "enter"], terminal_size=(80, 24))


def test_help(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["tab", "question_mark"], terminal_size=(120, 40))
