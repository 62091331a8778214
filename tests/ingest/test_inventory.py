"""Every PDF of the shared corpus against its table inventory as printed (counted from the page images,
not from crossfoot's output): how many tables, each one's 公开NN表 code, title, money unit and pages,
and a few known cells. The truth lives in tests/ingest/inventory/*.yaml, one file per PDF.

Where today's parser is wrong, the case is marked xfail(strict=True) in the yaml with the reason, so
it flips (and must be unmarked) when the parser is fixed.

Matching: a printed table is found among the parsed ones by its first page and its title (the parsed
title must contain the printed one, spaces ignored; a table printed without a title is found by its
first page alone). Units: only money units (元/千元/万元/亿元) are asserted, as Table.unit holds the
money unit; a count unit (台、辆) is recorded for the reader.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crossfoot.model import Report, Table

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
TRUTH = Path(__file__).resolve().parent / "inventory"
MONEY = ("元", "千元", "万元", "亿元")


def _truths() -> list[dict[str, Any]]:
    import yaml

    out = []
    for f in sorted(TRUTH.glob("*.yaml")):
        doc = yaml.safe_load(f.read_text(encoding="utf-8"))
        doc["_name"] = f.stem
        out.append(doc)
    return out


def _cases(part: str) -> list[Any]:
    cases = []
    for doc in _truths():
        marks: list[Any] = [pytest.mark.slow]
        reason = (doc.get("xfail") or {}).get(part)
        if reason:
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        cases.append(pytest.param(doc, id=doc["_name"], marks=marks))
    return cases


@cache
def _parse(rel: str) -> Report:
    from crossfoot.ingest import load

    return load(CORPUS / rel, use_cache=False)


def _pdf(doc: dict[str, Any]) -> Path:
    path = CORPUS / doc["file"]
    if not path.exists():
        pytest.skip(f"{path} not available (the shared corpus sits beside the project)")
    return path


def _norm(s: str | None) -> str:
    return "".join((s or "").split())


def find_table(report: Report, want: dict[str, Any]) -> Table | None:
    first = want["pages"][0]
    title = _norm(want.get("title"))
    for t in report.tables:
        if t.pages and t.pages[0] == first and (not title or title in _norm(t.title)):
            return t
    return None


def _unit(u: str | None) -> str | None:
    return u if u in MONEY else None


def _kind_ok(doc: dict[str, Any]) -> None:
    want = doc.get("error")
    if want:
        from crossfoot.errors import InputError

        with pytest.raises(InputError) as e:
            _parse(doc["file"])
        assert want in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize("doc", _cases("inventory"))
def test_table_inventory(doc: dict[str, Any]) -> None:
    _pdf(doc)
    if doc.get("error"):
        _kind_ok(doc)
        return
    report = _parse(doc["file"])
    want = doc.get("tables") or []
    problems: list[str] = []
    if len(report.tables) != len(want):
        problems.append(f"{len(report.tables)} tables parsed, {len(want)} printed")
    for w in want:
        t = find_table(report, w)
        label = f"{w.get('code') or ''} {w.get('title') or '(untitled)'} p{w['pages'][0]}"
        if t is None:
            problems.append(f"{label}: not found")
            continue
        if list(t.pages) != list(w["pages"]):
            problems.append(f"{label}: pages {list(t.pages)} (printed on {w['pages']})")
        if _norm(t.code) != _norm(w.get("code")):
            problems.append(f"{label}: code {t.code!r}")
        if _unit(w.get("unit")) != _unit(t.unit):
            problems.append(f"{label}: unit {t.unit!r} (printed {w.get('unit')!r})")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("doc", _cases("cells"))
def test_known_cells(doc: dict[str, Any]) -> None:
    _pdf(doc)
    if doc.get("error"):
        _kind_ok(doc)
        return
    report = _parse(doc["file"])
    problems: list[str] = []
    for c in doc.get("cells") or []:
        t = find_table(report, c)
        if t is None:
            problems.append(f"{c['title']} p{c['pages'][0]}: table not found")
            continue
        cols = [j for j in range(t.n_cols) if _norm(c.get("col")) in _norm(t.column_label(j))]
        got = [r[j].text for i, r in enumerate(t.rows) if _norm(c["row"]) in _norm(t.row_label(i))
               for j in cols if j < len(r)]
        if _norm(str(c["text"])) not in {_norm(g) for g in got}:
            problems.append(f"{t.id} «{c['row']}» [{c.get('col', '')}]: want {c['text']!r}, got {got[:6]!r}")
    assert not problems, "; ".join(problems)


def test_every_corpus_pdf_has_an_inventory() -> None:
    if not CORPUS.exists():
        pytest.skip("shared corpus not available")
    have = {d["file"] for d in _truths()}
    pdfs = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*.pdf")}
    assert pdfs <= have, f"PDFs without an inventory: {sorted(pdfs - have)}"
