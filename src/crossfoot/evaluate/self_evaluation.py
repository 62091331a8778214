"""Self-conflicts between a performance (绩效自评) narrative and its own 自评表: a project summary's
score, budget, spending and rate; the count of projects evaluated and their funds; a target or actual
restated differently; an indicator restating the funds row's 执行率; two counts exchanged between the
indicators of one place; a count in the text against its indicator. Called by checks/self_conflict.py."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import pairwise

from rapidfuzz import fuzz

from crossfoot.findings import Finding, FindingVerdict
from crossfoot.knowledge import pattern, words
from crossfoot.model import Block, Cell, Report
from crossfoot.numbers import BASE_UNIT, MONEY_UNITS, Num, classify, fmt, parse_number
from crossfoot.tables.scoretable import Indicator, ScoreRow, ScoreTable, indicators
from crossfoot.tables.structure import (
    cell_ref,
    clause_around,
    clauses_quote,
    compact,
    row_text,
    sentence_around,
)


def printed_amount(text: str, unit: str) -> Num | None:
    n = parse_number(text.replace("，", ","))
    return None if n is None else Num(n.value, n.decimals, text, unit)


# ---- a project's self-evaluation summary against its own 自评表 --------------------------------------

# The words are data (knowledge/vocab/scoring.toml); money units by their factor (numbers.MONEY_UNITS).
_SUMMARY = pattern("scoring.project_summary")
_YUAN = BASE_UNIT
_WAN = next(u for u, f in MONEY_UNITS.items() if f == 10000)
# The three figures a project summary states, as findings name them (全年预算数, 执行数, 执行率).
_BUDGET, _EXEC, _RATE = words("scoring.summary_figures")


def _loose(text: str, unit: str) -> Num | None:
    """A whole amount ending in zeros may be rounded to them: 3829100 is known to the hundred."""
    n = printed_amount(text, unit)
    if n is None:
        return None
    if n.decimals == 0 and n.value != 0:
        s = str(int(n.value))
        zeros = len(s) - len(s.rstrip("0"))
        return Num(n.value, -zeros, n.text, n.unit)
    return n


def _in_yuan(n: Num) -> Num:
    return n.in_unit(_YUAN) if n.unit in MONEY_UNITS and n.unit != _YUAN else n


def funds_figures(st: ScoreTable) -> tuple[Num, Num, Num | None, Cell, Cell] | None:
    """全年预算数(A), 全年执行数(B) and 执行率 of the 自评表's funds row (the numbers before its weight)."""
    fr = next((r for r in st.rows if r.funds), None)
    if fr is None:
        return None
    cells = st.table.rows[fr.row]
    before = [c for c in cells[:fr.weight_col] if c.num is not None and c.num.unit is None]
    rate = next((c.num for c in cells[fr.weight_col:fr.score_col] if c.num is not None and c.num.unit == "%"), None)
    if len(before) < 2:
        return None
    a, b = before[-2], before[-1]
    if a.num is None or b.num is None:
        return None
    return a.num, b.num, rate, a, b


def _scale_to(table_value: Num, narrative: Num, head_unit: str | None) -> Num:
    """The 自评表 says 万元 in its header, but some print 元: take the unit that puts the figures on the
    same order of magnitude as the narrative's."""
    target = _in_yuan(narrative).value
    for unit in ([head_unit] if head_unit else []) + [_WAN, _YUAN]:
        v = Num(table_value.value, table_value.decimals, table_value.text, unit)
        y = _in_yuan(v).value
        if target and y and Decimal("0.2") <= abs(y / target) <= 5:
            return _in_yuan(v)
    return _in_yuan(Num(table_value.value, table_value.decimals, table_value.text, head_unit or _WAN))


def _rate_follows(rate: Num, execd: Num, budget: Num) -> bool:
    """Whether a printed 执行率 is what the printed 执行数 / 全年预算数 give."""
    if budget.value == 0:
        return False
    e, bu = _in_yuan(execd), _in_yuan(budget)
    iv = (e.interval() / bu.interval()).scale(Decimal(100))
    return classify(rate, e.value / bu.value * 100, iv) != "inconsistent"


