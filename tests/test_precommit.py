"""The real pre-commit framework runs our hook from .pre-commit-hooks.yaml (``try-repo``).

pre-commit builds the hook's environment with pip. So that nothing leaves the machine, pip gets
no index (``PIP_NO_INDEX``): setuptools for the build comes from the wheels virtualenv ships,
and the runtime dependencies from this interpreter's site-packages (``PYTHONPATH``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import GOOD_CHANGELOG, git, write_project

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _offline_env(home: Path) -> dict[str, str]:
    import virtualenv

    embed = Path(virtualenv.__file__).parent / "seed" / "wheels" / "embed"
    env = dict(os.environ)
    env.update(
        {
            "PRE_COMMIT_HOME": str(home),
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(embed),
            "PIP_NO_DEPS": "1",
            "PYTHONPATH": sysconfig.get_paths()["purelib"],
            "VIRTUALENV_NO_PERIODIC_UPDATE": "1",
            "NO_COLOR": "1",
        }
    )
    return env


@pytest.fixture(scope="module")
def project_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A commit of this project's working tree, as try-repo would take it."""
    clone = tmp_path_factory.mktemp("project") / "ares-release"
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", ".*_cache", "build", ".venv", ".work"
    )
    shutil.copytree(PROJECT, clone, ignore=ignore, symlinks=True)
    git(clone, "init", "-q", "-b", "main")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "chore: snapshot for try-repo")
    return clone


def try_repo(bot: Path, project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(project),
            "ares-release-check",
            "--all-files",
            "--color",
            "never",
        ],
        cwd=bot,
        env=_offline_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_passes_a_good_changelog_and_fails_a_broken_one(
    git_repo: Path, project_clone: Path, tmp_path: Path
) -> None:
    write_project(git_repo)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-q", "-m", "feat: bot")
    home = tmp_path / "pre-commit-home"

    good = try_repo(git_repo, project_clone, home)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ares-release check" in good.stdout and "Passed" in good.stdout

    log = git_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(GOOD_CHANGELOG.replace("## [1.1.0] - 2025-03-14", "## [1.1.0] - 2025-13-14"))
    bad = try_repo(git_repo, project_clone, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert (
        "docs/BOT_CHANGELOG.md:21:14: CL205 '2025-13-14' is not a real calendar date" in bad.stdout
    )
