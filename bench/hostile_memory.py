"""Peak memory of `crossfoot check` on compressed bombs (issue 15 item 3): measured, not assumed.

Run from the repo root: `python bench/hostile_memory.py`. Each case is built here (tests/hostile_pdfs.py),
run through bench.py's wrapper (a fresh process per case) and reported as: exit code, the largest single
process's peak RSS (getrusage of the children, page workers included) and the whole process tree's
summed peak RSS (psutil sampling every 50 ms). Writes bench/hostile_memory.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from bench import WRAPPER  # noqa: E402  (bench.py, next to this script)
from tests.hostile_pdfs import content_bomb_pdf, objstm_bomb_pdf  # noqa: E402

GB = 1 << 30
CASES = [
    ("content stream bomb, 1 GB inflated, defaults", content_bomb_pdf, GB, {}),
    ("object stream bomb, 1 GB inflated, defaults", objstm_bomb_pdf, GB, {}),
    ("content stream bomb, 4 GB inflated, defaults", content_bomb_pdf, 4 * GB, {}),
    ("content stream bomb, 1 GB, stream cap off: the memory limit stops it", content_bomb_pdf, GB,
     {"CROSSFOOT_MAX_STREAM_MB": "0"}),
    ("object stream bomb, 1 GB, stream cap off: the memory limit stops it", objstm_bomb_pdf, GB,
     {"CROSSFOOT_MAX_STREAM_MB": "0"}),
]


def main() -> int:
    results = []
    with tempfile.TemporaryDirectory() as d:
        for title, build, inflated, extra in CASES:
            pdf = build(Path(d) / "bomb.pdf", inflated)
            env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CROSSFOOT_CACHE_DIR": str(Path(d) / "cache"),
                   **extra}
            cmd = [sys.executable, "-m", "crossfoot", "check", str(pdf), "--no-cache", "--fail-on", "low"]
            r = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cmd), json.dumps(env)],
                               capture_output=True, text=True, check=True)
            m = json.loads(r.stdout)
            row = {"case": title, "file_kb": pdf.stat().st_size // 1024, "rc": m["rc"],
                   "max_process_mb": round(m["maxrss_mb"]), "tree_peak_mb": round(m["tree_peak_mb"] or 0),
                   "wall_s": round(m["wall"], 1), "said": (m["stderr_tail"].strip().splitlines() or [""])[-1]
                   or [ln for ln in m["stdout_tail"].splitlines() if ln.startswith("incomplete")][-1:]}
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    (Path(__file__).resolve().parent / "hostile_memory.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
