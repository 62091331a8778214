"""Recognition: which standard form (forms.toml) a parsed table is, by title, 公开NN code and columns.

The title decides when it names a form (year, department and 部门/单位 words do not matter: the title
aliases are looked for inside it, and rapidfuzz forgives a dropped or changed character); the 公开NN code
and the columns' roles break ties between the 决算 and 预算 variants of a form and give a score. A table
no form fits is None: it gets only the generic checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from crossfoot.knowledge import column_role, words
from crossfoot.knowledge.catalogue import Form, load_catalogue
from crossfoot.memo import by_identity
from crossfoot.model import Table

_NOISE = re.compile(r"[\s\u3000“”\"'‘’「」《》()（）]")
# Least fuzzy score a title must reach against an alias it does not contain.
_FUZZY_FLOOR = 88.0


@dataclass(frozen=True)
class FormMatch:
    form: Form
    score: float  # 0..100: how surely the table is this form
    by: str  # "title", "fuzzy title" or "code"
    column_fit: float  # share of the form's column roles the table's header shows (0..1)


def _compact(s: str) -> str:
    return _NOISE.sub("", s)


@lru_cache(maxsize=1)
def _form_kinds() -> tuple[str, ...]:
    """The report kinds the forms belong to (决算, 预算), in catalogue order: a kind's id is also the word
    a table title names it by (the lexicon's [kind.*] keys)."""
    return tuple(dict.fromkeys(k for f in load_catalogue().forms for k in f.kinds))


def _report_word(title: str) -> str | None:
    return next((k for k in _form_kinds() if k in title), None)


@lru_cache(maxsize=1)
def _table_noun() -> tuple[str, ...]:
    return words("ingest.table_noun")  # 表


def _column_fit(form: Form, roles: frozenset[str]) -> float:
    want = set(form.columns) - {"code", "name", "line_no"}
    return len(want & roles) / len(want) if want else 0.0


def _table_roles(table: Table) -> frozenset[str]:
    roles: set[str] = set()
    for j in range(table.n_cols):
        r = column_role(table.column_path(j))
        if r is not None:
            roles.add(r)
    return frozenset(roles)


def _title_in_body(table: Table) -> str:
    """A title ingest left in the table's first rows: a row whose only text is a name ending in 表."""
    for row in table.rows[:2]:
        texts = [c.text.strip() for c in row if c.text.strip()]
        if len(texts) == 1 and _compact(texts[0]).endswith(_table_noun()) and len(_compact(texts[0])) >= 6:
            return _compact(texts[0])
    return ""


@lru_cache(maxsize=2048)
def _by_title(title: str) -> tuple[tuple[int, float, str], ...]:
    """(form index, score, how) for every form whose title alias the title holds or nearly holds."""
    forms = load_catalogue().forms
    out: list[tuple[int, float, str]] = []
    for k, f in enumerate(forms):
        best = 0.0
        how = ""
        for alias in f.titles:
            if alias in title:
                # A longer alias inside the title is surer: 三公 alone is a weak (but sufficient) word.
                s = 90.0 + 10.0 * min(1.0, len(alias) / 8)
                if s > best:
                    best, how = s, "title"
            elif len(alias) >= 6 and len(title) >= len(alias):
                # Only a title at least as long as the alias can print it with a character changed.
                s = fuzz.partial_ratio(alias, title)
                if s >= _FUZZY_FLOOR and s * 0.9 > best:
                    best, how = s * 0.9, "fuzzy title"
        if best:
            out.append((k, best, how))
    return tuple(out)


def recognise(table: Table, report_kind: str | None = None) -> FormMatch | None:
    """The standard form this table is, or None. `report_kind` (决算/预算) picks between a form's
    variants when the title does not say."""
    # Every check asks for the forms of the tables it reads: recognised once per table and kind.
    return by_identity(table, ("recognise", report_kind), lambda: _recognise(table, report_kind))


def _recognise(table: Table, report_kind: str | None) -> FormMatch | None:
    forms = load_catalogue().forms
    title = _compact(" ".join(x for x in (table.title, table.code) if x)) or _title_in_body(table)
    if not title:
        return None
    hits = list(_by_title(title))
    if not hits:
        return None
    word = _report_word(title) or report_kind
    roles = _table_roles(table)

    def rank(h: tuple[int, float, str]) -> tuple[float, float, int]:
        f = forms[h[0]]
        kind_fit = 1.0 if (word and word in f.kinds) else (0.5 if not f.kinds else 0.0)
        code_fit = 1.0 if any(c in title for c in f.codes) else 0.0
        # Specificity first (the first form in the catalogue whose alias fits is the most specific);
        # the kind and code only choose between variants sharing that form id.
        return (h[1] + 5 * kind_fit + 2 * code_fit + 3 * _column_fit(f, roles), -h[0], 0)

    # Forms in catalogue order are most specific first: the earliest form id hit wins, and its variants
    # are ranked by score, kind, code and columns.
    # A title that prints an alias outright is not second-guessed by a near miss of another form's.
    exact = [h for h in hits if h[2] == "title"]
    hits = exact or hits
    first_id = forms[min(h[0] for h in hits)].id
    variants = [h for h in hits if forms[h[0]].id == first_id]
    k, score, how = max(variants, key=rank)
    f = forms[k]
    return FormMatch(f, score, how, _column_fit(f, roles))


def recognise_title(title: str) -> str | None:
    """The form id a bare title names (a 目录 entry), by the same rules as a table's title."""
    hits = list(_by_title(_compact(title)))
    exact = [h for h in hits if h[2] == "title"] or hits
    return load_catalogue().forms[min(h[0] for h in exact)].id if exact else None


def form_id(table: Table, report_kind: str | None = None) -> str | None:
    m = recognise(table, report_kind)
    return m.form.id if m else None
