"""Checks, one module per family. Importing this package registers every check module in it."""

from __future__ import annotations

import importlib
import pkgutil

from crossfoot.checks.registry import REGISTRY, CheckSpec, all_checks, check

for _m in pkgutil.iter_modules(__path__):
    if _m.name not in ("registry", "context"):
        importlib.import_module(f"{__name__}.{_m.name}")

__all__ = ["REGISTRY", "CheckSpec", "all_checks", "check"]
