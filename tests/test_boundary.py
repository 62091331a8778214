"""The core must not import Textual: it runs in batch jobs and on servers with no terminal."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "crossfoot.model", "crossfoot.numbers", "crossfoot.findings", "crossfoot.narrative.figures", "crossfoot.matching.match",
    "crossfoot.checks", "crossfoot.pipeline", "crossfoot.ingest", "crossfoot.render", "crossfoot.cli",
    "crossfoot.review",
]


def test_core_imports_no_textual() -> None:
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + (
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout.strip()}"
