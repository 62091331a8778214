"""Rewrite the check catalogue in docs/architecture.md from the registry, and docs/catalogue.md from the
report catalogue's data files (tests fail when either drifts)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from crossfoot.checks.registry import catalogue_markdown
from crossfoot.knowledge.docs import catalogue_markdown as knowledge_markdown

START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
KNOWLEDGE = DOC.parent / "catalogue.md"


def main() -> int:
    text = DOC.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _m: f"{START}\n{catalogue_markdown()}{END}",
                 text, flags=re.S)
    DOC.write_text(new, encoding="utf-8")
    KNOWLEDGE.write_text(knowledge_markdown(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
