"""Git access: the only module that talks to git.

The release path runs the git program directly (one short process per question, no object
database reads in Python): it is what runs the repository's hooks exactly as a user's own
``git commit`` would, and it keeps ``bump --dry-run`` cheap. GitPython, imported lazily, serves
the demo's repository set-up.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ._optional import require
from .errors import GitError
from .journal import git_dir

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ares Release Demo",
    "GIT_AUTHOR_EMAIL": "demo@ares-release.invalid",
    "GIT_COMMITTER_NAME": "Ares Release Demo",
    "GIT_COMMITTER_EMAIL": "demo@ares-release.invalid",
}


def run(
    root: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    check: bool = True,
    input: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``root``; a failure becomes :class:`GitError` with git's message."""
    environ = {**os.environ, **env} if env else None
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, env=environ, input=input, check=False
        )
    except FileNotFoundError:
        raise GitError("the git program is not on PATH; install git") from None
    if check and done.returncode != 0:
        message = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        last = message.splitlines()[-1] if message else f"exit code {done.returncode}"
        raise GitError(f"git {args[0]} failed: {last}")
    return done


def out(root: Path, *args: str) -> str:
    return run(root, *args).stdout.decode("utf-8", "replace").strip()


def head(root: Path) -> str | None:
    """The commit HEAD points at, or None on an unborn branch."""
    done = run(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
    return done.stdout.decode().strip() or None


def head_ref(root: Path) -> str | None:
    """The branch HEAD is on (``refs/heads/main``), or None when detached."""
    done = run(root, "symbolic-ref", "--quiet", "HEAD", check=False)
    return done.stdout.decode().strip() or None


def changed_paths(root: Path) -> list[str]:
    """Tracked paths with staged or unstaged changes (untracked files are not counted)."""
    done = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=no")
    items = done.stdout.decode("utf-8", "replace").split("\0")
    paths: list[str] = []
    skip = False
    for item in items:
        if skip:
            skip = False
            continue
        if len(item) > 3:
            paths.append(item[3:])
            skip = item[0] in "RC"  # a rename is followed by its source path
    return paths


def tag_commit(root: Path, tag: str) -> str | None:
    """The commit a tag points at, or None when there is no such tag."""
    done = run(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}^{{commit}}", check=False)
    return done.stdout.decode().strip() or None


def operation_in_progress(root: Path) -> str | None:
    """A merge, rebase, cherry-pick, revert or bisect that is under way, if any."""
    gdir = git_dir(root)
    for name, what in (
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("REVERT_HEAD", "a revert"),
        ("rebase-merge", "a rebase"),
        ("rebase-apply", "a rebase"),
        ("BISECT_LOG", "a bisect"),
    ):
        if (gdir / name).exists():
            return what
    return None


def nearest_tag(root: Path, pattern: str) -> str | None:
    """The nearest tag reachable from HEAD whose name matches the glob ``pattern``."""
    done = run(root, "describe", "--tags", "--abbrev=0", f"--match={pattern}", "HEAD", check=False)
    return done.stdout.decode("utf-8", "replace").strip() or None


def reachable_tags(root: Path, pattern: str) -> list[str]:
    """Tags matching ``pattern`` that HEAD contains, newest tagged commit first."""
    args = ["tag", "--merged", "HEAD", "--list", pattern, "--sort=-creatordate"]
    return out(root, *args).split()


def log(root: Path, revision_range: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(sha, parents, message) of every commit in the range, newest first: one git process."""
    done = run(root, "log", "--no-color", "--format=%H%x1f%P%x1f%B%x1e", revision_range, "--")
    commits = []
    for record in done.stdout.decode("utf-8", "replace").split("\x1e"):
        record = record.lstrip("\n")
        if not record:
            continue
        sha, parents, message = record.split("\x1f", 2)
        commits.append((sha, tuple(parents.split()), message))
    return commits


def commit_message(root: Path, commit: str) -> str:
    return run(root, "log", "-1", "--format=%B", commit).stdout.decode("utf-8", "replace")


def parent(root: Path, commit: str) -> str | None:
    done = run(root, "rev-parse", "--verify", "--quiet", f"{commit}^", check=False)
    return done.stdout.decode().strip() or None


def commit_paths(
    root: Path,
    paths: Sequence[str],
    message: str,
    *,
    verify: bool = True,
    sign: bool = False,
    env: Mapping[str, str] | None = None,
) -> None:
    """Commit exactly ``paths`` (their working-tree content), through the repository's hooks."""
    run(root, "add", "--", *paths, env=env)
    args = ["commit", "--quiet", "--cleanup=whitespace", "--file=-"]
    args += [] if verify else ["--no-verify"]
    args += ["--gpg-sign"] if sign else ["--no-gpg-sign"]
    run(root, *args, "--only", "--", *paths, env=env, input=message.encode("utf-8"))


def create_tag(
    root: Path, tag: str, message: str, *, target: str, sign: bool, env: Mapping[str, str] | None
) -> None:
    args = ["tag", "--sign" if sign else "--annotate", "--cleanup=whitespace", "--file=-"]
    args += [tag, target]
    run(root, *args, env=env, input=message.encode("utf-8"))


def delete_tag(root: Path, tag: str) -> None:
    run(root, "tag", "--delete", tag)


def set_head(root: Path, ref: str | None, commit: str | None) -> None:
    """Point ``ref`` (or a detached HEAD) back at ``commit``; None deletes an unborn branch."""
    if commit is None:
        run(root, "update-ref", "-d", ref or "HEAD")
    elif ref is None:
        run(root, "update-ref", "--no-deref", "HEAD", commit)
    else:
        run(root, "update-ref", ref, commit)


# --- GitPython, for the demo -------------------------------------------------------------


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


def tag_head(path: Path, name: str, message: str, *, env: Mapping[str, str] | None = None) -> None:
    """An annotated tag on HEAD."""
    git = require("git")
    repo = _repo(path)
    try:
        repo.git.tag("--annotate", "-m", message, name, env={**os.environ, **(env or {})})
    except git.GitCommandError as exc:
        raise GitError(f"git tag failed in {path}: {exc.stderr.strip()}") from None
