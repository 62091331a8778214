"""The report catalogue (forms.toml, lexicon.toml, sentences.toml) loaded once into frozen dataclasses.

The data files are validated on load: a form naming an unknown column role or fund scope, an identity
naming an unknown form, a sentence form using an unknown token or failing one of its own examples raises
CatalogueError, so a bad edit fails the schema test rather than a check at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from crossfoot.datafiles import parse_toml
from crossfoot.knowledge.vocab import EMPTY, VocabError, Vocabulary, alternation, build_vocabulary

SCHEMA = 1


class CatalogueError(ValueError):
    """A catalogue data file does not follow its schema."""


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    id: str
    name: str
    kinds: tuple[str, ...]
    codes: tuple[str, ...]
    titles: tuple[str, ...]
    scope: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Side:
    form: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Identity:
    id: str
    kind: str  # "rows", "columns" or "equal"
    doc: str
    stated: Side | None = None  # equal: the cell under test
    equals: tuple[Side, ...] = ()  # equal: the cells it must equal the sum of
    by_class: bool = False  # equal: the 类 rows of the two tables agree too
    when_title: str = ""  # equal: only when the first `equals` table's title holds this word
    unless_title: str = ""  # equal: only when it does not


@dataclass(frozen=True)
class WordSet:
    id: str
    doc: str
    sign: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class Base:
    id: str
    name: str
    doc: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Scope:
    id: str
    name: str
    within: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Units:
    money: tuple[tuple[str, Decimal], ...]
    percent: tuple[str, ...]
    permille: tuple[str, ...]
    counters: tuple[str, ...]
    score: tuple[str, ...]
    scale: tuple[str, ...]
    labels: tuple[str, ...] = ()  # what opens a table's unit line (单位)
    currencies: tuple[str, ...] = ()  # a currency the unit line may name before the unit (人民币)
    printed: tuple[tuple[str, str], ...] = ()  # a unit as printed → the money unit it reads as (萬元 → 万元)


@dataclass(frozen=True)
class KindWords:
    kind: str
    cover: tuple[str, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Example:
    text: str
    groups: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SentenceForm:
    id: str
    doc: str
    pattern: str  # as written in sentences.toml, tokens unexpanded
    regex: re.Pattern[str]  # expanded, matched against whitespace-free text
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class Catalogue:
    roles: tuple[Role, ...]
    forms: tuple[Form, ...]
    identities: tuple[Identity, ...]
    relations: tuple[WordSet, ...]
    periods: tuple[WordSet, ...]
    bases: tuple[Base, ...]
    scopes: tuple[Scope, ...]
    total_words: tuple[str, ...]
    breakdown_words: tuple[str, ...]
    level_words: tuple[str, ...]
    units: Units
    kinds: tuple[KindWords, ...]
    family_words: tuple[str, ...]
    sentences: tuple[SentenceForm, ...]
    renamed: tuple[tuple[str, str], ...] = ()  # (former 科目 name, current name)
    caption_words: tuple[str, ...] = ()  # a header row's cell opening with one is a caption (部门：, 单位：)
    vocabulary: Vocabulary = EMPTY  # knowledge/vocab/*.toml: the word sets and patterns by area

    def relation(self, rid: str) -> WordSet:
        for r in self.relations:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def words(self, key: str) -> tuple[str, ...]:
        """Words by dotted key: "relation.increase", "base.original", "scope.general", "rows.total"."""
        group, _, name = key.partition(".")
        if group == "relation":
            return self.relation(name).words
        if group == "period":
            return next(p.words for p in self.periods if p.id == name)
        if group == "base":
            return next(b.words for b in self.bases if b.id == name)
        if group == "scope":
            return next(s.words for s in self.scopes if s.id == name)
        if group == "rows":
            return {"total": self.total_words, "breakdown": self.breakdown_words,
                    "subject_levels": self.level_words, "caption": self.caption_words}[name]
        return self.vocabulary.words(key)

    def pattern(self, key: str) -> re.Pattern[str]:
        """A compiled pattern of knowledge/vocab by "AREA.NAME"."""
        return self.vocabulary.pattern(key)

    def sentence(self, sid: str) -> SentenceForm:
        for s in self.sentences:
            if s.id == sid:
                return s
        raise KeyError(sid)

    def forms_of(self, fid: str) -> tuple[Form, ...]:
        return tuple(f for f in self.forms if f.id == fid)


# ---- reading ------------------------------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    text = resources.files("crossfoot.knowledge").joinpath(name).read_text(encoding="utf-8")
    return parse_toml(text)


def _strs(v: Any, where: str) -> tuple[str, ...]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        raise CatalogueError(f"{where}: expected a list of non-empty strings")
    return tuple(v)


def _str(d: dict[str, Any], key: str, where: str, allow_empty: bool = False) -> str:
    v = d.get(key)
    if not isinstance(v, str) or (not v and not allow_empty):
        raise CatalogueError(f"{where}: `{key}` must be a{'' if allow_empty else ' non-empty'} string")
    return v


def _side(d: Any, where: str) -> Side:
    if not isinstance(d, dict):
        raise CatalogueError(f"{where}: expected a table")
    return Side(_str(d, "form", where), _strs(d.get("rows", []), f"{where}.rows"),
                _strs(d.get("columns", []), f"{where}.columns"))


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TOKEN = re.compile(r"\{(?P<t>[A-Z]+)(?::(?P<name>[a-z_]+))?\}")


def _alt(words: tuple[str, ...]) -> str:
    return alternation(words)


def _expand(pattern: str, money: tuple[str, ...], direction: tuple[str, ...], flat: tuple[str, ...],
            where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        t, name = m.group("t"), m.group("name")
        body = {"N": _NUM, "U": _alt(money), "DIR": _alt(direction), "FLAT": _alt(flat),
                "Y": r"\d{4}年度?", "LV": r"[（(]\d{0,7}[类款项][)）]"}.get(t)
        if body is None:
            raise CatalogueError(f"{where}: unknown token {{{t}}}")
        if t == "LV":
            body = r"\d{0,7}[类款项]"
            return rf"[（(](?P<{name}>{body})[)）]" if name else rf"[（(]{body}[)）]"
        return f"(?P<{name}>{body})" if name else f"(?:{body})"
    return _TOKEN.sub(sub, pattern)


def strip_space(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and for each kept character its offset in the text."""
    kept: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            kept.append(ch)
            where.append(i)
    return "".join(kept), where


