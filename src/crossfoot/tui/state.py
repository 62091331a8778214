"""What the review app shows, derived once from an Analysis: marks, links, filters and search.

Kept free of Textual so the linking rules can be tested (and reasoned about) on their own.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

from crossfoot.findings import SEVERITY_ORDER, Finding
from crossfoot.numbers import normalize_text

if TYPE_CHECKING:
    from crossfoot.matching.match import Match
    from crossfoot.model import Report, Table
    from crossfoot.narrative.figures import Figure
    from crossfoot.pipeline import Analysis

log = logging.getLogger(__name__)

Mark = Literal["inconsistent", "rounding", "consistent", "unmatched", "unchecked"]
CellKey = tuple[str, int, int]  # table id, row, col
K = TypeVar("K")

# The symbol carries the meaning on its own so the marks read without colour.
SYMBOL: dict[str, str] = {"inconsistent": "✗", "rounding": "≈", "consistent": "✓", "unmatched": "?",
                          "unchecked": "·"}
MARK_RANK: dict[str, int] = {"consistent": 0, "unchecked": 1, "unmatched": 2, "rounding": 3, "inconsistent": 4}
MARK_WORDS: dict[str, str] = {"inconsistent": "does not hold", "rounding": "holds only within rounding",
                              "consistent": "holds", "unmatched": "no table cell found",
                              "unchecked": "could not be checked"}


def worst(marks: Iterable[str]) -> str | None:
    ms = list(marks)
    return max(ms, key=lambda m: MARK_RANK[m]) if ms else None


def _core(s: str) -> str:
    """A printed number reduced to its digits and point, so '1,144.45万元' and '1144.45' compare equal."""
    return re.sub(r"[^\d.]", "", normalize_text(s).replace(",", ""))


def _norm(s: str) -> str:
    return normalize_text(s).replace(",", "")


@dataclass(frozen=True)
class Hit:
    """A search hit: in a narrative block at a character offset, or in a table cell."""

    kind: Literal["block", "cell"]
    block: int = -1
    start: int = -1
    end: int = -1
    cell: CellKey | None = None


@dataclass
class Filters:
    show_all: bool = False  # also list consistent / rounding results
    check: str | None = None
    severity: str | None = None
    page: int | None = None
    verdict: str | None = None  # one verdict only (shown even when show_all is off)

    def describe(self) -> str:
        parts = []
        if self.verdict:
            parts.append(f"verdict={self.verdict}")
        if self.check:
            parts.append(f"check={self.check}")
        if self.severity:
            parts.append(f"severity={self.severity}")
        if self.page is not None:
            parts.append(f"page={self.page}")
        return " ".join(parts)


@dataclass
class ReviewState:
    analysis: Analysis
    figures: list[Figure]
    matches: dict[int, Match]
    figure_note: str = ""  # why there are no figures, when extraction or matching failed
    fig_findings: dict[int, list[int]] = field(default_factory=dict)
    finding_figs: dict[int, list[int]] = field(default_factory=dict)
    cell_figs: dict[CellKey, list[int]] = field(default_factory=dict)
    cell_findings: dict[CellKey, list[int]] = field(default_factory=dict)
    filters: Filters = field(default_factory=Filters)
    manual: list[Finding] = field(default_factory=list)  # reviewers' own findings, after the analysis's
    _by_index: dict[int, Figure] | None = field(default=None, repr=False)
    _by_block: dict[int, list[Figure]] | None = field(default=None, repr=False)
    _all: tuple[Finding, ...] | None = field(default=None, repr=False)  # findings + manual, read in loops

    @property
    def report(self) -> Report:
        return self.analysis.report

    @property
    def findings(self) -> tuple[Finding, ...]:
        if self._all is None:
            self._all = self.analysis.findings + tuple(self.manual)
        return self._all

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, analysis: Analysis) -> ReviewState:
        figures, matches, note = _figures_and_matches(analysis)
        st = cls(analysis, figures, matches, note)
        st._link()
        return st

    def add_findings(self, findings: Iterable[Finding]) -> None:
        """Append reviewers' own findings (indices after the analysis's) and link them like the others."""
        known = {f.key for f in self.findings}
        new = [f for f in findings if f.key not in known]
        if not new:
            return
        first = len(self.findings)
        self.manual.extend(new)
        self._all = None
        self._link(first)

    def set_manual(self, findings: Iterable[Finding]) -> None:
        """Replace reviewers' own findings (after an undo or a retraction) and link them again."""
        n = len(self.analysis.findings)
        self.cell_findings = _below(self.cell_findings, n)
        self.fig_findings = _below(self.fig_findings, n)
        for i in [i for i in self.finding_figs if i >= n]:
            del self.finding_figs[i]
        self.manual = []
        self._all = None
        self.add_findings(findings)

    def _link(self, first: int = 0) -> None:
        by_page_core: dict[tuple[int, str], list[int]] = defaultdict(list)
        for fig in self.figures:
            by_page_core[(fig.page, _core(fig.text))].append(fig.index)
            m = self.matches.get(fig.index)
            if m is not None and first == 0:
                self.cell_figs.setdefault((m.best.table, m.best.row, m.best.col), []).append(fig.index)
        fig_by_index = {f.index: f for f in self.figures}
        for i, f in enumerate(self.findings):
            if i < first:
                continue
            for r in f.refs:
                self.cell_findings.setdefault((r.table, r.row, r.col), []).append(i)
            if f.page is None:
                continue
            cands = by_page_core.get((f.page, _core(f.stated)), [])
            quote = _norm(f.quote)
            # Findings quote the sentence, so the figure whose sentence overlaps the quote is the one;
            # a figure printed once on its page needs no quote to be told apart.
            tied = [k for k in cands if quote and _overlaps(quote, _norm(fig_by_index[k].sentence))]
            if not tied and len(cands) == 1:
                tied = cands
            for k in tied:
                self.fig_findings.setdefault(k, []).append(i)
                self.finding_figs.setdefault(i, []).append(k)

    def coverage(self) -> dict[str, int]:
        """Linked (held / differed) and unlinked narrative figures, as `check --all` counts them."""
        from crossfoot.matching.link import linkable

        linkable_figs = [f for f in self.figures if linkable(f)]
        linked = [self.matches[f.index] for f in linkable_figs if f.index in self.matches]
        held = sum(1 for m in linked if m.value_equal)
        return {"figures": len(linkable_figs), "linked": len(linked), "held": held,
                "differed": len(linked) - held, "unlinked": len(linkable_figs) - len(linked)}

    # --- marks ----------------------------------------------------------------------------

    def figure_mark(self, k: int) -> str:
        fs = self.fig_findings.get(k)
        if fs:
            return worst(_finding_mark(self.findings[i]) for i in fs) or "unchecked"
        # Three states: a link that holds, a link that differs, no link (never shown as holding).
        m = self.matches.get(k)
        if m is None:
            return "unmatched"
        return "consistent" if m.value_equal else "inconsistent"

    def cell_mark(self, key: CellKey) -> str | None:
        marks = [_finding_mark(self.findings[i]) for i in self.cell_findings.get(key, [])]
        marks += [self.figure_mark(k) for k in self.cell_figs.get(key, [])]
        return worst(marks)

    def page_mark(self, page: int) -> str | None:
        marks = [_finding_mark(f) for f in self.findings if f.page == page]
        marks += [self.figure_mark(fig.index) for fig in self.figures if fig.page == page]
        return worst(marks)

    def figures_in_block(self, b: int) -> list[Figure]:
        if self._by_block is None:
            by_block: dict[int, list[Figure]] = defaultdict(list)
            for f in sorted(self.figures, key=lambda f: f.start):
                by_block[f.block].append(f)
            self._by_block = dict(by_block)
        return self._by_block.get(b, [])

    def figure_order(self) -> list[int]:
        """Figure indices in reading order."""
        return [f.index for f in sorted(self.figures, key=lambda f: (f.block, f.start))]

    def figure(self, k: int) -> Figure | None:
        if self._by_index is None:
            self._by_index = {f.index: f for f in self.figures}
        return self._by_index.get(k)

    # --- findings list --------------------------------------------------------------------

    def visible_findings(self) -> list[int]:
        fl = self.filters
        out = []
        for i, f in enumerate(self.findings):
            if fl.verdict:
                if f.verdict != fl.verdict:
                    continue
            elif not fl.show_all and f.verdict in ("consistent", "rounding"):
                continue
            if fl.check and f.check != fl.check:
                continue
            if fl.severity and f.severity != fl.severity:
                continue
            if fl.page is not None and f.page != fl.page:
                continue
            out.append(i)
        # Worst first: severity, then confidence (a low-confidence problem after the sure ones), then page.
        return sorted(out, key=lambda i: _rank(self.findings[i], i))

    def counts_by_check(self) -> Counter[str]:
        return Counter(f.check for f in self.findings if f.is_problem)

    def counts_by_severity(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings if f.is_problem)

    def counts_by_verdict(self) -> Counter[str]:
        return Counter(f.verdict for f in self.findings)

    def checks(self) -> list[str]:
        return sorted({f.check for f in self.findings})

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str) -> list[Hit]:
        """Hits for a text or a number, narrative first then tables, in reading order.

        Numbers are compared without thousands separators so '1144.45' finds '1,144.45'.
        """
        q = _norm(query)
        if not q:
            return []
        hits: list[Hit] = []
        for b, block in enumerate(self.report.blocks):
            text = block.text
            hits.extend(Hit("block", b, s, e) for s, e in _find_all(text, q))
        for t in self.report.tables:
            for r, row in enumerate(t.rows):
                for c, cell in enumerate(row):
                    if q in _norm(cell.text):
                        hits.append(Hit("cell", cell=(t.id, r, c)))
        return hits

    def table_index(self, table_id: str) -> int:
        return next((i for i, t in enumerate(self.report.tables) if t.id == table_id), -1)

    def tables_on_page(self, page: int) -> list[Table]:
        return [t for t in self.report.tables if page in t.pages]


