"""The hand-checked link set: loading the cases and measuring a linker against them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crossfoot.checks.context import Context
from crossfoot.findings import CellRef
from crossfoot.model import Report
from crossfoot.narrative.figures import Figure

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent.parent / "shared" / "corpus"

Triple = tuple[str, str, str]


@dataclass(frozen=True)
class Case:
    page: int
    fig: str
    near: str
    nth: int
    cells: tuple[Triple, ...]
    none_ok: bool
    state: str  # expected state when linked: holds | differs


@dataclass
class Outcome:
    case: Case
    figure: Figure | None
    state: str  # holds | differs | unlinked | missing (figure not found)
    cell: CellRef | None
    table_title: str
    right: bool
    false_hold: bool


@dataclass
class Score:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def right(self) -> int:
        return sum(o.right for o in self.outcomes)

    @property
    def false_holds(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.false_hold]


def _cells(raw: Any) -> tuple[tuple[Triple, ...], bool]:
    if raw == "none":
        return (), True
    items = raw if (raw and isinstance(raw[0], list)) or (raw and raw[0] == "none") else [raw]
    triples: list[Triple] = []
    none_ok = False
    for it in items:
        if it == "none":
            none_ok = True
        else:
            t, r, c = it
            triples.append((str(t), str(r), str(c)))
    return tuple(triples), none_ok


def load_cases(name: str) -> tuple[str, list[Case]]:
    data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    report = str(data["report"])
    if "cases_from" in data:
        _, cases = load_cases(str(data["cases_from"]))
        return report, cases
    out: list[Case] = []
    for c in data["cases"]:
        cells, none_ok = _cells(c["cell"])
        out.append(Case(int(c["p"]), str(c["fig"]), str(c.get("near") or ""), int(c.get("nth", 0)), cells,
                        none_ok, str(c.get("state", "holds"))))
    return report, out


def case_files() -> list[str]:
    return sorted(p.name for p in HERE.glob("*.yaml"))


def find_figure(figures: list[Figure], case: Case) -> Figure | None:
    """The case's figure: same page and printed text; `near` picks the one printed closest after it."""
    same = [f for f in figures if f.page == case.page and f.text.replace(" ", "") == case.fig]
    if case.near:
        ranked: list[tuple[int, int, Figure]] = []
        for f in same:
            before = f.sentence[:f.start - f.sentence_start]
            k = before.rfind(case.near)
            if k >= 0:
                ranked.append((len(before) - k, f.index, f))
        ranked.sort(key=lambda x: (x[0], x[1]))
        same = [f for _, _, f in ranked]
    return same[case.nth] if case.nth < len(same) else None


def _fits(triple: Triple, title: str, ref: CellRef) -> bool:
    t, r, c = triple
    return bool(re.search(t, title)) and bool(re.search(r, ref.label)) and bool(re.search(c, ref.column))


def measure(report: Report, cases: list[Case]) -> Score:
    from crossfoot.matching.match import link_state

    ctx = Context(report)
    titles = {t.id: f"{t.code} {t.title or ''}" if t.code else t.title or "" for t in report.tables}
    score = Score()
    for case in cases:
        f = find_figure(ctx.figures, case)
        if f is None:
            score.outcomes.append(Outcome(case, None, "missing", None, "", False, False))
            continue
        m = ctx.matches.get(f.index)
        state = link_state(m)
        ref = m.best if m is not None else None
        title = titles.get(ref.table, "") if ref is not None else ""
        fits = ref is not None and any(_fits(tr, title, ref) for tr in case.cells)
        right = case.none_ok if ref is None else fits and state == case.state
        false_hold = state == "holds" and not (fits and case.state == "holds")
        score.outcomes.append(Outcome(case, f, state, ref, title, right, false_hold))
    return score


def describe(o: Outcome) -> str:
    c = o.case
    got = "—" if o.cell is None else f"{o.table_title} | {o.cell.label} | {o.cell.column} = {o.cell.value}"
    want = "none" if not c.cells else " or ".join("|".join(t) for t in c.cells) + (" or none" if c.none_ok else "")
    return f"p{c.page} {c.fig} (near {c.near!r}): {o.state} {got}  — want {want} [{c.state}]"
