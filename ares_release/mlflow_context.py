"""A run context provider: every ``mlflow.start_run()`` inside an Ares repository gets
``bot_version`` (plus ``bot_release_tag`` when HEAD is the release's tag, and
``bot_tree_dirty``).

Registered under MLflow's ``mlflow.run_context_provider`` entry point. MLflow loads this
module while ``import mlflow`` runs, in every process of the environment, and a failure here
would break ``import mlflow`` itself. So: nothing happens at import time, nothing heavy is
imported, and no method ever raises.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_cache: dict[str, dict[str, str] | None] = {}


def _bot_tags(cwd: str) -> dict[str, str] | None:
    """The tags for runs started from ``cwd``; None outside an Ares repository."""
    from pathlib import Path

    from .config import find_root, load_config
    from .version_file import read_version

    version = os.environ.get("ARES_BOT_VERSION", "").strip()
    root = find_root(Path(cwd))
    if root is None and not version:
        return None
    tags: dict[str, str] = {}
    if root is not None:
        config = load_config(root)
        if not version:
            version = read_version(config.version_path, config.version_variable).value
        tags.update(_git_state(root, config.tag_for(version)))
    tags["bot_version"] = version
    return tags


def _git_state(root: Path, tag: str) -> dict[str, str]:
    """Release tag (when HEAD is exactly at it) and a dirty flag: two quick git calls."""
    import subprocess

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, timeout=5, check=False
        )

    state: dict[str, str] = {}
    head = git("rev-parse", "--verify", "--quiet", "HEAD").stdout.strip()
    tagged = git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}").stdout.strip()
    if head and head == tagged:
        state["bot_release_tag"] = tag
    status = git("status", "--porcelain", "--untracked-files=no")
    if status.returncode == 0:
        state["bot_tree_dirty"] = "true" if status.stdout.strip() else "false"
    return state


class AresRunContext:
    """MLflow ``RunContextProvider`` (duck-typed: importing MLflow's base class here would
    make this module depend on MLflow's import order)."""

    def _tags(self) -> dict[str, str] | None:
        try:
            cwd = os.getcwd()
            key = f"{cwd}\0{os.environ.get('ARES_BOT_VERSION', '')}"
            if key not in _cache:
                _cache[key] = _bot_tags(cwd)
            return _cache[key]
        except Exception:  # never break a user's run: no repository, no tags
            return None

    def in_context(self) -> bool:
        return self._tags() is not None

    def tags(self) -> dict[str, str]:
        return dict(self._tags() or {})
