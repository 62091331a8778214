"""docs/architecture.md's check catalogue is generated from the registry, so it cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from crossfoot.checks.registry import all_checks, catalogue_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"


def test_catalogue_in_docs_matches_registry() -> None:
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<!-- catalogue:start -->\n(.*?)<!-- catalogue:end -->", text, flags=re.S)
    assert m, "docs/architecture.md lacks the catalogue markers"
    assert m.group(1) == catalogue_markdown(), "run: python scripts/update_catalogue.py"


def test_every_check_has_a_doc_line() -> None:
    for spec in all_checks():
        assert spec.doc and "\n" not in spec.doc, spec.id
        assert spec.severity in ("high", "medium", "low", "none"), spec.id


def test_report_catalogue_in_docs_matches_the_data() -> None:
    from crossfoot.knowledge.docs import catalogue_markdown as knowledge_markdown

    text = (DOC.parent / "catalogue.md").read_text(encoding="utf-8")
    assert text == knowledge_markdown(), "run: python scripts/update_catalogue.py"
