"""The catalogue rendered as Markdown: docs/catalogue.md is exactly this text (a test fails on drift;
scripts/update_catalogue.py rewrites it)."""

from __future__ import annotations

from crossfoot.knowledge.catalogue import Catalogue, Side, load_catalogue

HEADER = ("# Report catalogue\n\n"
          "Generated from `src/crossfoot/knowledge/*.toml` by `python scripts/update_catalogue.py`; do not edit by "
          "hand. A new form, alias, identity, word or sentence form is a data change there plus a test.\n")


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _words(ws: tuple[str, ...]) -> str:
    return "、".join(ws) if ws else "—"


def catalogue_markdown(cat: Catalogue | None = None) -> str:
    cat = cat or load_catalogue()
    roles = {r.id: r.name for r in cat.roles}
    scopes = {s.id: s.name for s in cat.scopes}
    out = [HEADER]
    out += ["## Forms\n", "In match order: the first form whose title alias a table's title holds is the table's form.\n",
            "| id | form | report kinds | 公开 codes | title aliases | fund scope | columns |",
            "|---|---|---|---|---|---|---|"]
    for f in cat.forms:
        out.append(f"| `{f.id}` | {f.name} | {_words(f.kinds)} | {_words(f.codes)} | {_cell(_words(f.titles))} | "
                   f"{scopes[f.scope]} | {_words(tuple(roles[c] for c in f.columns))} |")
    out += ["", "## Column roles\n", "| role | name | header aliases |", "|---|---|---|"]
    out += [f"| `{r.id}` | {r.name} | {_words(r.aliases)} |" for r in cat.roles]
    out += ["", "## Identities\n", "| id | kind | what holds | stated | equals (sum of) | also |",
            "|---|---|---|---|---|---|"]

    def side(x: Side) -> str:
        return f"{x.form}: {_words(x.rows)} / {_words(x.columns)}"

    for i in cat.identities:
        also = [w for w, on in (("类 rows", i.by_class), (f"title has {i.when_title}", bool(i.when_title)),
                                (f"title lacks {i.unless_title}", bool(i.unless_title))) if on]
        out.append(f"| `{i.id}` | {i.kind} | {_cell(i.doc)} | {side(i.stated) if i.stated else '—'} | "
                   f"{' + '.join(side(x) for x in i.equals) or '—'} | {_words(tuple(also))} |")
    out += ["", "## Lexicon\n", "| group | id | sign | meaning | words |", "|---|---|---|---|---|"]
    out += [f"| relation | `{r.id}` | {r.sign:+d} | {r.doc} | {_words(r.words)} |" for r in cat.relations]
    out += [f"| budget period | `{p.id}` | | {p.doc} | {_words(p.words)} |" for p in cat.periods]
    out += [f"| budget base | `{b.id}` | | {b.name}: {b.doc} | {_words(b.words)} |" for b in cat.bases]
    out += [f"| fund scope | `{s.id}` | | {s.name} (within {scopes.get(s.within, '—')}) | {_words(s.words)} |"
            for s in cat.scopes]
    out += [f"| rows | total | | total rows | {_words(cat.total_words)} |",
            f"| rows | breakdown | | breakdown rows | {_words(cat.breakdown_words)} |",
            f"| rows | levels | | 科目 levels | {_words(cat.level_words)} |"]
    u = cat.units
    out += [f"| units | money | | factor to 元 | {'、'.join(f'{k} = {v}' for k, v in u.money)} |",
            f"| units | counters | | count units | {_words(u.counters)} |",
            f"| units | percent | | | {_words(u.percent + u.permille)} |"]
    out += [f"| report kind | `{k.kind}` | | cover words | {_words(k.cover)} |" for k in cat.kinds]
    out += [f"| renamed 科目 | | | former name → current | {old} → {new} |" for old, new in cat.renamed]
    out.append(f"| family | public finance | | a document using none is not a report crossfoot knows | "
               f"{_words(cat.family_words)} |")
    v = cat.vocabulary
    if v.word_sets or v.patterns:
        out += ["", "## Vocabulary\n",
                "Word sets and patterns by area (`src/crossfoot/knowledge/vocab/AREA.toml`), addressed as `AREA.NAME`.\n",
                "| key | what it is for | words |", "|---|---|---|"]
        out += [f"| `{w.key}` | {_cell(w.doc)} | {_cell(_words(w.words))} |" for w in v.word_sets]
        out += ["", "| key | what it is for | pattern | finds, e.g. |", "|---|---|---|---|"]
        out += [f"| `{p.key}` | {_cell(p.doc)} | `{_cell(p.source)}` | {_cell(_words(p.matches))} |"
                for p in v.patterns]
    out += ["", "## Sentence forms\n"]
    for s in cat.sentences:
        out += [f"### `{s.id}`\n", f"{s.doc}\n", f"```\n{s.pattern}\n```\n", "Read in real reports:\n"]
        out += [f"- {e.text.replace(chr(10), '⏎')}" for e in s.examples]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
