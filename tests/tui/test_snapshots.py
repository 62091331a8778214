"""Snapshots of the main screens at fixed sizes (update with --snapshot-update after checking by eye).

The review screen is taken at 80×24 and 120×40, with colour and with NO_COLOR (a monochrome filter
that once crashed on unstyled blank lines).
"""

from __future__ import annotations

from typing import Any

import pytest

from crossfoot.tui.app import CrossfootApp

from .factory import make_analysis


def _app() -> CrossfootApp:
    return CrossfootApp(analysis=make_analysis(), use_store=False)


def test_overview(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["o"], terminal_size=(120, 40))


def test_review_screen(snap_compare: Any) -> None:
    assert snap_compare(_app(), terminal_size=(120, 40))


def test_review_screen_small_terminal(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["enter"], terminal_size=(80, 24))


def test_review_screen_no_color(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(), terminal_size=(120, 40))


def test_review_screen_small_terminal_no_color(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(_app(), terminal_size=(80, 24))


def test_help(snap_compare: Any) -> None:
    assert snap_compare(_app(), press=["question_mark"], terminal_size=(120, 40))
