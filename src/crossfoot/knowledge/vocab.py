"""Word sets and patterns of the lexicon, beyond its core groups: ``knowledge/vocab/*.toml``.

Each file is one area of the vocabulary (narrative, tables, scoring, document …); inside it, ``[words.NAME]``
is a word set and ``[pattern.NAME]`` a regular expression, each with a ``doc`` saying what it is for. Both are
addressed as ``AREA.NAME`` (``words("narrative.rise")``, ``pattern("scoring.band")``), so a word the checks rely on
is defined once, here, and the code keeps only the mechanism.

A pattern may name word sets as ``{words:AREA.NAME}`` (or a core group: ``{words:relation.increase}``); that is
replaced by a non-capturing alternation of the set's words, longest first, so a new word reaches every pattern that
uses its set. Each pattern lists ``matches`` (texts it must find) and may list ``rejects`` (texts it must not find):
``check_patterns`` compiles every pattern and runs its examples, so an edit that breaks a pattern fails the
catalogue test, not a check at run time. A process loading the shipped catalogue skips that (``build_vocabulary(...,
check=False)``) and compiles each pattern on its first use: compiling all of them (CJK and negated classes) was most
of a cold start's catalogue time, and a run uses only some.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from crossfoot.datafiles import parse_toml

#: Areas may not reuse the names of the lexicon's core groups (``words("relation.increase")`` stays unambiguous).
RESERVED = frozenset({"relation", "period", "base", "scope", "rows"})
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_WORDS_REF = re.compile(r"\{words:(?P<key>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\}")
_FLAGS = {"verbose": re.VERBOSE, "ignorecase": re.IGNORECASE, "multiline": re.MULTILINE, "dotall": re.DOTALL}


class VocabError(ValueError):
    """A vocabulary file does not follow its schema."""


@dataclass(frozen=True)
class WordSetEntry:
    key: str  # AREA.NAME
    doc: str
    words: tuple[str, ...]


@cache
def _compiled(expanded: str, flags: int) -> re.Pattern[str]:
    return re.compile(expanded, flags)


@dataclass(frozen=True)
class PatternEntry:
    key: str
    doc: str
    source: str  # as written, before {words:…} expansion
    expanded: str  # {words:…} replaced by the sets' alternations
    flags: int
    matches: tuple[str, ...]
    rejects: tuple[str, ...]

    @property
    def regex(self) -> re.Pattern[str]:
        """Compiled on first use, once per process (check_patterns guarantees it compiles)."""
        return _compiled(self.expanded, self.flags)


@dataclass(frozen=True)
class Vocabulary:
    word_sets: tuple[WordSetEntry, ...]
    patterns: tuple[PatternEntry, ...]
    # Looked up per figure and cell: an index by key, not a scan of a few hundred entries.
    _words: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _patterns: dict[str, PatternEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_words", {w.key: w.words for w in self.word_sets})
        object.__setattr__(self, "_patterns", {p.key: p for p in self.patterns})

    def words(self, key: str) -> tuple[str, ...]:
        return self._words[key]

    def pattern(self, key: str) -> re.Pattern[str]:
        return self._patterns[key].regex


EMPTY = Vocabulary((), ())


def alternation(words: tuple[str, ...]) -> str:
    """Non-capturing alternation of the words, longest first (so 增长率 is tried before 增长)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _strs(v: Any, where: str) -> tuple[str, ...]:
    if not isinstance(v, list) or not v or not all(isinstance(x, str) and x for x in v):
        raise VocabError(f"{where}: expected a non-empty list of non-empty strings")
    return tuple(v)


def _doc(d: dict[str, Any], where: str) -> str:
    doc = d.get("doc")
    if not isinstance(doc, str) or not doc.strip():
        raise VocabError(f"{where}: every entry needs a doc saying what it is for")
    return doc