def project_summaries(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    titled = [st for st in tables if st.table.title and any(r.funds for r in st.rows)]
    for b in report.blocks:
        for m in _SUMMARY.finditer(b.text):
            name = compact(m.group("name"))
            best = max(titled, key=lambda st: fuzz.partial_ratio(name, compact(st.table.title or "")),
                       default=None)
            if best is None or fuzz.partial_ratio(name, compact(best.table.title or "")) < 85:
                continue
            figs = funds_figures(best)
            if figs is None:
                continue
            a, bb, rate, ca, cb = figs
            budget, execd = _loose(m.group("budget"), m.group("bu")), _loose(m.group("exec"), m.group("eu"))
            stated_rate = parse_number(m.group("rate") + "%")
            if budget is None or execd is None or stated_rate is None:
                continue
            head_unit = _WAN if _WAN in " ".join(c.text for c in best.table.rows[best.rows[0].row]) or any(
                _WAN in h for row in best.table.header for h in row) else None
            ta, tb = _scale_to(a, budget, head_unit), _scale_to(bb, execd, head_unit)
            checks: list[tuple[str, Num, Num]] = [(_BUDGET, _in_yuan(budget), ta), (_EXEC, _in_yuan(execd), tb)]
            if rate is not None:
                checks.append((_RATE, stated_rate, rate))
            bad = [(what, s, t) for what, s, t in checks
                   if not s.interval().overlaps(t.interval())]
            group = {_BUDGET: "budget", _EXEC: "exec", _RATE: "rate"}
            disputed = [what for what, _, _ in bad]
            if _RATE in disputed and len(disputed) > 1 and _rate_follows(stated_rate, execd, budget):
                # The text's rate follows from its own amounts: the amounts are what is in conflict.
                disputed.remove(_RATE)
            printed = {_BUDGET: f"{m.group('budget')}{m.group('bu')}", _EXEC: f"{m.group('exec')}{m.group('eu')}",
                       _RATE: f"{m.group('rate')}%"}
            under_test = disputed or [_EXEC, _RATE]
            verdict: FindingVerdict = "inconsistent" if bad else "consistent"
            shown = "; ".join(f"{what} {s.text or s}{'' if what == _RATE else s.unit or ''} vs the table's "
                              f"{fmt(t.value, max(t.decimals, 0))}{'%' if what == _RATE else _YUAN}"
                              for what, s, t in (bad or checks))
            yield Finding(
                check="self_conflict", severity="high" if bad else "none", verdict=verdict, page=b.page,
                quote=clauses_quote(b.text, [m.span(group[w]) for w in under_test]),
                stated="; ".join(f"{w} {printed[w]}" for w in under_test),
                expected=f"{_EXEC} {fmt(tb.value, max(tb.decimals, 0))}{_YUAN}; {_RATE} "
                         f"{rate.text if rate is not None else '?'}",
                message=f"the project's self-evaluation table ({best.table.title}) gives different figures: {shown}"
                        if bad else f"agrees with the project's self-evaluation table: {shown}",
                refs=(cell_ref(best.table, best.rows[0].row, best.table.rows[best.rows[0].row].index(ca)),
                      cell_ref(best.table, best.rows[0].row, best.table.rows[best.rows[0].row].index(cb))))


# ---- how many projects the self-evaluation covered, and with how much money ------------------------

_EVAL_COUNT = pattern("scoring.eval_count")
_EVAL_FUNDS = pattern("scoring.eval_funds")
_EVAL_SAID = words("scoring.eval_statement")
_EVAL_WHOLE = words("scoring.eval_whole")
_EVAL_PROJECT = words("scoring.eval_project")


def _eval_statements(report: Report) -> list[tuple[Block, re.Match[str], re.Match[str], str | None]]:
    out = []
    for b in report.blocks:
        for f in _EVAL_FUNDS.finditer(b.text):
            start = max((b.text.rfind(ch, 0, f.start()) for ch in "。；;"), default=-1) + 1
            head = b.text[start:f.start()]
            if not any(w in head for w in _EVAL_SAID) or any(w in head for w in _EVAL_WHOLE):
                continue
            counts = [m for m in _EVAL_COUNT.finditer(head)
                      if any(w in head[max(0, m.start() - 6):m.end() + 2] for w in _EVAL_PROJECT) or m.group("scope")]
            counts = [m for m in counts if int(m.group("n")) > 0]
            if not counts:
                continue
            c = _EVAL_COUNT.match(b.text, start + counts[-1].start())
            if c is not None:
                out.append((b, c, f, c.group("scope")))
    return out


def self_evaluation_scope(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    """The number of projects self-evaluated and the money they cover, stated in the summary and again in
    the appendix, must agree; the number of 自评表 printed settles which statement holds."""
    stmts = _eval_statements(report)
    if len(stmts) < 2:
        return
    n_tables = sum(1 for st in tables if st.total is not None and any(r.funds for r in st.rows))
    counts = [int(c.group("n")) for _, c, _, _ in stmts]
    ref = next((i for i, n in enumerate(counts) if n == n_tables), 0)
    rb, rc, rf, rscope = stmts[ref]
    ref_funds = printed_amount(rf.group("v"), rf.group("u"))
    for i, (b, c, f, scope) in enumerate(stmts):
        if i == ref or (scope and rscope and scope != rscope):
            continue
        funds = printed_amount(f.group("v"), f.group("u"))
        quote = sentence_around(b.text, c.start(), f.end())
        n, rn = int(c.group("n")), int(rc.group("n"))
        basis = f"{rn} in “{sentence_around(rb.text, rc.start(), rf.end())[:40]}…” (p{rb.page})"
        yield Finding(
            check="self_conflict", severity="none" if n == rn else "medium",
            verdict="consistent" if n == rn else "inconsistent", page=b.page, quote=quote,
            stated=f"{c.group('n')}", expected=str(rn),
            message=f"{n} projects self-evaluated here; the report says {basis}"
                    + (f" and prints {n_tables} self-evaluation tables" if n_tables else ""))
        if funds is None or ref_funds is None:
            continue
        a, r = _in_yuan(funds), _in_yuan(ref_funds)
        verdict = classify(a, r.value, r.interval())
        yield Finding(
            check="self_conflict", severity="none" if verdict != "inconsistent" else "medium",
            verdict=verdict, page=b.page, quote=quote, stated=f.group("v"),
            expected=f"{rf.group('v')}{rf.group('u')}",
            message=f"self-evaluated funds {f.group('v')}{f.group('u')} here vs {rf.group('v')}{rf.group('u')} "
                    f"on p{rb.page}")


# ---- a narrative restating a 自评表 indicator's target or actual value -----------------------------

_DEADLINE = pattern("scoring.deadline")
_DEADLINE_SET = pattern("scoring.deadline_set")
_CAP = pattern("scoring.cost_cap")
_ACTUAL = pattern("scoring.actual_amount")
_RATE_ACTUAL = pattern("scoring.rate_actual")
_RATE_NAME_END = pattern("scoring.rate_name_end")
_TARGET_SAID = pattern("scoring.target_said")
_TARGET_CAP = pattern("scoring.target_cap")
_AMOUNT_ACTUAL = pattern("scoring.amount_actual")


def _indicators(tables: list[ScoreTable]) -> list[tuple[ScoreRow, str, str, int, int, str]]:
    """(row, target, actual, target col, actual col, indicator name) of every indicator row of a 自评表."""
    return [(x.row, x.target, x.actual, x.target_col, x.actual_col, x.name) for x in indicators(tables)]


def _overlap(label: str, window: str) -> float:
    chars = set(label)
    return len(chars & set(window)) / len(chars) if chars else 0.0


def _pick(inds: list[tuple[ScoreRow, str, str, int, int, str]], window: str, page: int,
          keep: Callable[[tuple[ScoreRow, str, str, int, int, str]], bool] = lambda x: True,
          ) -> tuple[ScoreRow, str, str, int, int, str] | None:
    """The indicator the window names best; among equals, the project's own 自评表: the nearest one
    printed after the text, else the nearest before."""
    def distance(x: tuple[ScoreRow, str, str, int, int, str]) -> int:
        pages = x[0].table.pages
        return pages[0] - page if pages[0] >= page else 1000 + page - pages[-1]

    cands = [(x, _overlap(x[5], window)) for x in inds if keep(x)]
    cands = [(x, o) for x, o in cands if o >= 0.8]
    if not cands:
        return None
    return max(cands, key=lambda p: (p[1], -distance(p[0])))[0]


def restated_targets(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    inds = [x for x in _indicators(tables) if len(x[5]) >= 4]
    if not inds:
        return
    for b in report.blocks:
        for m in _DEADLINE.finditer(b.text):
            if not _DEADLINE_SET.search(b.text[max(0, m.start() - 20):m.start()]):
                continue
            window = compact(b.text[m.end():m.end() + 16])
            best = _pick(inds, window, b.page, lambda x: _DEADLINE.search(x[1]) is not None)
            if best is None:
                continue
            r, target, _, tj, _, name = best
            t = _DEADLINE.search(target)
            if t is None or (t.group("y"), int(t.group("m"))) == (m.group("y"), int(m.group("m"))):
                continue
            yield Finding(
                check="self_conflict", severity="medium", verdict="inconsistent", page=b.page,
                quote=sentence_around(b.text, m.start(), m.end()), stated=m.group(0), expected=target,
                message=f"the self-evaluation table sets {name} to {target}, not {m.group(0)}",
                refs=(cell_ref(r.table, r.row, tj, name),))
        for pat, role in ((_CAP, "target"), (_ACTUAL, "actual"), (_RATE_ACTUAL, "rate")):
            for m in pat.finditer(b.text):
                # The indicator is named earlier in the sentence ("系统建设总成本控制在…，实际购买金额…").
                sent = max((b.text.rfind(ch, 0, m.start()) for ch in "。；;"), default=-1) + 1
                window = compact(b.text[max(sent, m.start() - 40):m.start()])
                if role == "rate" and (not _RATE_NAME_END.search(window[-12:]) or _TARGET_SAID.search(window)):
                    continue  # a rate reported as achieved, not a target restated
                best = _pick(inds, window, b.page,
                             (lambda x: bool(re.fullmatch(r"\d+(?:\.\d+)?%", x[2]))) if role == "rate" else
                             (lambda x: True))
                if best is None:
                    continue
                r, target, actual, tj, aj, name = best
                if role == "rate":
                    stated = parse_number(m.group("v") + "%")
                    table_rate = parse_number(actual)
                    if stated is None or table_rate is None:
                        continue
                    verdict = classify(stated, table_rate.value, table_rate.interval())
                    yield Finding(
                        check="self_conflict", severity="medium" if verdict == "inconsistent" else "none",
                        verdict=verdict, page=b.page, quote=sentence_around(b.text, m.start(), m.end()),
                        stated=f"{m.group('v')}%", expected=actual,
                        message=f"the self-evaluation table gives {name} as achieved {actual}; "
                                f"the text says {m.group('v')}%",
                        refs=(cell_ref(r.table, r.row, aj, name),))
                    continue
                stated = printed_amount(m.group("v"), m.group("u"))
                if stated is None:
                    continue
                if role == "target":
                    tm = _TARGET_CAP.match(target)
                    table_val = printed_amount(tm.group("v"), tm.group("u")) if tm else None
                    col = tj
                else:
                    am = _AMOUNT_ACTUAL.match(actual)
                    table_val = printed_amount(am.group("v"), am.group("u") or m.group("u")) if am else None
                    col = aj
                if table_val is None:
                    continue
                sv, tv = _in_yuan(stated), _in_yuan(table_val)
                verdict = classify(sv, tv.value, tv.interval())
                yield Finding(
                    check="self_conflict", severity="medium" if verdict == "inconsistent" else "none",
                    verdict=verdict, page=b.page, quote=sentence_around(b.text, m.start(), m.end()),
                    stated=m.group("v"), expected=f"{table_val.text}{table_val.unit or ''}",
                    message=f"the self-evaluation table gives {name} {'target' if role == 'target' else 'actual'} "
                            f"{(target if role == 'target' else actual)}; the text says {m.group(0)}",
                    refs=(cell_ref(r.table, r.row, col, name),))


# ---- an indicator restating the funds row's 执行率 -------------------------------------------------

_RATE_NAME = re.compile("|".join(words("relation.rate")))


def rate_indicators(tables: list[ScoreTable]) -> Iterator[Finding]:
    """A 自评表 indicator measuring the spending rate must report the rate its own funds row shows."""
    for st in tables:
        figs = funds_figures(st)
        if figs is None:
            continue
        a, b, _, ca, cb = figs
        if a.value == 0:
            continue
        rate_iv = (b.interval() / a.interval()).scale(Decimal(100))
        exact = b.value / a.value * 100
        for ind in indicators([st]):
            if not _RATE_NAME.search(ind.name):
                continue
            actual = parse_number(ind.actual)
            if actual is None or (actual.unit not in (None, "%")):
                continue
            verdict = classify(actual, exact, rate_iv)
            r = ind.row
            fr = next(x for x in st.rows if x.funds)
            yield Finding(
                check="self_conflict", severity="low" if verdict == "inconsistent" else "none", verdict=verdict,
                page=r.table.rows[r.row][ind.actual_col].page, quote=row_text(r.table.rows[r.row]),
                stated=ind.actual, expected=f"{fmt(exact, max(actual.decimals, 0))}%",
                message=f"{ind.name} reports {ind.actual}, but the funds row gives spent {b.text} / "
                        f"budget {a.text} = {fmt(exact, 2)}%",
                refs=(cell_ref(r.table, r.row, ind.actual_col, ind.name),
                      cell_ref(st.table, fr.row, st.table.rows[fr.row].index(ca)),
                      cell_ref(st.table, fr.row, st.table.rows[fr.row].index(cb))))


# ---- two indicators of one place whose values the text gives the other way round -------------------

_PLACE_IND = pattern("scoring.place_indicator")
_COUNT_ACTUAL = pattern("scoring.count_actual")
_COUNT_ITEM = pattern("scoring.count_item")
_CLAUSE_STOP = pattern("scoring.clause_stop")


def _place_counts(tables: list[ScoreTable]) -> dict[tuple[str, str], list[tuple[Indicator, str, int, str]]]:
    """Count indicators named item(place) ("软件系统(碧村)"), by table and place: (indicator, item, value, unit)."""
    out: dict[tuple[str, str], list[tuple[Indicator, str, int, str]]] = {}
    for ind in indicators(tables):
        m, a = _PLACE_IND.match(compact(ind.name)), _COUNT_ACTUAL.match(compact(ind.actual))
        if m and a:
            out.setdefault((ind.row.table.id, m.group("place")), []).append(
                (ind, m.group("item"), int(a.group("n")), a.group("u")))
    return out


def swapped_indicators(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    """The text counting two items of one place ("碧村硬件设施3套、软件系统2套") against the 自评表's
    indicators for them: the two values exchanged (硬件部分(碧村) 2套, 软件系统(碧村) 3套) is a conflict."""
    for (_, place), rows in _place_counts(tables).items():
        if len(rows) < 2:
            continue
        for b in report.blocks:
            for pm in re.finditer(re.escape(place), b.text):
                stop = _CLAUSE_STOP.search(b.text, pm.end())
                seg_end = stop.start() if stop else len(b.text)
                pairs = []
                for it in _COUNT_ITEM.finditer(b.text, pm.end(), seg_end):
                    cands = [r for r in rows if r[1][:2] in it.group("lab") and r[3] == it.group("u")]
                    if len(cands) == 1:
                        pairs.append((it, cands[0]))
                for (i, ri), (j, rj) in pairwise(pairs):
                    ni, nj = int(i.group("n")), int(j.group("n"))
                    swapped = ni != nj and (ni, nj) == (rj[2], ri[2])
                    if ri is rj or not (swapped or (ni, nj) == (ri[2], rj[2])):
                        continue  # other differences are left to the checks of a single figure
                    u = i.group("u")
                    yield Finding(
                        check="self_conflict", severity="low" if swapped else "none",
                        verdict="inconsistent" if swapped else "consistent", page=b.page,
                        quote=clauses_quote(b.text, [(pm.start(), i.end()), j.span()]),
                        stated=f"{place} {i.group('lab')}{ni}{u}、{j.group('lab')}{nj}{j.group('u')}",
                        expected=f"{ri[1]} {ri[2]}{ri[3]}、{rj[1]} {rj[2]}{rj[3]}",
                        message=f"the self-evaluation table gives {ri[0].name} {ri[0].actual} and "
                                f"{rj[0].name} {rj[0].actual}"
                                + (": the text has the two values the other way round" if swapped else ""),
                        refs=(cell_ref(ri[0].row.table, ri[0].row.row, ri[0].actual_col, ri[0].name),
                              cell_ref(rj[0].row.table, rj[0].row.row, rj[0].actual_col, rj[0].name)))


# ---- a count the text gives for a counted indicator of a 自评表 ---------------------------------------

_COUNTED = pattern("scoring.counted")
_INT_ACTUAL = pattern("scoring.int_actual")
_TARGET_WORDS = pattern("scoring.count_target_said")
_APPROX = pattern("scoring.count_approx")
_TARGET_UNIT = pattern("scoring.target_cell_unit")
_COUNT_SUFFIX = words("scoring.count_noun_suffix")


def counted_indicators(report: Report, tables: list[ScoreTable]) -> Iterator[Finding]:
    """"共53个单位…进行整理" against the 自评表 indicator counting those units ("整理档案单位个数", 实际完成值
    25): the text and the table must give the same count. Targets ("至少2次…") are left alone, and a count
    the text repeats is reported once, where it is nearest its table."""
    inds = indicators(tables)
    best: dict[tuple[int, int], tuple[int, Finding]] = {}
    for b in report.blocks:
        for m in _COUNTED.finditer(b.text):
            u, noun = m.group("u"), m.group("noun")
            a, _ = clause_around(b.text, m.start(), m.end())
            if _TARGET_WORDS.search(b.text[a:m.start()]) or _APPROX.match(b.text[m.end():]):
                continue
            sent = compact(sentence_around(b.text, m.start(), m.end()))
            cands: list[tuple[int, Indicator, int]] = []
            for ind in inds:
                name = compact(ind.name)
                for tail in [*(noun + u + x for x in _COUNT_SUFFIX), *(noun + x for x in _COUNT_SUFFIX)]:
                    if name.endswith(tail):
                        rest = name[:-len(tail)]
                        break
                else:
                    continue
                act = _INT_ACTUAL.match(compact(ind.actual))
                tgt_unit = _TARGET_UNIT.search(compact(ind.target))
                if act is None or (act.group("u") or (tgt_unit.group("u") if tgt_unit else u)) != u:
                    continue
                if len(rest) < 2 or _overlap(rest, sent) < 0.8:
                    continue
                pages = ind.row.table.pages
                dist = pages[0] - b.page if pages[0] >= b.page else 1000 + b.page - pages[-1]
                cands.append((dist, ind, int(act.group("n"))))
            if not cands:
                continue
            dist, ind, got = min(cands, key=lambda c: c[0])
            stated = int(m.group("n"))
            ok = stated == got
            f = Finding(
                check="self_conflict", severity="none" if ok else "low",
                verdict="consistent" if ok else "inconsistent", page=b.page,
                quote=sentence_around(b.text, m.start(), m.end()), stated=f"{stated}{u}{noun}",
                expected=f"{got}{u}",
                message=f"the self-evaluation table gives {ind.name} actual {ind.actual}"
                        + ("" if ok else f"; the text counts {stated}{u}{noun}"),
                refs=(cell_ref(ind.row.table, ind.row.row, ind.actual_col, ind.name),))
            key = (id(ind), stated)
            if key not in best or dist < best[key][0]:
                best[key] = (dist, f)
    for _, f in best.values():
        yield f
