"""Checks, one module per family. Importing this package registers every check module in it.

The registry (`registry.py`) only records checks; this package loads them, so the registry never imports
the package that imports it.
"""

from __future__ import annotations

import importlib
import pkgutil

from crossfoot.checks.registry import (
    REGISTRY,
    CheckFunction,
    CheckSpec,
    check,
    check_functions,
    emits,
    run_check,
)

for _m in pkgutil.iter_modules(__path__):
    if _m.name not in ("registry", "context"):
        importlib.import_module(f"{__name__}.{_m.name}")


def all_checks() -> list[CheckSpec]:
    """Every catalogue row (one per finding id), by family then id."""
    return sorted(REGISTRY.values(), key=lambda c: (c.family, c.id))


def catalogue_markdown() -> str:
    """The check catalogue as a Markdown table: docs/architecture.md embeds exactly this text."""
    lines = ["| id | family | severity | what it checks |", "|---|---|---|---|"]
    for spec in all_checks():
        lines.append(f"| `{spec.id}` | {spec.family} | {spec.severity} | {spec.doc} |")
    return "\n".join(lines) + "\n"


__all__ = ["REGISTRY", "CheckFunction", "CheckSpec", "all_checks", "catalogue_markdown", "check", "check_functions",
           "emits", "run_check"]
