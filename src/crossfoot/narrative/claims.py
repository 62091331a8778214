"""Claims: relations the narrative states between its figures (growth, share, completion, remainder...).

Built from the figures of each sentence by grammar alone: a rate is tied to the amounts printed before it
in the same sentence, a share to its part and to the base it names (占X的) or to the total the list hangs
from (X，其中： / X的具体构成：).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crossfoot.knowledge import budget_period, pattern, words
from crossfoot.model import Report
from crossfoot.narrative.figures import Figure
from crossfoot.tables.labels import similarity
from crossfoot.tables.structure import outline_level

# A total a list of parts hangs from: "收入合计 X 万元，其中：" / "X 万元，主要用于".
_OPENS_LIST = pattern("narrative.opens_list")
# "本年支出的具体构成：" names the base of the shares that follow.
_NAMED_BASE = pattern("narrative.named_base")
_HEADING = pattern("narrative.part_heading")
_CLAUSE_ENDS = "。；;！？!?：:"


@dataclass(frozen=True)
class Claim:
    kind: str  # growth_rate | share | completion | execution_rate | ratio | remainder | share_sum
    stated: Figure  # the printed figure under test
    operands: tuple[Figure, ...] = ()  # growth: (current, change); share: (part,); completion: (actual, budget?)
    base: Figure | None = None  # share / share_sum: the total; completion: the budget figure if printed
    base_label: str = ""  # the base as named in the text (may be resolved to a table cell by a check)
    members: tuple[Figure, ...] = ()  # share_sum: the stated shares
    alternatives: tuple[Figure, ...] = ()  # completion: other budget figures of the sentence


def budget_kind(f: Figure) -> str:
    """'original' for 年初预算, 'whole' for 全年/调整预算, '' when the text does not say."""
    return budget_period(f.prefix)


def _amount(f: Figure) -> bool:
    return f.is_money and f.relation in (None, "actual", "budget")


def build_claims(report: Report, figures: list[Figure]) -> list[Claim]:
    claims: list[Claim] = []
    by_sentence: dict[int, list[Figure]] = {}
    for f in figures:
        by_sentence.setdefault(f.sentence_id, []).append(f)

    open_total: Figure | None = None
    shares_by_base: dict[int, list[tuple[Figure, Figure]]] = {}
    last_block = -1
    for sid in sorted(by_sentence):
        figs = by_sentence[sid]
        first = figs[0]
        block_text = report.blocks[first.block].text
        if first.block != last_block:
            if _HEADING.match(block_text):
                open_total = None
            last_block = first.block
        s_text = first.sentence
        if m := _NAMED_BASE.search(s_text):
            named = _resolve_label(figures, first.index, m.group(1))
            if named is not None:
                open_total = named
        for k, f in enumerate(figs):
            before = figs[:k]
            if f.relation == "growth_rate":
                change = next((g for g in reversed(before) if g.relation == "change"), None)
                if change is not None:
                    ci = before.index(change)
                    current = next((g for g in reversed(before[:ci]) if _amount(g)), None)
                    if current is None:
                        current = _earlier_amount(figures, change)
                    if current is not None:
                        claims.append(Claim("growth_rate", f, (current, change)))
            elif f.relation == "share":
                part = next((g for g in reversed(before) if _amount(g) and g.clause >= f.clause - 1), None)
                if part is None and k == 0:
                    part = _carried_part(report, figures, f)
                base: Figure | None = None
                base_label = f.base
                if base_label:
                    base = _resolve_label(figures, (part or f).index + 1, base_label, exclude=part)
                elif open_total is not None and (part is None or open_total.index != part.index):
                    base, base_label = open_total, open_total.label
                # Without a part, only a named base says what the share is of (占货物支出金额的 P%).
                if part is not None or f.base:
                    claims.append(Claim("share", f, (part,) if part else (), base, base_label))
                if part is not None and base is not None and not f.base:
                    shares_by_base.setdefault(base.index, []).append((part, f))
            elif f.relation in ("completion", "execution_rate"):
                actual = next((g for g in reversed(before) if g.is_money and g.relation in ("actual", None)),
                              None)
                budgets = [g for g in before if g.is_money and g.relation == "budget"]
                budget = _pick_budget(budgets, f)
                if actual is not None:
                    claims.append(Claim(f.relation, f, (actual,), budget, f.base,
                                        alternatives=tuple(b for b in budgets if b is not budget)))
            elif f.relation == "remainder":
                # The budget is often given a sentence earlier: "申请预算 X 万元。实际支付 Y 万元，其余 Z 万元".
                earlier = [g for g in figures[max(0, f.index - 8):f.index] if g.sentence_id >= sid - 2]
                budget = next((g for g in reversed(earlier) if g.relation == "budget"), None)
                actual = next((g for g in reversed(before) if g.is_money and g.relation in ("actual", None)), None)
                if budget is not None and actual is not None:
                    claims.append(Claim("remainder", f, (budget, actual)))
            if _amount(f) and _OPENS_LIST.match(block_text[f.end:f.end + 12]):
                open_total = f
        claims.extend(_ratio_formulas(figs))

    for base_idx, pairs in shares_by_base.items():
        if len(pairs) >= 2:
            claims.append(Claim("share_sum", figures[base_idx], tuple(p for p, _ in pairs), figures[base_idx],
                                figures[base_idx].label, members=tuple(s for _, s in pairs)))
    return claims


def _carried_part(report: Report, figures: list[Figure], f: Figure) -> Figure | None:
    """The amount a share opening a paragraph is of, when the layout cut the clause there ("…住房保障支出
    445.69万元，占" | "15.16%；"): the previous paragraph's last figure, if that paragraph ends mid-clause
    on it."""
    if f.index == 0 or report.blocks[f.block].text[:f.start].strip():
        return None
    prev = figures[f.index - 1]
    text = report.blocks[prev.block].text.rstrip()
    if prev.block != f.block - 1 or not _amount(prev) or not text or text[-1] in _CLAUSE_ENDS:
        return None
    # Only the words of the share itself may stand between the amount and the cut (，占).
    tail = text[prev.end:]
    return prev if len(tail) <= 6 and not re.search(r"\d", tail) else None


def _earlier_amount(figures: list[Figure], change: Figure) -> Figure | None:
    """The amount a change refers to when the sentence before printed it ("总计 X 万元。与上年相比，总计增加 D")."""
    for g in reversed(figures[:change.index]):
        if g.sentence_id < change.sentence_id - 2:
            break
        if _amount(g) and (not change.label or similarity(g.label, change.label) >= 85):
            return g
    return None


def _pick_budget(budgets: list[Figure], rate: Figure) -> Figure | None:
    if not budgets:
        return None
    want = budget_period(rate.base)
    if want:
        for b in reversed(budgets):
            if budget_kind(b) == want:
                return b
    return budgets[-1]


def _resolve_label(figures: list[Figure], before: int, label: str, exclude: Figure | None = None
                   ) -> Figure | None:
    """The latest amount printed before figure `before` whose label names `label`."""
    best: tuple[float, Figure] | None = None
    for g in reversed(figures[:before]):
        if before - g.index > 400:
            break
        if not _amount(g) or g is exclude:
            continue
        s = similarity(label, g.label)
        if s >= 85 and (best is None or s > best[0] + 5):
            best = (s, g)
            if s >= 99:
                break
    return best[1] if best else None


_FORMULA = re.compile(r"([\d.,]+)\s*(?:/|÷)\s*([\d.,]+)\s*(?:[×*]\s*100\s*%?)?\s*=\s*([\d.,]+)\s*[%％]")


def _ratio_formulas(figs: list[Figure]) -> list[Claim]:
    """'152.52/883.56=17.3%': the rate the printed division gives."""
    out: list[Claim] = []
    if not figs:
        return out
    s = figs[0].sentence
    for m in _FORMULA.finditer(s):
        a0, b0, c0 = (figs[0].sentence_start + m.start(i) for i in (1, 2, 3))
        fa = next((f for f in figs if f.start == a0), None)
        fb = next((f for f in figs if f.start == b0), None)
        fc = next((f for f in figs if f.start == c0), None)
        if fa and fb and fc:
            out.append(Claim("ratio", fc, (fa, fb)))
    return out


_ENDS_WITH_LIST = pattern("narrative.ends_with_list")
_NEW_SUBJECT = pattern("narrative.new_subject")
_SUB_HEADING = pattern("narrative.sub_heading")


def itemised_totals(report: Report, figures: list[Figure]) -> list[tuple[Figure, list[Figure]]]:
    """Paragraphs ending in 其中： (the total) and the first amount of each item sentence that follows.

    Items stop at the next heading or at a sentence with no amount; a list with a nested 其中 is
    dropped, since its items would count twice.
    """
    by_block: dict[int, list[Figure]] = {}
    for f in figures:
        by_block.setdefault(f.block, []).append(f)
    out: list[tuple[Figure, list[Figure]]] = []
    for bi, figs in by_block.items():
        if not _ENDS_WITH_LIST.search(report.blocks[bi].text.rstrip()):
            continue
        last = [g for g in figs if g.sentence_id == figs[-1].sentence_id]
        # The lead-in may follow an explanation: the total is in the paragraph's first sentence then.
        lead = last if _ENDS_WITH_LIST.search(last[0].sentence) else \
            [g for g in figs if g.sentence_id == figs[0].sentence_id]
        total = next((g for g in lead if g.is_money and g.relation == "actual"), None) or \
            next((g for g in lead if g.is_money and g.relation is None), None)
        if total is None:
            continue
        items: list[Figure] = []
        nested = False
        lead_level = outline_level(report.blocks[bi].text)
        for b2 in range(bi + 1, min(len(report.blocks), bi + 12)):
            text = report.blocks[b2].text
            figs2 = by_block.get(b2, [])
            # A heading, or a paragraph that opens a new subject (本部门… / 2023年度…), ends the list; so
            # does the total's next sibling ("2．…其中：(1)…(2)… 3．…").
            if _SUB_HEADING.match(text) or not figs2 or _NEW_SUBJECT.match(text):
                break
            level = outline_level(text)
            if lead_level and level and level <= lead_level:
                break
            for sid in sorted({g.sentence_id for g in figs2}):
                sfigs = [g for g in figs2 if g.sentence_id == sid]
                amount = next((g for g in sfigs if g.is_money and g.relation in (None, "actual")), None)
                if amount is None:
                    continue
                if any(w in amount.sentence for w in words("rows.breakdown")):
                    nested = True
                items.append(amount)
        if items and not nested:
            out.append((total, items))
    return out
