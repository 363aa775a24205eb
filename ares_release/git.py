"""The only module that imports GitPython (lazily, through :func:`_optional.require`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._optional import require
from .errors import GitError

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ares Release Demo",
    "GIT_AUTHOR_EMAIL": "demo@ares-release.invalid",
    "GIT_COMMITTER_NAME": "Ares Release Demo",
    "GIT_COMMITTER_EMAIL": "demo@ares-release.invalid",
}


def _repo(path: Path) -> Any:
    git = require("git")
    try:
        return git.Repo(path)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitError(f"{path}: not a git repository; run 'git init' first") from None


def init(path: Path) -> None:
    """``git init`` with ``main`` as the first branch."""
    git = require("git")
    try:
        git.Repo.init(path, initial_branch="main")
    except git.GitCommandError as exc:
        raise GitError(f"git init failed in {path}: {exc.stderr.strip()}") from None


def commit_all(path: Path, message: str, *, env: Mapping[str, str] | None = None) -> str:
    """Stage everything and commit; returns the new commit's SHA."""
    git = require("git")
    repo = _repo(path)
    environ = {**os.environ, **(env or {})}
    try:
        repo.git.add("--all")
        repo.git.commit("-q", "--no-gpg-sign", "-m", message, env=environ)
    except git.GitCommandError as exc:
        raise GitError(f"git commit failed in {path}: {exc.stderr.strip()}") from None
    return str(repo.head.commit.hexsha)


def log_oneline(path: Path, count: int = 10) -> str:
    repo = _repo(path)
    return str(repo.git.log("--oneline", "--decorate", f"-{count}"))
