"""Rewrite the check catalogue in docs/architecture.md from the registry (tests fail when it drifts)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from crossfoot.checks import catalogue_markdown

START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: f"{START}\n{catalogue_markdown()}{END}",
                 text, flags=re.S)
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
