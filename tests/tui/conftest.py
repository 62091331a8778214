from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from crossfoot.tui.app import CrossfootApp

from .factory import make_analysis


@pytest.fixture
def app() -> CrossfootApp:
    return CrossfootApp(analysis=make_analysis(), use_store=False)


@pytest.fixture
def store_app(tmp_path: Path) -> CrossfootApp:
    return CrossfootApp(analysis=make_analysis(), review_db=str(tmp_path / "reviews.sqlite3"), reviewer="tester")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests in a fresh event loop: Pilot needs one, and no async plugin is installed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**args))
    return True
