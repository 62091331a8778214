"""Rates the narrative states: growth, shares, completion of the budget, execution rates.

The arithmetic lives in `crossfoot.evaluate.rates`: each rate claim is evaluated once per report
(`Context.rates`) and may end as any of the ids below, or as a mislabel when the rate is right only for
another base or budget. So this one check is registered with every id it emits; the 预算 科目 growth
sentences (`crossfoot.evaluate.budget`) add their growth rates after the claims'.
"""

from __future__ import annotations

from collections.abc import Iterable

from crossfoot.checks.context import Context
from crossfoot.checks.registry import check, emits
from crossfoot.evaluate.budget import growth_findings
from crossfoot.findings import Finding


@check("growth_rate", family="narrative", severity="medium",
       doc="增长/下降 P% against change / (current − change); zero prior year reported low")
@check("share", family="narrative", severity="medium",
       doc="占 P% against part / base (named or the enclosing total); shares of one total add to 100%")
@check("budget_completion", family="narrative", severity="medium",
       doc="完成年初/全年预算的 P% against 决算 / 预算 (printed, or the budget cell on the same table row)")
@check("execution_rate", family="narrative", severity="medium",
       doc="执行率 P% against 执行数 / 预算数 (text, printed divisions a/b = P%, and 自评表 rows)")
@emits("mislabel")
def rates(ctx: Context) -> Iterable[Finding]:
    return [*ctx.rates, *growth_findings(ctx)]
