from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ares_release import __version__

from .conftest import Cli, run_module


def test_version_option(cli: Cli) -> None:
    assert cli("--version").stdout == f"ares-release, version {__version__}\n"


def test_python_dash_m(ares_repo: Path) -> None:
    done = run_module("--version", cwd=ares_repo)
    assert done.returncode == 0 and done.stdout == f"ares-release, version {__version__}\n"
    done = run_module("check", cwd=ares_repo)
    assert done.returncode == 0, done.stderr


def test_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    done = run_module("version", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("ares-release: error: src/config.py:1: file not found")


def test_unexpected_errors_keep_their_traceback_and_exit_3(
    cli: Cli, ares_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ares_release.check

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ares_release.check, "check_project", broken)
    result = cli("check", code=3)
    assert "Traceback" in result.stderr and "RuntimeError: boom" in result.stderr
    assert "this is a bug in ares-release" in result.stderr


def test_missing_c_directory_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    cli("-C", str(tmp_path / "nope"), "version", code=2)


@pytest.mark.parametrize(
    "code",
    [
        "import ares_release",
        "import ares_release.cli, ares_release.check, ares_release.notes",
        "from ares_release.cli import cli\n"
        "try:\n    cli.main(args=['check'])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code",
    ],
    ids=["import-package", "import-cli", "run-check"],
)
def test_mlflow_and_gitpython_stay_unloaded(ares_repo: Path, code: str) -> None:
    probe = (
        code
        + "\nimport sys\nheavy = ('mlflow', 'git', 'mistune')"
        + "\nprint(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ares_repo, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_output_survives_the_fast_exit(ares_repo: Path) -> None:
    """main() ends with os._exit after flushing: piped output must still arrive whole."""
    done = run_module("check", "--json", cwd=ares_repo)
    assert done.returncode == 0
    assert json.loads(done.stdout) == {"ok": True, "problems": []}
    bad = run_module("notes", "9.9.9", cwd=ares_repo)
    assert bad.returncode == 1 and bad.stderr.startswith("ares-release: error: ")
    usage = run_module("no-such-command", cwd=ares_repo)
    assert usage.returncode == 2 and "No such command" in usage.stderr
