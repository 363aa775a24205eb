"""Find the repository, load its config, and show paths the way users typed them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .config import Config, find_root, load_config


class Project(NamedTuple):
    root: Path
    config: Config
    in_git: bool


def load_project(start: Path | None = None) -> Project:
    """The repository around ``start`` (default: the current directory) and its config.

    Outside any git repository the start directory itself stands in as the root, so that
    read-only commands (``check``, ``notes``, ``version``) work on a plain folder too.
    """
    here = (start or Path.cwd()).resolve()
    root = find_root(here)
    in_git = root is not None
    root = root or here
    return Project(root=root, config=load_config(root), in_git=in_git)


def display(path: Path) -> str:
    """``path`` relative to the current directory when it is below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel
