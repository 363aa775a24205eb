"""Plain ``mlflow.start_run()`` gets ``bot_version`` through the run context provider.

Each case runs in a fresh interpreter, as training code would: MLflow loads the provider
from its entry point while ``import mlflow`` runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from .conftest import git

pytest.importorskip("mlflow")
pytestmark = pytest.mark.slow

START_RUN = """
import json, mlflow
from mlflow.tracking import MlflowClient
with mlflow.start_run() as run:
    pass
tags = MlflowClient().get_run(run.info.run_id).data.tags
print(json.dumps({k: v for k, v in tags.items() if not k.startswith("mlflow.")}))
"""


def start_run(cwd: Path, **env: str) -> dict[str, str]:
    import os

    done = subprocess.run(
        [sys.executable, "-c", START_RUN],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_provider_is_registered() -> None:
    names = [ep.value for ep in entry_points(group="mlflow.run_context_provider")]
    assert "ares_release.mlflow_context:AresRunContext" in names


def test_plain_start_run_inside_an_ares_repository(tracking_uri: str, ares_repo: Path) -> None:
    assert start_run(ares_repo) == {"bot_version": "2.0.0", "bot_tree_dirty": "false"}
    git(ares_repo, "tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    (ares_repo / "src" / "config.py").write_text(
        (ares_repo / "src" / "config.py").read_text() + "# wip\n"
    )
    assert start_run(ares_repo / "src") == {
        "bot_version": "2.0.0",
        "bot_release_tag": "v2.0.0",
        "bot_tree_dirty": "true",
    }


def test_environment_variable_wins(tracking_uri: str, ares_repo: Path) -> None:
    assert start_run(ares_repo, ARES_BOT_VERSION="2.1.0-rc.1")["bot_version"] == "2.1.0-rc.1"


def test_outside_a_repository_nothing_is_added(tracking_uri: str, tmp_path: Path) -> None:
    assert "bot_version" not in start_run(tmp_path)


def test_a_broken_version_file_never_breaks_a_run(tracking_uri: str, ares_repo: Path) -> None:
    (ares_repo / "src" / "config.py").write_text("ARES_VERSION = (\n")
    assert "bot_version" not in start_run(ares_repo)


def test_provider_methods_never_raise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ares_release import mlflow_context

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text("[tool.ares-release]\nnonsense = 1\n")
    mlflow_context._cache.clear()
    provider = mlflow_context.AresRunContext()
    assert provider.in_context() is False
    assert provider.tags() == {}
