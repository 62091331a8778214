"""The linker skips scoring the names of a cell whose score cannot reach the floor it keeps: the
skip must never drop a cell the full score would keep."""

from __future__ import annotations

import pytest
from tests.conftest import load_sample

from crossfoot.checks.context import Context
from crossfoot.matching import link
from crossfoot.matching.link import link_figures
from crossfoot.matching.link_names import score_cell
from crossfoot.matching.match import MatchMemo


@pytest.mark.parametrize("name", ["000.pdf", "putuo-social-2024.pdf"])
def test_a_skipped_cell_scores_below_the_floor(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    report = load_sample(name)
    skipped: list[float] = []

    def both(*args: object, floor: float | None = None) -> tuple[float, float] | None:
        got = score_cell(*args, floor=floor)  # type: ignore[arg-type]
        full = score_cell(*args)  # type: ignore[arg-type]
        if got is None and full is not None:
            assert floor is not None and full[0] < floor, (args[0], full)
            skipped.append(full[0])
        else:
            assert got == full
        return got

    monkeypatch.setattr(link, "score_cell", both)
    ctx = Context(report)
    link_figures(MatchMemo(report), ctx.figures)
    assert skipped  # the skip is taken, and each skipped cell was below the floor


@pytest.mark.parametrize("name", ["000.pdf", "putuo-social-2024.pdf"])
def test_candidates_left_unscored_would_not_have_been_candidates(name: str) -> None:
    # The matcher leaves a cell unscored when none of its names shares a character with the label;
    # every figure's candidates are the ones scoring every cell gives.
    from crossfoot.matching import match
    from crossfoot.numbers import same_amount

    report = load_sample(name)
    ctx = Context(report)
    memo = MatchMemo(report)
    left = 0
    for fig in ctx.figures:
        if not fig.label:
            continue
        for context, min_label in (("", 50.0), ("财政拨款", 50.0), ("", 0.0)):
            got = match._candidates(memo, fig, context, min_label)
            want = match.figure_amount(fig)
            full = []
            for c, iv in zip(memo.cells, memo.intervals, strict=True):
                if c.money != fig.is_money:
                    continue
                ls = match.label_score(fig.label, c, fig.relation, context)
                eq = same_amount(iv, want)
                if eq or ls >= min_label:
                    full.append((c, ls, eq))
            full.sort(key=lambda x: -(x[1] + (50 if x[2] else 0)))
            assert got == full, fig.text
        left += sum(1 for x in match.label_scores(memo, fig.label, fig.relation, "", fig.is_money) if x is None)
    assert left  # cells were left unscored
