"""``bump``, part one: the plan. Everything is checked and computed before anything is written.

:func:`plan_release` returns a :class:`ReleasePlan` (the new bytes of both files, the commit
and the tag); :mod:`ares_release.transaction` applies it as one all-or-nothing step.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from .changelog import Changelog, Entry, Release
from .changelog.edit import Splice, release_unreleased, unified_diff
from .changelog.scanner import split_lines
from .check import check_project
from .config import Config
from .errors import AresReleaseError, GitError
from .project import display
from .version_file import read_version, replace_version
from .versioning import Version, next_version

BREAKING = "**BREAKING**"
MAJOR_SECTIONS = ("removed",)
MINOR_SECTIONS = ("added", "changed", "deprecated")


class FileChange(NamedTuple):
    path: Path
    shown: str  # relative to the repository root, with forward slashes
    before: bytes
    after: bytes
    splices: tuple[Splice, ...] | None = None  # the edit, when known (no diffing needed)

    def diff(self) -> str:
        """A unified diff of the change, ``git apply``-able."""
        old = split_lines(self.before.decode("utf-8", "replace"))
        if self.splices is not None:
            return unified_diff(old, self.splices, self.shown)
        import difflib

        new = split_lines(self.after.decode("utf-8", "replace"))
        return "".join(difflib.unified_diff(old, new, f"a/{self.shown}", f"b/{self.shown}", n=2))


class ReleasePlan(NamedTuple):
    root: Path
    old: str
    new: str
    level: str  # the bump asked for, or what ``auto`` decided
    reasons: tuple[str, ...]  # for ``auto``: the entries that decided the level
    changes: tuple[FileChange, ...]
    commit_message: str | None  # None with --no-commit
    tag: str | None  # None with --no-tag or --no-commit
    tag_message: str
    verify: bool
    sign: bool

    def as_dict(self) -> dict[str, object]:
        return {
            "old": self.old,
            "new": self.new,
            "level": self.level,
            "reasons": list(self.reasons),
            "files": [c.shown for c in self.changes],
            "diff": {c.shown: c.diff() for c in self.changes},
            "commit": self.commit_message,
            "tag": self.tag,
        }


class Options(NamedTuple):
    part: str
    pre: str | None = None
    when: date | None = None
    message: str = "chore(release): {version}"
    commit: bool = True
    tag: bool = True
    verify: bool = True
    allow_dirty: bool = False
    allow_empty: bool = False
    sign: bool = False


def decide_level(
    log: Changelog, unreleased: Release, current: Version, *, shown: str = "CHANGELOG.md"
) -> tuple[str, list[str]]:
    """``auto``: major for breaking entries or removals, minor for additions, else patch.

    Below 1.0.0 a breaking change bumps minor (SemVer's 0.y.z convention). Returns the level
    and the entries that decided it.
    """
    breaking: list[str] = []
    minor: list[str] = []
    groups = [("", log.loose_entries(unreleased))]
    groups += [(s.name, log.section_entries(s)) for s in unreleased.sections]
    for name, entries in groups:
        key = name.casefold()
        for entry in entries:
            if entry.text.lstrip().startswith(BREAKING) or key in MAJOR_SECTIONS:
                breaking.append(_describe(shown, name, entry))
            elif key in MINOR_SECTIONS:
                minor.append(_describe(shown, name, entry))
    if breaking:
        return ("major" if current.major >= 1 else "minor"), breaking
    if minor:
        return "minor", minor
    return "patch", []


def _describe(shown: str, section: str, entry: Entry) -> str:
    first = entry.text.splitlines()[0] if entry.text else ""
    short = first if len(first) <= 70 else first[:67] + "..."
    where = f"{section}: " if section else ""
    return f"{shown}:{entry.line} {where}{short}"


def _refuse(message: str) -> AresReleaseError:
    return AresReleaseError(f"refusing to bump: {message}")


def require_repository(root: Path, action: str = "bump") -> None:
    if not (root / ".git").exists():
        raise AresReleaseError(
            f"refusing to {action}: {root} is not a git repository; run 'git init' or use -C PATH"
        )


def _preflight(config: Config, options: Options) -> Changelog:
    """The repository-state refusals: not git, mid-merge, dirty tree, failing check."""
    from . import git

    root = config.root
    require_repository(root)
    busy = git.operation_in_progress(root)
    if busy:
        raise _refuse(f"{busy} is in progress; finish or abort it first")
    report = check_project(config)
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise _refuse(f"'ares-release check' fails: {errors[0].format()}{more}; fix it first")
    if not options.allow_dirty:
        log_rel = repo_relative(root, config.changelog_path)
        dirty = [p for p in git.changed_paths(root) if p != log_rel]
        if dirty:
            shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
            raise _refuse(
                f"uncommitted changes in {shown}; commit or stash them, or pass --allow-dirty"
            )
    assert report.changelog is not None  # a missing changelog is a check error (CL001)
    return report.changelog


def plan_release(config: Config, options: Options, *, today: date) -> ReleasePlan:
    """Check everything and compute the release; nothing is written."""
    from . import git

    log = _preflight(config, options)
    root = config.root
    log_path, version_path = config.changelog_path, config.version_path
    log_shown, version_shown = display(log_path), display(version_path)
    log_bytes, version_bytes = log.text.encode("utf-8"), version_path.read_bytes()
    unreleased = log.unreleased
    if unreleased is None:
        raise _refuse(f"{log_shown} has no '## [Unreleased]' section; add one above the releases")
    current = read_version(version_path, config.version_variable, display=version_shown).version
    if not log.entries(unreleased) and not options.allow_empty:
        raise _refuse(
            f"{log_shown}:{unreleased.line}: Unreleased has no entries; add them (or run "
            "'ares-release draft'), or pass --allow-empty"
        )
    level, reasons = options.part, list[str]()
    if options.part == "auto":
        level, reasons = decide_level(log, unreleased, current, shown=log_shown)
    new = next_version(current, level, pre=options.pre)
    tag = config.tag_for(new) if options.commit and options.tag else None
    if tag is not None and git.tag_commit(root, tag) is not None:
        raise _refuse(f"the tag {tag} already exists; choose another version or delete the tag")
    when = (options.when or today).isoformat()
    previous = log.releases[0].version if log.releases else None
    if log.releases and log.releases[0].date > when:
        raise _refuse(
            f"the release date {when} is earlier than {previous}'s ({log.releases[0].date}); "
            "dates must not decrease going up the changelog: pass a later --date"
        )
    edit = release_unreleased(
        log,
        version=str(new),
        date=when,
        previous_tag=config.tag_for(previous) if previous else None,
        new_tag=config.tag_for(new),
    )
    new_log = edit.text.encode("utf-8")
    changes = (
        FileChange(log_path, repo_relative(root, log_path), log_bytes, new_log, edit.splices),
        FileChange(
            version_path,
            repo_relative(root, version_path),
            version_bytes,
            replace_version(version_bytes, config.version_variable, str(new), version_shown),
        ),
    )
    message = options.message.replace("{version}", str(new)).replace("{previous}", str(current))
    notes = log.body(unreleased)
    return ReleasePlan(
        root=root,
        old=str(current),
        new=str(new),
        level=level,
        reasons=tuple(reasons),
        changes=changes,
        commit_message=message if options.commit else None,
        tag=tag,
        tag_message=f"Release {new}\n\n{notes}",
        verify=options.verify,
        sign=options.sign,
    )


def repo_relative(root: Path, path: Path) -> str:
    """``path`` relative to the repository root, with forward slashes (as git shows it)."""
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:  # pragma: no cover - config confines paths to the root
        raise GitError(f"{path} is outside the repository {root}") from None
