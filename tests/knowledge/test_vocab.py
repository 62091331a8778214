"""knowledge/vocab: word sets and patterns as data, validated on load."""

from __future__ import annotations

import pytest

from crossfoot.knowledge import load_catalogue, pattern, words
from crossfoot.knowledge.vocab import VocabError, build_vocabulary, check_patterns


def _core(key: str) -> tuple[str, ...]:
    return load_catalogue().words(key)


def test_shipped_vocabulary_loads_and_every_entry_has_a_doc() -> None:
    v = load_catalogue().vocabulary
    assert v.patterns, "the package ships vocabulary patterns"
    for p in v.patterns:
        assert p.doc and p.matches
        for t in p.matches:
            assert p.regex.search(t)


def test_every_shipped_pattern_compiles_and_reads_its_examples() -> None:
    # The shipped catalogue is loaded without this check (patterns compile on first use): this test is the
    # guarantee that every pattern compiles, finds its matches and rejects its rejects.
    check_patterns(load_catalogue().vocabulary.patterns)
    build_vocabulary(_core)  # the default build checks them too


def test_an_unchecked_build_defers_a_broken_pattern_to_check_patterns() -> None:
    v = build_vocabulary(_core, [("demo", '[pattern.p]\ndoc = "d"\nregex = "a"\nmatches = ["b"]\n')], check=False)
    with pytest.raises(VocabError, match="does not find its example"):
        check_patterns(v.patterns)


def test_pattern_and_words_are_addressed_by_area() -> None:
    assert pattern("document.empty_table_said").search("故本表为空表。")
    assert words("relation.increase")  # core groups still answer
    with pytest.raises(KeyError):
        pattern("document.no_such_pattern")


def test_words_reference_expands_longest_first() -> None:
    v = build_vocabulary(_core, [("demo", '''
[words.rise]
doc = "rise words"
words = ["增长", "增长率"]
[pattern.rate]
doc = "a rate word and a percentage"
regex = '(?P<w>{words:demo.rise})\\d+%'
matches = ["增长率5%"]
''')])
    m = v.pattern("demo.rate").search("增长率5%")
    assert m is not None and m.group("w") == "增长率"


def test_core_group_reference() -> None:
    v = build_vocabulary(_core, [("demo", '''
[pattern.up]
doc = "an increase word"
regex = '{words:relation.increase}'
matches = ["增加"]
''')])
    assert v.pattern("demo.up").search("比上年增加")


@pytest.mark.parametrize(("text", "message"), [
    ('[pattern.p]\ndoc = "d"\nregex = "a"\nmatches = ["b"]\n', "does not find its example"),
    ('[pattern.p]\ndoc = "d"\nregex = "a"\nmatches = ["a"]\nrejects = ["ab"]\n', "must reject"),
    ('[pattern.p]\ndoc = "d"\nregex = "("\nmatches = ["a"]\n', "unterminated subpattern"),
    ('[pattern.p]\ndoc = "d"\nregex = "{words:demo.nope}"\nmatches = ["a"]\n', "unknown word set"),
    ('[words.w]\nwords = ["a"]\n', "needs a doc"),
    ('[words.w]\ndoc = "d"\nwords = []\n', "non-empty list"),
    ('[other.x]\ndoc = "d"\n', "unknown tables"),
])
def test_bad_entries_fail_on_load(text: str, message: str) -> None:
    with pytest.raises(VocabError, match=message):
        build_vocabulary(_core, [("demo", text)])


def test_area_may_not_shadow_a_core_group() -> None:
    with pytest.raises(VocabError, match="area names"):
        build_vocabulary(_core, [("relation", '[words.w]\ndoc = "d"\nwords = ["a"]\n')])


def test_same_key_twice_fails() -> None:
    text = '[words.w]\ndoc = "d"\nwords = ["a"]\n'
    v = build_vocabulary(_core, [("a", text), ("b", text)])
    assert v.words("a.w") == v.words("b.w") == ("a",)
