"""``bump``, part two: apply a :class:`ReleasePlan` as one transaction.

Before the first change, a journal (the plan, the pre-bump HEAD, copies of both files and of
the index) is written under ``.git/ares-release/``. Then: write both files, commit them
through the repository's hooks, tag the commit. Any failure inside the process restores the
repository at once (files' bytes, index, HEAD, tags). If the process is killed outright, the
journal stays; every later ``ares-release`` command notices it, and ``ares-release recover``
finishes the job: it completes a release whose commit landed (only the tag was missing), and
restores the pre-bump state in every other case.

One bump at a time: an exclusive ``flock`` on ``.git/ares-release.lock``, held from planning to
the end, makes a second bump fail at once with a clear message. The kernel drops the lock
when its holder dies, so a killed bump never leaves a stale lock behind.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from . import git
from .errors import AresReleaseError, GitError
from .fsutil import write_atomic
from .journal import NOTICE, git_dir, journal_path, lock_path
from .release import ReleasePlan

FAILPOINT_ENV = "ARES_RELEASE_FAILPOINT"  # internal: lets the tests kill or fail a step
BUMP_ENV = "ARES_RELEASE_BUMP"  # set for git and its hooks while a bump runs (our pid)


class Outcome(NamedTuple):
    commit: str | None
    tag: str | None


def _failpoint(name: str) -> None:
    """Test hook: ``ARES_RELEASE_FAILPOINT=step`` kills the process, ``step:raise`` fails it."""
    wanted = os.environ.get(FAILPOINT_ENV, "")
    if wanted == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if wanted == f"{name}:raise":
        raise OSError(errno.ENOSPC, "No space left on device (simulated)")


@contextlib.contextmanager
def bump_lock(root: Path) -> Iterator[None]:
    """Hold the repository's bump lock, or fail at once if another bump holds it."""
    import fcntl

    handle = open(lock_path(root), "a+")  # noqa: SIM115 - held for the duration of the context
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AresReleaseError(
                "another 'ares-release bump' is running in this repository; wait for it to "
                "finish and try again"
            ) from None
        yield
    finally:
        handle.close()


def _write_journal(root: Path, record: dict[str, Any]) -> None:
    path = journal_path(root)
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, json.dumps(record, indent=2).encode("utf-8"))


def _begin(plan: ReleasePlan) -> dict[str, Any]:
    root = plan.root
    index = git_dir(root) / "index"
    record: dict[str, Any] = {
        "format": 1,
        "pid": os.getpid(),
        "old": plan.old,
        "new": plan.new,
        "head": git.head(root),
        "ref": git.head_ref(root),
        "message": plan.commit_message,
        "tag": plan.tag,
        "tag_message": plan.tag_message,
        "sign": plan.sign,
        "index": base64.b64encode(index.read_bytes()).decode() if index.exists() else None,
        "files": [
            {"path": c.shown, "before": base64.b64encode(c.before).decode()} for c in plan.changes
        ],
        "state": "started",
        "commit": None,
    }
    _write_journal(root, record)
    return record


def apply_release(plan: ReleasePlan) -> Outcome:
    """Write, commit and tag; on any failure restore the repository and re-raise."""
    root = plan.root
    if journal_path(root).exists():
        raise AresReleaseError(f"refusing to bump: {NOTICE}")
    try:
        record = _begin(plan)
    except OSError as exc:
        _finish(root)
        raise AresReleaseError(
            f"cannot write the bump journal ({exc.strerror or exc}); nothing changed"
        ) from None
    _failpoint("journal-written")
    env = {BUMP_ENV: str(os.getpid())}
    try:
        for change in plan.changes:
            write_atomic(change.path, change.after)
        _failpoint("files-written")
        if plan.commit_message is None:
            _finish(root)
            return Outcome(None, None)
        paths = [c.shown for c in plan.changes]
        git.commit_paths(
            root, paths, plan.commit_message, verify=plan.verify, sign=plan.sign, env=env
        )
        commit = git.head(root)
        record.update(state="committed", commit=commit)
        _write_journal(root, record)
        _failpoint("committed")
        if plan.tag is not None and commit is not None:
            git.create_tag(root, plan.tag, plan.tag_message, target=commit, sign=plan.sign, env=env)
            _failpoint("tagged")
        _finish(root)
        return Outcome(commit, plan.tag)
    except (AresReleaseError, OSError) as exc:
        _restore(root, record)
        reason = str(exc) if isinstance(exc, AresReleaseError) else (exc.strerror or str(exc))
        raise AresReleaseError(f"{reason}; the bump was rolled back and nothing changed") from None
    except BaseException:
        _restore(root, record)
        raise


def _finish(root: Path) -> None:
    """Drop the journal (and its folder when empty)."""
    path = journal_path(root)
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        path.unlink()
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _restore(root: Path, record: dict[str, Any]) -> None:
    """Put back the pre-bump state recorded in the journal, then drop the journal."""
    tag = record.get("tag")
    made = _bump_commit(root, record)
    if tag and made and git.tag_commit(root, tag) == made:
        git.delete_tag(root, tag)
    if made:
        git.set_head(root, record["ref"], record["head"])
    index = git_dir(root) / "index"
    if record.get("index") is not None:
        write_atomic(index, base64.b64decode(record["index"]))
    else:
        index.unlink(missing_ok=True)
    for item in record["files"]:
        write_atomic(root / item["path"], base64.b64decode(item["before"]))
    _finish(root)


def _bump_commit(root: Path, record: dict[str, Any]) -> str | None:
    """The bump's commit if it landed and is still HEAD, else None."""
    head_now = git.head(root)
    if head_now is None or head_now == record["head"] or record.get("message") is None:
        return None
    if git.parent(root, head_now) != record["head"]:
        return None
    if git.commit_message(root, head_now).strip() != str(record["message"]).strip():
        return None
    return head_now


def recover(root: Path, *, rollback: bool = False) -> str:
    """Finish an interrupted bump: complete it, or restore the pre-bump state. Says which."""
    path = journal_path(root)
    if not path.exists():
        return "no interrupted bump: nothing to recover"
    with bump_lock(root):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AresReleaseError(
                f"{path}: the journal is unreadable ({exc}); inspect the repository by hand and "
                "delete the file"
            ) from None
        head_now = git.head(root)
        made = _bump_commit(root, record)
        if made is None and head_now != record["head"]:
            raise GitError(
                f"HEAD moved since the interrupted bump of {record['new']} (now {head_now}); "
                f"recover cannot tell what to undo; inspect it, then delete {path}"
            )
        tag = record.get("tag")
        if made and not rollback:
            if tag and git.tag_commit(root, tag) is None:
                git.create_tag(
                    root, tag, record["tag_message"], target=made, sign=record["sign"], env=None
                )
                _finish(root)
                return f"completed the release of {record['new']}: created the missing tag {tag}"
            _finish(root)
            return f"the release of {record['new']} was complete; removed its journal"
        _restore(root, record)
        return f"rolled back the interrupted bump to {record['new']}: the repository is as before"
