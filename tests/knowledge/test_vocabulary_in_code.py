"""Report vocabulary lives in the lexicon (knowledge/*.toml, knowledge/vocab/*.toml), not in code.

Every Chinese string constant in the core (docstrings aside) is counted per module against a budget that only
goes down: a module that still holds words the checks rely on is listed with what it has today, and moving its
words into the lexicon lowers its line. Modules that write Chinese *output* (the working paper, the marked-up PDF's
notes) are listed separately: that text is what crossfoot says, not what it reads.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import crossfoot

SRC = Path(crossfoot.__file__).parent
_CJK = re.compile(r"[\u3400-\u9fff]")

#: Chinese output text, not vocabulary.
OUTPUT = {"review/workpaper.py", "review/marknotes.py", "review/pdfannots.py", "tui/screens/dialogs.py",
          "render.py", "writers.py"}

#: Chinese string constants still in code, per module (the budget; lower it as words move to the lexicon).
BUDGET: dict[str, int] = {
    "checks/count.py": 1,
    "checks/cross_table.py": 1,
    "checks/document.py": 3,
    "checks/narrative_compare.py": 13,
    "checks/narrative_labels.py": 19,
    "checks/narrative_rates.py": 4,
    "checks/narrative_values.py": 10,
    "checks/scoring.py": 3,  # the checks' catalogue docs (output text)
    "checks/self_conflict.py": 2,
    "checks/table_sum.py": 7,
    "evaluate/amounts.py": 6,
    "evaluate/budget.py": 6,
    "evaluate/rates.py": 4,
    "knowledge/catalogue.py": 3,
    "knowledge/docs.py": 5,
    "linebreak.py": 3,
    "matching/link_names.py": 2,
    "matching/match.py": 1,
    "model.py": 6,
    "narrative/figures.py": 3,
    "numbers.py": 16,
    "samefault.py": 1,
    "tables/labels.py": 1,
    "tables/structure.py": 1,
}


def _constants(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
               and _CJK.search(n.value) and id(n) not in docs)


def test_chinese_constants_stay_within_budget() -> None:
    over: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in OUTPUT:
            continue
        n = _constants(path)
        allowed = BUDGET.get(rel, 0)
        if n > allowed:
            over.append(f"{rel}: {n} Chinese constants, budget {allowed} — put the words in the lexicon")
    assert not over, "\n".join(over)


def test_budget_names_existing_modules() -> None:
    # A moved or emptied module must leave the list, so the budget cannot hide new words elsewhere.
    for rel, n in BUDGET.items():
        path = SRC / rel
        assert path.exists(), f"{rel} is gone: drop it from BUDGET"
        assert _constants(path) == n, f"{rel}: has {_constants(path)} Chinese constants, budget says {n}: lower it"
