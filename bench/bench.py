"""Benchmark: bare pdfplumber vs `crossfoot check` cold and warm, app first paint, peak RSS.

Run from the repo root: `python bench/bench.py` (a few minutes on 2 cores); `--quick` for the two
small samples only. Writes bench/results.json and prints a table. Every measurement runs in its own
`python -c` wrapper process, so getrusage(RUSAGE_CHILDREN) isolates that run's peak RSS (the largest
single process, pool workers included); with psutil installed the whole process tree's summed RSS is
sampled too. Bare pdfplumber and the cold check run in turns, five times each by default
(`--cold-runs`), and the medians are compared. Targets (issue "Speed"): cold <= 0.8x bare pdfplumber;
warm <= 0.5 s for a ~30-page report; peak RSS <= 400 MB for a 200-page report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_reports"
RESULTS = Path(__file__).resolve().parent / "results.json"
ALL = ["000.pdf", "003.pdf", "putuo-social-2024.pdf", "national-template-2024.pdf"]
QUICK = ["putuo-social-2024.pdf", "national-template-2024.pdf"]

# Runs one command as its child; reports wall time, exit code and peak memory as JSON on stdout.
WRAPPER = r"""
import json, resource, subprocess, sys, threading, time
cmd, env, sampled = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == "1"
peak = [0]
def sample(proc):
    if not sampled:
        return
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(proc.pid)
    except psutil.Error:
        return
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
        except psutil.Error:
            pass
        peak[0] = max(peak[0], total)
        time.sleep(0.05)
t0 = time.perf_counter()
proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
th = threading.Thread(target=sample, args=(proc,), daemon=True)
th.start()
out, err = proc.communicate()
wall = time.perf_counter() - t0
th.join(1)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "rc": proc.returncode, "maxrss_mb": ru.ru_maxrss / 1024,
                  "tree_peak_mb": peak[0] / 2**20 if peak[0] else None,
                  "cpu": ru.ru_utime + ru.ru_stime,
                  "stdout_tail": out.decode("utf-8", "replace")[-2000:],
                  "stderr_tail": err.decode("utf-8", "replace")[-600:]}))
"""

BARE = r"""
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_text()
        page.extract_tables()
        page.flush_cache()
"""

# In-process: how long a reopen takes to get the parsed report back from the parse cache.
CACHE_READ = r"""
import json, sys, time
t0 = time.perf_counter()
from crossfoot.ingest import load
t1 = time.perf_counter()
r = load(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "pdfplumber_imported": "pdfplumber" in sys.modules}))
"""

# Headless Textual: time from interpreter start to the first screen, and to the screen the report opens on
# (the review screen, the overview one key away; warm cache).
PAINT = r"""
import asyncio, json, sys, time
t0 = time.perf_counter()
from crossfoot.tui.app import CrossfootApp
from crossfoot.tui.screens.overview import OverviewScreen
from crossfoot.tui.screens.review import ReviewScreen

OPEN = (ReviewScreen, OverviewScreen)

async def main():
    app = CrossfootApp(sys.argv[1], use_cache=True, use_store=False)
    async with app.run_test(size=(160, 48)) as pilot:
        first = time.perf_counter() - t0
        deadline = time.perf_counter() + 120
        while not isinstance(app.screen, OPEN) and time.perf_counter() < deadline:
            await asyncio.sleep(0.01)
        await pilot.pause()
        ready = time.perf_counter() - t0
        print(json.dumps({"first_screen": first, "overview": ready, "ok": isinstance(app.screen, OPEN),
                          "screen": type(app.screen).__name__}))
        app.exit(0)

asyncio.run(main())
"""


def measure(cmd: list[str], env: dict[str, str], sampled: bool = True) -> dict[str, Any]:
    """One run of cmd. `sampled`: poll the process tree's memory every 50 ms (psutil) — left off for
    the timing runs, where the polling takes CPU from a run that uses both cores and none from bare
    pdfplumber, which uses one; the largest process's peak RSS is known either way."""
    r = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cmd), json.dumps(env), "1" if sampled else "0"],
                       capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"wrapper failed: {r.stderr[-2000:]}")
    res: dict[str, Any] = json.loads(r.stdout)
    return res


def check_cmd(path: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "crossfoot.cli", "check", str(path), "--format", "json", *extra]


