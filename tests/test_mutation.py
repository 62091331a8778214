"""Mutation fuzzing: damaged copies of real reports must never crash crossfoot.

Seeded byte flips, truncations, deletions, insertions and zeroed spans of the reports go through
`crossfoot check --no-cache --format json`. Two kinds of input: excerpts of the sample reports
(rebuilt by pypdf, so small and quick) and the real reports byte for byte as published (their own
xref tables, object streams and producers' quirks, which a rebuild would normalise away): the sample
PDFs and every PDF in CROSSFOOT_FUZZ_CORPUS (default: the shared corpus of real reports, when present).
Whatever the damage, the exit code is 0, 1, 2 or 3 and nothing ends in a traceback or a hang.

Two runs: a subprocess per case (what a user sees: stderr, exit code; CROSSFOOT_FUZZ_CASES, default 24;
1000 for a nightly-sized batch) and an in-process run of many more cases through cli.main
(CROSSFOOT_FUZZ_FAST_CASES, default 200), where an exception escaping main is the traceback.
CROSSFOOT_FUZZ_SEED varies the cases, CROSSFOOT_FUZZ_LOG=FILE appends one JSON line per case.
Reproduce one case with `pytest tests/test_mutation.py -k 'case-17-'` and the same seed.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"
CORPUS = Path(os.environ.get("CROSSFOOT_FUZZ_CORPUS", "")
              or Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real")
CASES = int(os.environ.get("CROSSFOOT_FUZZ_CASES", "24"))
FAST_CASES = int(os.environ.get("CROSSFOOT_FUZZ_FAST_CASES", "200"))
# Whole published files up to this size (larger ones are fuzzed through their excerpts only).
ORIGINAL_MAX_BYTES = 1 << 20
SEED = int(os.environ.get("CROSSFOOT_FUZZ_SEED", "20241123"))
TIMEOUT = 180
# Pages chosen to include narrative and tables; excerpts keep one case to a couple of seconds.
EXCERPTS = {
    "000.pdf": [0, 3, 5],
    "003.pdf": [2, 6, 10],
    "putuo-social-2024.pdf": [0, 4, 7],
    "national-template-2024.pdf": [1, 4, 6],
}
CORPUS_PAGES = [1, 4, 8]
STRUCTURE = [b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"startxref", b"/Length",
             b"/Root", b"/Pages", b"/Kids", b"/Font", b"/ToUnicode", b"/Filter", b"<<", b">>", b"/Contents"]


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    b = bytearray(data)
    n = len(b)
    op = rng.choice(["flip", "flip", "truncate", "delete", "insert", "zero", "duplicate", "structure", "structure"])
    if op == "flip":
        for _ in range(rng.randint(1, 32)):
            b[rng.randrange(n)] ^= rng.randint(1, 255)
    elif op == "truncate":
        b = b[: rng.randrange(1, n)]
    elif op == "delete":
        i = rng.randrange(n)
        del b[i: i + rng.randint(1, 4096)]
    elif op == "insert":
        i = rng.randrange(n)
        b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 512)))
    elif op == "zero":
        i = rng.randrange(n)
        k = rng.randint(1, 8192)
        b[i: i + k] = bytes(len(b[i: i + k]))
    elif op == "duplicate":
        i, j = rng.randrange(n), rng.randrange(n)
        b[j:j] = b[i: i + rng.randint(1, 8192)]
    else:  # damage right at a structural keyword, where the parser is most fragile
        kw = rng.choice(STRUCTURE)
        hits = [m.start() for m in re.finditer(re.escape(kw), bytes(b))]
        if hits:
            i = rng.choice(hits)
            choice = rng.randrange(4)
            if choice == 0:
                b[i: i + len(kw)] = bytes(rng.randrange(256) for _ in kw)
            elif choice == 1:
                del b[i: i + len(kw) + rng.randint(0, 64)]
            elif choice == 2:  # a length or number nearby turned into something huge or negative
                b[i + len(kw): i + len(kw)] = rng.choice([b" 999999999", b" -1", b" 0", b" 1e308", b" <<"])
            else:
                b = b[: i + rng.randint(0, len(kw))]
            op = f"structure:{kw.decode()}:{choice}"
        else:
            b[rng.randrange(n)] ^= 0xFF
    return bytes(b), op


def originals() -> dict[str, bytes]:
    """Real reports as published, byte for byte: the shared corpus when present, else the samples."""
    d = CORPUS if CORPUS.is_dir() else SAMPLES
    return {f"orig:{p.name}": p.read_bytes() for p in sorted(d.glob("*.pdf"))
            if p.stat().st_size <= ORIGINAL_MAX_BYTES}


@pytest.fixture(scope="module")
def excerpts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Inputs to mutate: excerpts of the samples (quick) and whole published reports."""
    from pypdf import PdfReader, PdfWriter

    out: dict[str, bytes] = {}
    d = tmp_path_factory.mktemp("excerpts")
    sources = {name: SAMPLES / name for name in EXCERPTS}
    if CORPUS.is_dir():  # the shared real reports the samples do not have: excerpts of them too
        for p in sorted(CORPUS.glob("*.pdf")):
            sources.setdefault(p.name, p)
    for name, src in sources.items():
        pages = EXCERPTS.get(name, CORPUS_PAGES)
        reader = PdfReader(str(src))
        w = PdfWriter()
        for i in pages:
            if i < len(reader.pages):
                w.add_page(reader.pages[i])
        p = d / name
        w.write(str(p))
        out[name] = p.read_bytes()
    out.update(originals())
    return out


