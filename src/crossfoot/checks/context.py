"""What every check sees: the report and what was derived from it once (figures, matches)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from crossfoot.model import Report

if TYPE_CHECKING:
    from crossfoot.figures import Figure
    from crossfoot.link import Linking
    from crossfoot.match import Match, MatchMemo


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
    def match_memo(self) -> MatchMemo:
        """The cell index, label scores and candidates of this report, worked out once."""
        from crossfoot.match import MatchMemo

        return MatchMemo(self.report)

    @cached_property
    def linking(self) -> Linking:
        """Every narrative figure's link in three states (holds, differs, unlinked), with runners-up."""
        from crossfoot.link import link_figures

        return link_figures(self.match_memo, self.figures)

    @cached_property
    def matches(self) -> dict[int, Match]:
        """Figure index -> its link (holds or differs, best cell and runners-up); unlinked figures are
        absent."""
        return self.linking.matches