def pages_of(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def concat(names: list[str], dst: Path) -> int:
    from pypdf import PdfWriter

    w = PdfWriter()
    for n in names:
        w.append(str(SAMPLES / n))
    w.write(str(dst))
    return pages_of(dst)


def tui_available() -> bool:
    r = subprocess.run([sys.executable, "-c", "import crossfoot.tui.app, crossfoot.tui.screens.overview, "
                        "crossfoot.tui.screens.review"],
                       capture_output=True, check=False)
    return r.returncode == 0


def _mb(d: dict[str, Any]) -> float:
    return round(float(max(d["maxrss_mb"], d["tree_peak_mb"] or 0)), 1)



def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (the lower middle one of an even number)."""
    return sorted(runs, key=lambda r: float(r["wall"]))[(len(runs) - 1) // 2]


def bench_file(path: Path, env: dict[str, str], cache: Path, warm_runs: int, paint: bool,
               cold_runs: int = 5) -> dict[str, Any]:
    out: dict[str, Any] = {"file": path.name, "pages": pages_of(path)}
    # Bare and cold in turns, `cold_runs` times each, and the median of each: one run on a shared
    # machine is off by several per cent either way, and in turns both see the same load.
    bares: list[dict[str, Any]] = []
    colds: list[dict[str, Any]] = []
    for _ in range(cold_runs):
        bares.append(measure([sys.executable, "-c", BARE, str(path)], env, sampled=False))
        colds.append(measure(check_cmd(path, "--no-cache"), env, sampled=False))
        if colds[-1]["rc"] not in (0, 1):
            raise RuntimeError(f"crossfoot check failed on {path.name}: {colds[-1]['stderr_tail']}")
    bare, cold = _median_run(bares), _median_run(colds)
    tree = measure(check_cmd(path, "--no-cache"), env)  # the whole tree's memory, in a run of its own
    cenv = {**env, "CROSSFOOT_CACHE_DIR": str(cache)}
    prime = measure(check_cmd(path), cenv)  # cold run that also writes the cache entry
    warm = [measure(check_cmd(path), cenv) for _ in range(warm_runs)]
    cr = measure([sys.executable, "-c", CACHE_READ, str(path)], cenv)
    cache_read = json.loads(cr["stdout_tail"].strip().splitlines()[-1])
    out.update(
        bare_s=round(bare["wall"], 3), bare_rss_mb=round(max(_mb(b) for b in bares), 1),
        bare_runs_s=[round(b["wall"], 3) for b in bares], cold_runs_s=[round(c["wall"], 3) for c in colds],
        cold_s=round(cold["wall"], 3), cold_cpu_s=round(cold["cpu"], 2),
        cold_rss_mb=round(max(c["maxrss_mb"] for c in colds), 1),
        cold_tree_rss_mb=_opt(tree["tree_peak_mb"]),
        cold_with_cache_write_s=round(prime["wall"], 3),
        warm_s=round(statistics.median(w["wall"] for w in warm), 3),
        warm_min_s=round(min(w["wall"] for w in warm), 3),
        warm_rss_mb=round(max(w["maxrss_mb"] for w in warm), 1),
        cold_over_bare=round(cold["wall"] / bare["wall"], 3),
        cache_load_s=round(cache_read["load"], 3), cache_hit_without_pdfplumber=not cache_read["pdfplumber_imported"],
        warm_same_output=all(w["stdout_tail"] == prime["stdout_tail"] for w in warm),
    )
    if paint and out["pages"] <= 60:  # the app is about reviewing one report; large ones add minutes only
        p = measure([sys.executable, "-c", PAINT, str(path)], cenv)
        try:
            got = json.loads(p["stdout_tail"].strip().splitlines()[-1])
            out.update(paint_first_screen_s=round(got["first_screen"], 3),
                       paint_overview_s=round(got["overview"], 3), paint_ok=got["ok"], paint_screen=got["screen"])
        except (ValueError, IndexError, KeyError):
            out.update(paint_error=p["stderr_tail"][-300:])
    return out


def _opt(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="only the two small samples; no 200-page run")
    ap.add_argument("--warm-runs", type=int, default=3)
    ap.add_argument("--cold-runs", type=int, default=5, help="bare and cold runs per file, in turns; medians kept")
    ap.add_argument("--no-paint", action="store_true", help="skip the app first-paint measurement")
    ap.add_argument("-o", "--output", default=str(RESULTS))
    args = ap.parse_args(argv)

    names = QUICK if args.quick else ALL
    compiled = _compile_crossfoot()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CROSSFOOT_")}
    env["PYTHONWARNINGS"] = "ignore"
    paint = not args.no_paint and tui_available()
    started = time.time()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="crossfoot-bench-") as tmp:
        t = Path(tmp)
        for i, n in enumerate(names):
            print(f"  {n} ...", file=sys.stderr, flush=True)
            rows.append(bench_file(SAMPLES / n, env, t / f"cache{i}", args.warm_runs, paint, max(1, args.cold_runs)))
        big: dict[str, Any] | None = None
        if not args.quick:
            print("  ~200-page concatenation ...", file=sys.stderr, flush=True)
            big_path = t / "concat-200.pdf"
            n_pages = concat(["003.pdf", "000.pdf", "putuo-social-2024.pdf", "national-template-2024.pdf"],
                             big_path)
            cold = measure(check_cmd(big_path, "--no-cache"), env)
            big = {"pages": n_pages, "rc": cold["rc"], "cold_s": round(cold["wall"], 3),
                   "rss_mb_largest_process": round(cold["maxrss_mb"], 1),
                   "rss_mb_tree": _opt(cold["tree_peak_mb"])}

    tot_bare = sum(r["bare_s"] for r in rows)
    tot_cold = sum(r["cold_s"] for r in rows)
    small = [r for r in rows if r["pages"] <= 40]
    targets = {
        "cold_over_bare_total": round(tot_cold / tot_bare, 3),
        "cold_over_bare_ok(<=0.8)": tot_cold / tot_bare <= 0.8,
        "warm_30_pages_s": max((r["warm_s"] for r in small), default=None),
        "warm_ok(<=0.5s)": all(r["warm_s"] <= 0.5 for r in small) if small else None,
    }
    if big is not None:
        peak = max(big["rss_mb_largest_process"], big["rss_mb_tree"] or 0)
        targets["rss_200_pages_mb"] = peak
        targets["rss_ok(<=400MB)"] = peak <= 400
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
                    # Set, and crossfoot run from a source tree, every run compiles crossfoot's modules
                    # again (~0.1 s of CPU); pdfplumber's bytecode is installed with it.
                    "PYTHONDONTWRITEBYTECODE": os.environ.get("PYTHONDONTWRITEBYTECODE"),
                    "crossfoot_bytecode_compiled_before_timing": compiled},
        "commit": _git_commit(),
        "files": rows, "concat_200": big, "targets": targets, "output": str(args.output),
    }
    Path(args.output).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    _print_table(result)
    return 0


def _compile_crossfoot() -> bool:
    """Byte-compile crossfoot's modules before timing, as installing a package does.

    The baseline, pdfplumber, runs from the bytecode pip wrote when it installed it; crossfoot installed
    in editable mode from a source tree has none, and with PYTHONDONTWRITEBYTECODE set every run would
    compile every module again (~0.1–0.2 s of CPU), which a deployed crossfoot never does. Existing .pyc
    files are read even with that variable set."""
    import compileall

    import crossfoot

    return bool(compileall.compile_dir(Path(crossfoot.__file__).parent, quiet=1))


def _git_commit() -> str | None:
    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                       check=False)
    return r.stdout.strip() or None


def _print_table(res: dict[str, Any]) -> None:
    cols = [("file", 28), ("pages", 5), ("bare_s", 7), ("cold_s", 7), ("cold_over_bare", 8), ("warm_s", 7), ("cache_load_s", 7),
            ("paint_overview_s", 8), ("bare_rss_mb", 8), ("cold_rss_mb", 8), ("cold_tree_rss_mb", 8)]
    heads = ["file", "pages", "bare s", "cold s", "cold/bare", "warm s", "cache s", "paint s", "bare MB", "cold MB",
             "tree MB"]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, (_, w)) in enumerate(zip(heads, cols, strict=True))))
    for r in res["files"]:
        cells = []
        for i, (k, w) in enumerate(cols):
            v = r.get(k)
            s = "-" if v is None else str(v)
            cells.append(s.ljust(w) if i == 0 else s.rjust(w))
        print("  ".join(cells))
    if res["concat_200"]:
        b = res["concat_200"]
        print(f"{b['pages']}-page concatenation: cold {b['cold_s']} s, peak RSS {b['rss_mb_largest_process']} MB "
              f"(largest process), {b['rss_mb_tree']} MB (whole tree)")
    for k, v in res["targets"].items():
        print(f"{k}: {v}")
    print(f"results: {res.get('output', RESULTS)}")


if __name__ == "__main__":
    sys.exit(main())