@pytest.mark.parametrize("case", range(CASES), ids=lambda c: f"case-{c}-")
def test_mutated_pdf_never_crashes(case: int, excerpts: dict[str, bytes], tmp_path: Path) -> None:
    rng = random.Random(SEED * 100003 + case)
    name = rng.choice(sorted(excerpts))
    data, op = mutate(excerpts[name], rng)
    f = tmp_path / f"mutant-{case}.pdf"
    f.write_bytes(data)
    env = {**os.environ, "CROSSFOOT_CACHE_DIR": str(tmp_path / "cache"), "PYTHONWARNINGS": "ignore"}
    try:
        r = subprocess.run([sys.executable, "-m", "crossfoot.cli", "check", str(f), "--no-cache", "--format", "json"],
                           capture_output=True, text=True, timeout=TIMEOUT, env=env, check=False)
        rc, err, out = r.returncode, r.stderr, r.stdout
    except subprocess.TimeoutExpired:
        rc, err, out = -999, "timeout", ""
    log = os.environ.get("CROSSFOOT_FUZZ_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"case": case, "seed": SEED, "sample": name, "op": op, "rc": rc,
                                 "traceback": "Traceback" in err,
                                 "stderr": err.strip().splitlines()[-1][:300] if err.strip() else ""},
                                ensure_ascii=False) + "\n")
    where = f"{name} {op} (seed {SEED}, case {case})"
    assert rc != -999, f"hung for {TIMEOUT}s on {where}"
    assert "Traceback" not in err, f"{where}\n{err[-3000:]}"
    assert rc in (0, 1, 2, 3), f"exit {rc} on {where}\n{err[-2000:]}"
    if rc == 0:
        json.loads(out)  # a run that claims success printed a whole document
    if rc == 2:
        assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, f"{where}\n{err}"


@pytest.mark.parametrize("case", range(FAST_CASES), ids=lambda c: f"fast-{c}-")
def test_mutated_pdf_in_process(case: int, excerpts: dict[str, bytes], tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Many more cases without an interpreter start each: any exception escaping cli.main is a traceback
    the user would have seen. Parsed in this process (as a batch worker does), for speed: the mutants are
    small, and the decompression cap and the time budgets still hold."""
    from crossfoot.cli import main
    from crossfoot.ingest import budget

    monkeypatch.setattr(budget, "_LIMITED", True)
    monkeypatch.setenv("CROSSFOOT_JOBS", "1")
    rng = random.Random(SEED * 7919 + case)
    quick = sorted(k for k in excerpts if not k.startswith("orig:"))
    name = rng.choice(quick)  # excerpts only: a few hundred whole reports would not be quick
    data, op = mutate(excerpts[name], rng)
    f = tmp_path / f"mutant-{case}.pdf"
    f.write_bytes(data)
    monkeypatch.setenv("CROSSFOOT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("CROSSFOOT_REPORT_SECONDS", "120")
    rc = main(["check", str(f), "--no-cache", "--format", "json", "--fail-on", "low"])
    out, err = capsys.readouterr()
    where = f"{name} {op} (seed {SEED}, fast case {case})"
    assert rc in (0, 1, 2, 3), f"exit {rc} on {where}\n{err[-2000:]}"
    if rc != 2:
        json.loads(out)
    else:
        assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, f"{where}\n{err}"
