"""Where a bump keeps its journal and lock, and whether one was interrupted.

Import-light on purpose: every command asks :func:`interrupted` before it runs.
"""

from __future__ import annotations

from pathlib import Path

JOURNAL_DIR = "ares-release"
LOCK_FILE = "ares-release.lock"


def git_dir(root: Path) -> Path:
    """The repository's git directory, without running git (``.git`` or a worktree's)."""
    dot = root / ".git"
    if dot.is_file():
        text = dot.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            target = Path(text[len("gitdir:") :].strip())
            return target if target.is_absolute() else (root / target).resolve()
    return dot


def journal_path(root: Path) -> Path:
    return git_dir(root) / JOURNAL_DIR / "journal.json"


def lock_path(root: Path) -> Path:
    return git_dir(root) / LOCK_FILE


def lock_is_free(root: Path) -> bool:
    """True when no bump holds the lock."""
    import fcntl

    path = lock_path(root)
    if not path.exists():
        return True
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def interrupted(root: Path) -> bool:
    """A journal with no live bump holding the lock: a bump was killed part-way."""
    return journal_path(root).exists() and lock_is_free(root)


NOTICE = (
    "an interrupted 'ares-release bump' left the repository mid-release; run "
    "'ares-release recover' to complete or undo it"
)