def _build() -> Catalogue:
    forms_data = _read("forms.toml")
    lex = _read("lexicon.toml")
    sent = _read("sentences.toml")
    for name, data in (("forms.toml", forms_data), ("lexicon.toml", lex), ("sentences.toml", sent)):
        if data.get("schema") != SCHEMA:
            raise CatalogueError(f"{name}: schema {data.get('schema')!r}, expected {SCHEMA}")

    roles = tuple(Role(_str(r, "id", "role"), _str(r, "name", "role"), _strs(r.get("aliases"), "role.aliases"))
                  for r in forms_data.get("role", []))
    role_ids = {r.id for r in roles}
    scopes = tuple(Scope(k, _str(v, "name", f"scope.{k}"), _str(v, "within", f"scope.{k}", allow_empty=True),
                         _strs(v.get("words"), f"scope.{k}.words")) for k, v in lex.get("scope", {}).items())
    scope_ids = {s.id for s in scopes}
    for s in scopes:
        if s.within and s.within not in scope_ids:
            raise CatalogueError(f"scope.{s.id}: within unknown scope {s.within!r}")
    forms: list[Form] = []
    for f in forms_data.get("form", []):
        where = f"form {f.get('id')!r} ({f.get('name')!r})"
        form = Form(_str(f, "id", where), _str(f, "name", where), _strs(f.get("kinds", []), where),
                    _strs(f.get("codes", []), where), _strs(f.get("titles"), where), _str(f, "scope", where),
                    _strs(f.get("columns", []), where))
        if not form.titles:
            raise CatalogueError(f"{where}: no titles")
        if form.scope not in scope_ids:
            raise CatalogueError(f"{where}: unknown scope {form.scope!r}")
        if unknown := set(form.columns) - role_ids:
            raise CatalogueError(f"{where}: unknown column roles {sorted(unknown)}")
        forms.append(form)
    form_ids = {f.id for f in forms}
    identities: list[Identity] = []
    for d in forms_data.get("identity", []):
        where = f"identity {d.get('id')!r}"
        kind = _str(d, "kind", where)
        if kind not in ("rows", "columns", "equal"):
            raise CatalogueError(f"{where}: unknown kind {kind!r}")
        stated = _side(d.get("stated"), f"{where}.stated") if kind == "equal" else None
        equals = tuple(_side(x, f"{where}.equals") for x in d.get("equals", [])) if kind == "equal" else ()
        if kind == "equal" and not equals:
            raise CatalogueError(f"{where}: `equals` is empty")
        for side in (stated, *equals):
            if side is not None and side.form not in form_ids:
                raise CatalogueError(f"{where}: unknown form {side.form!r}")
            if side is not None and not side.rows:
                raise CatalogueError(f"{where}: a side names no rows")
        identities.append(Identity(_str(d, "id", where), kind, _str(d, "doc", where), stated, equals,
                                   bool(d.get("by_class", False)), str(d.get("when_title", "")),
                                   str(d.get("unless_title", ""))))

    relations = tuple(WordSet(k, _str(v, "doc", k), int(v.get("sign", 0)), _strs(v.get("words"), k))
                      for k, v in lex.get("relation", {}).items())
    periods = tuple(WordSet(k, _str(v, "doc", k), 0, _strs(v.get("words"), k))
                    for k, v in lex.get("period", {}).items())
    if {p.id for p in periods} != {"original", "whole_year"}:
        raise CatalogueError("lexicon: period.original and period.whole_year are required")
    bases = tuple(Base(k, _str(v, "name", k), _str(v, "doc", k), _strs(v.get("words"), k))
                  for k, v in lex.get("base", {}).items())
    rows = lex.get("rows", {})
    u = lex.get("units", {})
    money = u.get("money", {})
    if not isinstance(money, dict) or not money:
        raise CatalogueError("units.money: expected a table of unit = factor")
    units = Units(tuple((k, Decimal(str(v))) for k, v in money.items()), _strs(u.get("percent"), "units.percent"),
                  _strs(u.get("permille"), "units.permille"), _strs(u.get("counters"), "units.counters"),
                  _strs(u.get("score"), "units.score"), _strs(u.get("scale"), "units.scale"),
                  _strs(u.get("labels", []), "units.labels"), _strs(u.get("currencies", []), "units.currencies"),
                  tuple((str(k), str(v)) for k, v in u.get("printed", {}).items()))
    kinds = tuple(KindWords(k, _strs(v.get("cover"), k), _strs(v.get("words"), k))
                  for k, v in lex.get("kind", {}).items())
    family = _strs(lex.get("family", {}).get("words"), "family.words")

    rel = {r.id: r for r in relations}
    for needed in ("increase", "decrease", "flat", "share", "completion", "rate", "growth_up", "growth_down"):
        if needed not in rel:
            raise CatalogueError(f"lexicon: relation.{needed} is required")
    direction = rel["increase"].words + rel["decrease"].words
    sentences: list[SentenceForm] = []
    for s in sent.get("form", []):
        where = f"sentence form {s.get('id')!r}"
        pattern = _str(s, "pattern", where)
        try:
            regex = re.compile(_expand(pattern, tuple(k for k, _ in units.money), direction,
                                       rel["flat"].words, where))
        except re.error as e:
            raise CatalogueError(f"{where}: {e}") from e
        examples = tuple(Example(_str(e, "text", where), tuple((k, str(v)) for k, v in e.get("groups", {}).items()))
                         for e in s.get("example", []))
        if not examples:
            raise CatalogueError(f"{where}: no examples")
        for ex in examples:
            m = regex.search(strip_space(ex.text)[0])
            if m is None or any(m.groupdict().get(k) != v for k, v in ex.groups):
                raise CatalogueError(f"{where}: does not read its example {ex.text!r}")
        sentences.append(SentenceForm(_str(s, "id", where), _str(s, "doc", where), pattern, regex, examples))

    core = Catalogue(roles, tuple(forms), tuple(identities), relations, periods, bases, scopes,
                     _strs(rows.get("total"), "rows.total"), _strs(rows.get("breakdown"), "rows.breakdown"),
                     _strs(rows.get("subject_levels"), "rows.subject_levels"), units, kinds, family,
                     tuple(sentences), _renamed(lex.get("renamed_subjects", {})),
                     _strs(rows.get("caption", []), "rows.caption"))
    try:
        # Patterns compile on first use; tests/knowledge/test_vocab.py compiles and checks all of them.
        vocabulary = build_vocabulary(core.words, check=False)
    except VocabError as e:
        raise CatalogueError(str(e)) from e
    return replace(core, vocabulary=vocabulary)


def _renamed(d: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(d, dict) or not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in d.items()):
        raise CatalogueError("renamed_subjects: expected old name = new name")
    return tuple(d.items())


@lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The catalogue, read and validated once per process."""
    return _build()
