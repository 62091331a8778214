from __future__ import annotations

import subprocess
import sys

import pytest

from crossfoot import __version__
from crossfoot.cli import COMMANDS, main


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crossfoot.cli", *args], capture_output=True, text=True)


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"crossfoot {__version__}"


@pytest.mark.parametrize("cmd", COMMANDS)
def test_help_on_every_command(cmd: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main([cmd, "--help"])
    assert e.value.code == 0
    assert "usage: crossfoot" in capsys.readouterr().out


def test_missing_file_is_exit_2_one_line(tmp_path: object) -> None:
    r = run("check", "/nonexistent/report.pdf")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "no such file" in r.stderr
    assert "Traceback" not in r.stderr


def test_checks_lists_catalogue() -> None:
    r = run("checks")
    assert r.returncode == 0
    from crossfoot.checks import all_checks

    for spec in all_checks():
        assert spec.id in r.stdout
