"""Shared fixtures: a CLI runner, real git repositories, an Ares-style project, the corpus."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ares_release.cli import cli as cli_group

SHARED = Path(os.environ.get("ARES_RELEASE_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPUS = SHARED / "corpus"

GOOD_CHANGELOG = """\
# Ares Bot Changelog

All notable changes to the Ares trading bot are documented in this file.

## [Unreleased]

### Added

- Per-symbol position caps in the risk manager.

## [2.0.0] - 2025-06-02

### Added

- MLflow version tracking for every training run.

### Removed

- The legacy single-model trainer.

## [1.1.0] - 2025-03-14

### Fixed

- Funding-rate feature used the wrong sign.

## [1.0.0] - 2025-01-20

### Added

- First live release.

[Unreleased]: https://example.com/ares/compare/v2.0.0...HEAD
[2.0.0]: https://example.com/ares/compare/v1.1.0...v2.0.0
[1.1.0]: https://example.com/ares/compare/v1.0.0...v1.1.0
[1.0.0]: https://example.com/ares/releases/tag/v1.0.0
"""

CONFIG_PY = '''\
"""Ares configuration."""
import os

ARES_VERSION = "2.0.0"  # Used for model versioning

CONFIG = {"MLFLOW_TRACKING_URI": os.getenv("MLFLOW_TRACKING_URI", "sqlite:///mlruns.db")}
'''


@pytest.fixture(autouse=True, scope="session")
def _git_identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commits get a fixed identity; no user or system git config leaks into the tests."""
    home = tmp_path_factory.mktemp("git-home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        "[commit]\n\tgpgsign = false\n[tag]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n"
    )
    saved = dict(os.environ)
    os.environ.update(
        {
            "GIT_AUTHOR_NAME": "Test Author",
            "GIT_AUTHOR_EMAIL": "author@example.invalid",
            "GIT_COMMITTER_NAME": "Test Committer",
            "GIT_COMMITTER_EMAIL": "committer@example.invalid",
            "GIT_CONFIG_GLOBAL": str(gitconfig),
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    yield
    os.environ.clear()
    os.environ.update(saved)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


class Cli:
    """Invoke ``ares-release`` in-process; show output and traceback when the exit code is off."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, input: str | None = None) -> Result:
        cwd = os.getcwd()
        try:
            result = self.runner.invoke(cli_group, list(args), input=input, catch_exceptions=True)
        finally:
            os.chdir(cwd)
        if result.exit_code != code:
            import traceback

            trace = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
            pytest.fail(
                f"ares-release {' '.join(args)} exited {result.exit_code}, expected {code}\n"
                f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}\n{trace}"
            )
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


def write_project(
    root: Path, *, changelog: str = GOOD_CHANGELOG, config_py: str = CONFIG_PY
) -> Path:
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "docs").mkdir(exist_ok=True)
    (root / "src" / "config.py").write_text(config_py, encoding="utf-8")
    (root / "docs" / "BOT_CHANGELOG.md").write_text(changelog, encoding="utf-8")
    return root


@pytest.fixture
def git_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def ares_repo(git_repo: Path) -> Path:
    """A committed Ares-style repository: src/config.py and docs/BOT_CHANGELOG.md."""
    write_project(git_repo)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "feat: initial Ares bot")
    return git_repo


@pytest.fixture(scope="session")
def corpus() -> Path:
    changelogs = CORPUS / "changelogs"
    if not changelogs.is_dir():
        pytest.skip(f"the shared corpus is not beside the repository ({changelogs} is missing)")
    return CORPUS


def run_module(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m ares_release`` as a user would, in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "ares_release", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


# --- MLflow: a real tracking server on 127.0.0.1 and a sqlite store, once per session ------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(uri: str) -> bool:
    """A real API call (it reads the backend database), not /health."""
    import urllib.error
    import urllib.request

    url = f"{uri}/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="session")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mlflow server`` with a sqlite backend, started once and polled until it answers."""
    import shutil
    import signal
    import time

    pytest.importorskip("mlflow")
    root = tmp_path_factory.mktemp("mlflow-server")
    program = shutil.which("mlflow", path=str(Path(sys.executable).parent)) or shutil.which(
        "mlflow"
    )
    assert program, "the mlflow program is not installed (pip install -e '.[mlflow,test]')"
    port = _free_port()
    log = open(root / "server.log", "wb")  # noqa: SIM115 - open for the server's lifetime
    proc = subprocess.Popen(
        [
            program,
            "server",
            "--backend-store-uri",
            f"sqlite:///{root}/backend.db",
            "--default-artifact-root",
            str(root / "artifacts"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    uri = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while not _answers(uri):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    f"mlflow server did not start:\n{(root / 'server.log').read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield uri
    finally:
        with __import__("contextlib").suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="session")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("mlflow")
    return f"sqlite:///{tmp_path_factory.mktemp('mlflow-sqlite')}/store.db"


@pytest.fixture(params=["sqlite", "server"])
def tracking_uri(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each MLflow test runs against a sqlite store and against the real server."""
    import mlflow

    uri = request.getfixturevalue("sqlite_store" if request.param == "sqlite" else "mlflow_server")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    for name, value in (
        ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1"),
        ("MLFLOW_HTTP_REQUEST_TIMEOUT", "10"),
    ):
        monkeypatch.setenv(name, value)
    for name in ("ARES_BOT_VERSION", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
        monkeypatch.delenv(name, raising=False)
    # mlflow.set_experiment() in one test must not leak into the next.
    monkeypatch.setattr(mlflow.tracking.fluent, "_active_experiment_id", None)
    mlflow.set_tracking_uri(uri)
    yield uri
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def experiment(ares_repo: Path) -> str:
    """A fresh experiment name, also configured as the repository's mlflow_experiment."""
    import uuid

    name = f"Ares_Test_{uuid.uuid4().hex[:10]}"
    (ares_repo / "pyproject.toml").write_text(
        f'[tool.ares-release]\nmlflow_experiment = "{name}"\n'
    )
    git(ares_repo, "add", "pyproject.toml")
    git(ares_repo, "commit", "-qm", "chore: experiment for the test")
    return name