def _files() -> list[tuple[str, str]]:
    folder = resources.files("crossfoot.knowledge").joinpath("vocab")
    out = [(f.name.removesuffix(".toml"), f.read_text(encoding="utf-8"))
           for f in folder.iterdir() if f.name.endswith(".toml")]
    return sorted(out)


def build_vocabulary(core_words: Callable[[str], tuple[str, ...]],
                     files: list[tuple[str, str]] | None = None, *, check: bool = True) -> Vocabulary:
    """Read and validate every vocabulary file. ``core_words`` resolves the lexicon's core groups for
    ``{words:relation.increase}`` references. ``check``: compile every pattern and run its examples now
    (``check_patterns``); without it patterns compile on first use."""
    raw_sets: dict[str, tuple[str, dict[str, Any]]] = {}
    raw_patterns: dict[str, dict[str, Any]] = {}
    for area, text in files if files is not None else _files():
        if not _NAME.match(area) or area in RESERVED:
            raise VocabError(f"vocab/{area}.toml: area names are lower_case and not one of {sorted(RESERVED)}")
        try:
            data = parse_toml(text)
        except tomllib.TOMLDecodeError as e:
            raise VocabError(f"vocab/{area}.toml: {e}") from e
        if unknown := set(data) - {"words", "pattern"}:
            raise VocabError(f"vocab/{area}.toml: unknown tables {sorted(unknown)} (only [words.*] and [pattern.*])")
        for kind, table in (("words", data.get("words", {})), ("pattern", data.get("pattern", {}))):
            for name, entry in table.items():
                key = f"{area}.{name}"
                if not _NAME.match(name) or not isinstance(entry, dict):
                    raise VocabError(f"{key}: names are lower_case tables")
                if key in raw_sets or key in raw_patterns:
                    raise VocabError(f"{key}: defined twice")
                if kind == "words":
                    raw_sets[key] = (area, entry)
                else:
                    raw_patterns[key] = entry
    sets = tuple(WordSetEntry(k, _doc(e, k), _strs(e.get("words"), f"{k}.words"))
                 for k, (_, e) in sorted(raw_sets.items()))
    by_key = {s.key: s.words for s in sets}

    def resolve(key: str, where: str) -> tuple[str, ...]:
        if key in by_key:
            return by_key[key]
        try:
            return core_words(key)
        except (KeyError, StopIteration):
            raise VocabError(f"{where}: unknown word set {{words:{key}}}") from None

    patterns: list[PatternEntry] = []
    for key, entry in sorted(raw_patterns.items()):
        src = entry.get("regex")
        if not isinstance(src, str) or not src:
            raise VocabError(f"{key}: regex missing")
        flags = 0
        for f in _strs(entry.get("flags", []), f"{key}.flags") if "flags" in entry else ():
            if f not in _FLAGS:
                raise VocabError(f"{key}: unknown flag {f!r} (known: {sorted(_FLAGS)})")
            flags |= _FLAGS[f]
        def expand(m: re.Match[str], where: str = key) -> str:
            return alternation(resolve(m.group("key"), where))

        expanded = _WORDS_REF.sub(expand, src)
        matches = _strs(entry.get("matches"), f"{key}.matches")
        rejects = _strs(entry.get("rejects"), f"{key}.rejects") if "rejects" in entry else ()
        patterns.append(PatternEntry(key, _doc(entry, key), src, expanded, flags, matches, rejects))
    if check:
        check_patterns(patterns)
    return Vocabulary(sets, tuple(patterns))


def check_patterns(patterns: Iterable[PatternEntry]) -> None:
    """Every pattern compiles, finds each of its ``matches`` and none of its ``rejects`` (VocabError)."""
    for p in patterns:
        try:
            regex = p.regex
        except re.error as err:
            raise VocabError(f"{p.key}: {err}") from err
        for t in p.matches:
            if not regex.search(t):
                raise VocabError(f"{p.key}: does not find its example {t!r}")
        for t in p.rejects:
            if regex.search(t):
                raise VocabError(f"{p.key}: finds {t!r}, which it must reject")
