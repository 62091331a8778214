"""A one-shot command's process: no cyclic collection while it runs, no teardown after its output is
out; and neither for anyone who calls main() in their own interpreter (the tests, an embedding)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crossfoot import cli, runtime

SAMPLES = Path(__file__).resolve().parent.parent / "sample_reports"


@pytest.fixture
def collector_on() -> object:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_main_in_someone_elses_interpreter_leaves_the_collector_alone(collector_on: object,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(SAMPLES / "000.txt"), "--format", "json", "--no-cache"]) in (0, 1)
    assert gc.isenabled()
    capsys.readouterr()


def test_only_one_shot_commands_run_without_the_collector(collector_on: object, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "_dispatch", lambda args: 0)
    cli.main(["checks"], own_process=True)
    assert gc.isenabled()
    for cmd in sorted(runtime.ONE_SHOT):
        gc.enable()
        cli.main([cmd, str(SAMPLES / "000.txt")], own_process=True)
        assert not gc.isenabled(), cmd
    capsys.readouterr()


def test_page_workers_turn_the_collector_back_on(collector_on: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from crossfoot.ingest import budget

    monkeypatch.setattr(budget, "limit_this_process", lambda: None)
    monkeypatch.setattr(budget.signal, "signal", lambda *a: None)
    gc.disable()
    budget.worker_init()
    assert gc.isenabled()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crossfoot.cli", *args], capture_output=True, text=True,
                          check=False, timeout=300)


def test_the_entry_point_exits_with_the_commands_code_and_all_its_output() -> None:
    # Everything written reaches the reader although the process skips the interpreter's teardown.
    r = _run("check", str(SAMPLES / "000.txt"), "--format", "json", "--no-cache", "--all", "--fail-on", "low")
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["findings"]
    missing = _run("check", str(SAMPLES / "no-such-report.pdf"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_a_reader_that_goes_away_is_not_an_error() -> None:
    # `crossfoot dump … | head -1`: the rest of the output (far more than a pipe holds) has nowhere
    # to go; no traceback, exit 0.
    p = subprocess.Popen([sys.executable, "-m", "crossfoot.cli", "dump", str(SAMPLES / "003.txt"), "--no-cache"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None and p.stderr is not None
    p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=120) == 0 and "Traceback" not in err, err