def _below(links: dict[K, list[int]], n: int) -> dict[K, list[int]]:
    """The links without finding indices from n on (reviewers' findings, about to be linked again)."""
    kept = {k: [i for i in v if i < n] for k, v in links.items()}
    return {k: v for k, v in kept.items() if v}


def _rank(f: Finding, i: int) -> tuple[int, int, int, int]:
    return (-SEVERITY_ORDER.get(f.severity, 0), 1 if f.confidence == "low" else 0, f.page or 0, i)


def _finding_mark(f: Finding) -> str:
    return f.verdict


def _overlaps(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a in b or b in a or a[:20] in b


def _find_all(text: str, q: str) -> list[tuple[int, int]]:
    """Occurrences of q in text, ignoring commas and spaces in text; offsets into the original text."""
    keep = [i for i, ch in enumerate(text) if _norm(ch)]
    squashed = "".join(_norm(text[i]) for i in keep)
    out: list[tuple[int, int]] = []
    pos = squashed.find(q)
    while pos >= 0 and pos + len(q) <= len(keep):
        out.append((keep[pos], keep[pos + len(q) - 1] + 1))
        pos = squashed.find(q, pos + 1)
    return out


def _figures_and_matches(analysis: Analysis) -> tuple[list[Figure], dict[int, Match], str]:
    """The context's figures and matches; none (with the reason) while extraction is unavailable."""
    try:
        figures = list(analysis.context.figures)
    except NotImplementedError:
        return [], {}, "figure extraction is not available in this build"
    except Exception as e:  # a failing extractor must not keep the findings from the reviewer
        log.exception("figure extraction failed")
        return [], {}, f"figure extraction failed: {e}"
    try:
        matches = dict(analysis.context.matches)
    except NotImplementedError:
        return figures, {}, "figure matching is not available in this build"
    except Exception as e:
        log.exception("figure matching failed")
        return figures, {}, f"figure matching failed: {e}"
    return figures, matches, ""


def severity_rank(s: str) -> int:
    return SEVERITY_ORDER.get(s, 0)
