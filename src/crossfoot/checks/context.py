"""What every check sees: the report and what was derived from it once (figures, matches)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from crossfoot.model import Report

if TYPE_CHECKING:
    from crossfoot.figures import Figure
    from crossfoot.match import Match


@dataclass
class Context:
    report: Report
    # Derived lazily so a structural check never pays for figure extraction it does not use.
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @cached_property
    def figures(self) -> list[Figure]:
        from crossfoot.figures import extract_figures

        return extract_figures(self.report)

    @cached_property
    def matches(self) -> dict[int, Match]:
        """Figure index -> its match (best cell and runners-up); unmatched figures are absent."""
        from crossfoot.match import match_figures

        return match_figures(self.report, self.figures)
