"""What every check sees: the report and what was derived from it once (figures, matches, evaluations).

Every derived artefact is a typed attribute worked out on first use, by a function outside the checks
(`crossfoot.evaluate`, `crossfoot.narrative.claims`, `crossfoot.tables.scoretable`…): a check asks the context,
never another check, and nothing a check leaves behind changes what another one finds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from crossfoot.model import Report

if TYPE_CHECKING:
    from crossfoot.evaluate.amounts import AmountEvaluation
    from crossfoot.evaluate.budget import Item, Stream
    from crossfoot.findings import Finding
    from crossfoot.matching.link import Linking
    from crossfoot.matching.match import Match, MatchMemo
    from crossfoot.narrative.claims import Claim
    from crossfoot.narrative.figures import Figure
    from crossfoot.numbers import Num
    from crossfoot.tables.scoretable import ScoreTable


# Derived lazily (imports too) so a structural check never pays for figure extraction it does not use.
@dataclass
class Context:
    report: Report

    @cached_property
    def figures(self) -> list[Figure]:
        from crossfoot.narrative.figures import extract_figures

        return extract_figures(self.report)

    @cached_property
    def match_memo(self) -> MatchMemo:
        """The cell index, label scores and candidates of this report, worked out once."""
        from crossfoot.matching.match import MatchMemo

        return MatchMemo(self.report)

    @cached_property
    def linking(self) -> Linking:
        """Every narrative figure's link in three states (holds, differs, unlinked), with runners-up."""
        from crossfoot.matching.link import link_figures

        return link_figures(self.match_memo, self.figures)

    @cached_property
    def matches(self) -> dict[int, Match]:
        """Figure index -> its link (holds or differs, best cell and runners-up); unlinked figures are
        absent."""
        return self.linking.matches

    @cached_property
    def claims(self) -> list[Claim]:
        """The relations between figures the narrative asserts (growth, share, completion, remainder…)."""
        from crossfoot.narrative.claims import build_claims

        return build_claims(self.report, self.figures)

    @cached_property
    def rates(self) -> list[Finding]:
        """Every rate claim evaluated (growth_rate, share, budget_completion, execution_rate, mislabel)."""
        from crossfoot.evaluate.rates import evaluate_rates

        return evaluate_rates(self)

    @cached_property
    def amounts(self) -> AmountEvaluation:
        """Every linked amount against its cell, and which figures were found wrong."""
        from crossfoot.evaluate.amounts import evaluate_amounts

        return evaluate_amounts(self)

    @cached_property
    def contradicted_totals(self) -> dict[int, tuple[Num, list[Figure]]]:
        """Totals (…，其中：) one of their own items exceeds: figure index -> (sum of items, items)."""
        from crossfoot.evaluate.amounts import contradicted_totals

        return contradicted_totals(self)

    @cached_property
    def budget_stream(self) -> Stream:
        """The narrative blocks as one text, so a 预算 科目 paragraph split over a page is one item."""
        from crossfoot.evaluate.budget import stream

        return stream(self.report)

    @cached_property
    def budget_items(self) -> list[Item]:
        """The 预算 科目 paragraphs: heading amount and the budget sentence that follows it."""
        from crossfoot.evaluate.budget import items

        return items(self.budget_stream)

    @cached_property
    def budget_code_names(self) -> dict[str, str]:
        """功能分类 科目 code -> the name the tables print for it."""
        from crossfoot.evaluate.budget import names_by_code

        return names_by_code(self.report)

    @cached_property
    def score_tables(self) -> list[ScoreTable]:
        """The report's scoring tables (绩效自评表), read once for every check that needs them."""
        from crossfoot.tables import scoretable

        return scoretable.score_tables(self.report)
