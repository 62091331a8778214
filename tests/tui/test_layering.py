"""The app is at the top of the UI: screens, widgets and the palette never import it (no import cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

import crossfoot

TUI = Path(crossfoot.__file__).parent / "tui"


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_nothing_below_the_app_imports_it() -> None:
    offenders = [str(p.relative_to(TUI)) for p in TUI.rglob("*.py")
                 if p.name != "app.py" and "crossfoot.tui.app" in _imports(p)]
    assert offenders == []


def test_the_review_session_is_textual_free() -> None:
    session = Path(crossfoot.__file__).parent / "review" / "session.py"
    assert not any(m == "textual" or m.startswith("textual.") for m in _imports(session))
