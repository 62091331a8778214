"""Schema of the report catalogue (knowledge/*.toml): it loads, its parts refer to one another, each
sentence form reads its own real examples, and a malformed file is refused."""

from __future__ import annotations

from typing import Any

import pytest

from crossfoot.knowledge import (
    CatalogueError,
    budget_base,
    column_role,
    find_sentences,
    fund_scope,
    load_catalogue,
    sign,
    words,
)
from crossfoot.knowledge import catalogue as catmod


def test_loads_once_and_is_frozen() -> None:
    cat = load_catalogue()
    assert cat is load_catalogue()
    with pytest.raises(AttributeError):
        cat.forms[0].name = "x"  # type: ignore[misc]


def test_references_resolve() -> None:
    cat = load_catalogue()
    roles = {r.id for r in cat.roles}
    scopes = {s.id for s in cat.scopes}
    assert len(roles) == len(cat.roles), "role ids are unique"
    for f in cat.forms:
        assert f.titles and f.scope in scopes and set(f.columns) <= roles, f.name
        assert set(f.kinds) <= {k.kind for k in cat.kinds}, f.name
    ids = {f.id for f in cat.forms}
    for i in cat.identities:
        if i.kind == "equal":
            assert i.stated is not None and i.equals, i.id
            assert all(x.form in ids and x.rows for x in (i.stated, *i.equals)), i.id


def test_each_kind_has_a_form_list() -> None:
    cat = load_catalogue()
    for kind in ("决算", "预算"):
        listed = {f.id for f in cat.forms if kind in f.kinds}
        assert {"total", "income", "expense", "fiscal_total", "gp_expense", "gp_basic", "sangong"} <= listed


def test_no_word_defined_twice_within_a_group() -> None:
    cat = load_catalogue()
    seen: dict[str, str] = {}
    for r in cat.relations:
        for w in r.words:
            assert w not in seen, f"{w} in relation.{r.id} and relation.{seen.get(w)}"
            seen[w] = r.id
    base_words = [w for b in cat.bases for w in b.words]
    assert len(base_words) == len(set(base_words))


@pytest.mark.parametrize("form", [s.id for s in load_catalogue().sentences])
def test_sentence_form_reads_its_examples(form: str) -> None:
    sf = load_catalogue().sentence(form)
    for ex in sf.examples:
        found = list(find_sentences(form, ex.text))
        assert found, f"{form} does not read: {ex.text}"
        for k, v in ex.groups:
            assert found[0].groups.get(k) == v, (form, k, found[0].groups)
            a, b = found[0].spans[k]
            assert ex.text[a:b].replace("\n", "") == v, "offsets point at the printed text"


def test_sentence_across_a_line_break_keeps_printed_offsets() -> None:
    text = "2023年当年预算执行数为357.56万元，2024年预算安排460.85万元，比2023年预算执行数增加\n28.89%。"
    m = next(find_sentences("budget_vs_execution", text))
    a, b = m.spans["rate"]
    assert text[a:b] == "28.89"


def test_column_roles_from_real_headers() -> None:
    assert column_role("本年支出/预算数/基本支出/人员经费") == "personnel"
    assert column_role("收入预算/合计") == "total"
    assert column_role("公务用车购置及运行维护费/小计/决算数") == "actual"
    assert column_role(("项目", "功能分类科目编码")) == "code"
    assert column_role("年初预算数") == "original_budget"
    assert column_role("全年预算数") == "whole_budget"
    assert column_role("本年收入合计") == "income_total"
    assert column_role("上年决算数") == "prior_actual"
    assert column_role("col3") is None


def test_fund_scope_most_specific() -> None:
    assert fund_scope("一般公共预算财政拨款支出决算表") == "general"
    assert fund_scope("2026年部门财政拨款收支预算总表") == "fiscal"
    assert fund_scope("政府性基金预算支出功能分类预算表") == "gov_fund"
    assert fund_scope("国有资本经营预算财政拨款支出决算表") == "soe_capital"
    assert fund_scope("收入支出决算总表") == "all"
    assert fund_scope("营业收入") is None


def test_budget_bases() -> None:
    assert budget_base("比2025年预算执行数") == "prior_execution"
    assert budget_base("完成年初预算的") == "original"
    assert budget_base("完成全年预算数的") == "whole_year"
    assert budget_base("调整预算") == "whole_year"
    assert budget_base("比上年预算") == "prior_budget"
    assert budget_base("支出决算") == "actual"


def test_words_and_signs() -> None:
    assert "增长" in words("relation.increase") and "下降" in words("relation.decrease")
    assert sign("增加") == 1 and sign("减少") == -1 and sign("持平") == 0
    assert "合计" in words("rows.total")


def _broken(monkeypatch: pytest.MonkeyPatch, name: str, edit: Any) -> None:
    real = catmod._read

    def fake(n: str) -> dict[str, Any]:
        d = real(n)
        if n == name:
            edit(d)
        return d

    monkeypatch.setattr(catmod, "_read", fake)


@pytest.mark.parametrize(("name", "edit", "says"), [
    ("forms.toml", lambda d: d["form"][0].update(columns=["no_such_role"]), "unknown column roles"),
    ("forms.toml", lambda d: d["form"][0].update(scope="nowhere"), "unknown scope"),
    ("forms.toml", lambda d: d["identity"][2]["stated"].update(form="no_form"), "unknown form"),
    ("forms.toml", lambda d: d["identity"][2].update(equals=[]), "equals"),
    ("sentences.toml", lambda d: d["form"][0].update(pattern="{ZZ:x}"), "unknown token"),
    ("sentences.toml", lambda d: d["form"][0].update(example=[]), "no examples"),
    ("lexicon.toml", lambda d: d["relation"].pop("flat"), "relation.flat"),
    ("lexicon.toml", lambda d: d.update(schema=99), "schema"),
])
def test_malformed_catalogue_is_refused(monkeypatch: pytest.MonkeyPatch, name: str, edit: Any, says: str) -> None:
    _broken(monkeypatch, name, edit)
    with pytest.raises(CatalogueError, match=says):
        catmod._build()


def test_package_data_ships_the_toml() -> None:
    import tomllib
    from pathlib import Path

    py = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "knowledge/*.toml" in py["tool"]["setuptools"]["package-data"]["crossfoot"]
