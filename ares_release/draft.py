"""``draft``: merge entries from Conventional Commits into the Unreleased section.

It merges, never regenerates: hand-written entries and their order stay, an entry already
there (same SHA anywhere in the changelog, or same text in Unreleased) is not added again, and
missing sections are created in the configured order. Only the inserted lines change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from . import git
from .changelog import Changelog, Release
from .changelog.edit import Splice, apply_splices
from .check import read_changelog
from .commits import Commit, Entry, draft_entries
from .config import Config
from .errors import ChangelogError
from .project import display
from .release import FileChange, repo_relative, require_repository

_SHA = re.compile(r"\b[0-9a-f]{7,40}\b")


class DraftPlan(NamedTuple):
    revision_range: str
    commits: int
    new: tuple[Entry, ...]
    already_present: int
    left_out: dict[str, int]
    change: FileChange | None  # None when nothing is added

    def as_dict(self) -> dict[str, object]:
        return {
            "range": self.revision_range,
            "commits": self.commits,
            "entries": [e.as_dict() for e in self.new],
            "already_present": self.already_present,
            "left_out": self.left_out,
        }


def revision_range(config: Config, since: str | None) -> str:
    """``since..HEAD``, else from the newest reachable release tag, else the whole history."""
    root = config.root
    if git.head(root) is None:
        raise ChangelogError("refusing to draft: the repository has no commits yet; commit first")
    if since is not None:
        return f"{since}..HEAD"
    pattern = config.tag_for("*")
    tag = git.nearest_tag(root, pattern)
    if tag is not None and _is_release_tag(config, tag):
        return f"{tag}..HEAD"
    for candidate in git.reachable_tags(root, pattern):
        if _is_release_tag(config, candidate):
            return f"{candidate}..HEAD"
    return "HEAD"


def _is_release_tag(config: Config, tag: str) -> bool:
    from .precedence import is_semver

    before, _, after = config.tag_format.partition("{version}")
    if not (tag.startswith(before) and tag.endswith(after)):
        return False
    return is_semver(tag[len(before) : len(tag) - len(after)] if after else tag[len(before) :])


def _known(log: Changelog, unreleased: Release | None) -> tuple[set[str], set[str]]:
    """SHAs mentioned anywhere in the changelog; normalised entry texts in Unreleased."""
    shas = set(_SHA.findall(log.text))
    texts = set()
    if unreleased is not None:
        texts = {_norm(e.text) for e in log.entries(unreleased)}
    return shas, texts


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_known(entry: Entry, shas: set[str], texts: set[str]) -> bool:
    sha = entry.sha.lower()
    if any(sha.startswith(s) for s in shas if len(s) >= 7):
        return True
    return _norm(entry.text) in texts or _norm(entry.text.rsplit(" (", 1)[0]) in texts


def plan_draft(config: Config, *, since: str | None = None) -> DraftPlan:
    """Read the commits and the changelog; compute the merged changelog. Nothing is written."""
    root = config.root
    require_repository(root, "draft")
    path = config.changelog_path
    log, problems = read_changelog(path, display(path), config.sections)
    if log is None:
        raise ChangelogError(f"{display(path)}: {problems[0].message}")
    if problems:  # undecodable bytes: refuse to rewrite the file
        raise ChangelogError(f"{problems[0].format()}; fix the file before drafting into it")
    span = revision_range(config, since)
    commits = [Commit(sha, parents, message) for sha, parents, message in git.log(root, span)]
    drafted = draft_entries(commits, config.type_sections())
    shas, texts = _known(log, log.unreleased)
    new = tuple(e for e in drafted.entries if not _is_known(e, shas, texts))
    change = None
    if new:
        text = merge_entries(log, new, config.sections)
        before = log.text.encode("utf-8")
        change = FileChange(path, repo_relative(root, path), before, text.encode("utf-8"))
    return DraftPlan(
        span, len(commits), new, len(drafted.entries) - len(new), drafted.left_out, change
    )


def merge_entries(log: Changelog, entries: Sequence[Entry], sections: Sequence[str]) -> str:
    """The changelog text with ``entries`` merged into Unreleased (created when missing)."""
    lines = list(log.lines)
    eol = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += eol
    by_section: dict[str, list[str]] = {}
    for entry in entries:
        by_section.setdefault(entry.section, []).append(f"- {entry.text}{eol}")
    order = [s for s in sections if s in by_section] + [s for s in by_section if s not in sections]
    unreleased = log.unreleased
    if unreleased is None:
        at = log.releases[0].line - 1 if log.releases else len(lines)
        block = [eol] if at and lines[at - 1].strip() else []
        block += [f"## [Unreleased]{eol}", eol]
        for name in order:
            block += [f"### {name}{eol}", eol, *by_section[name], eol]
        return "".join(apply_splices(lines, [Splice(at, at, tuple(block))]))
    inserts: dict[int, list[str]] = {}
    existing = {s.name: s for s in unreleased.sections}
    for name in order:
        items = by_section[name]
        section = existing.get(name)
        if section is not None:
            found = log.section_entries(section)
            if found:
                inserts.setdefault(found[-1].end_line, []).extend(items)
            else:
                inserts.setdefault(section.heading.line, []).extend([eol, *items])
            continue
        after = set(sections[sections.index(name) + 1 :]) if name in sections else set()
        later = next((s for s in unreleased.sections if s.name in after), None)
        if later is not None:
            block = [f"### {name}{eol}", eol, *items, eol]
            inserts.setdefault(later.heading.line - 1, []).extend(block)
        else:
            block = [eol, f"### {name}{eol}", eol, *items]
            inserts.setdefault(unreleased.end_line, []).extend(block)
    splices = [Splice(at, at, tuple(block)) for at, block in sorted(inserts.items())]
    return "".join(apply_splices(lines, splices))


def apply_draft(plan: DraftPlan) -> None:
    if plan.change is not None:
        from .fsutil import write_atomic

        write_atomic(plan.change.path, plan.change.after)


def draft(config: Config, *, since: str | None = None, dry_run: bool = False) -> DraftPlan:
    """Plan, and unless ``dry_run`` write, under the lock a bump would take."""
    from .journal import NOTICE, interrupted

    require_repository(config.root, "draft")
    if interrupted(config.root):
        raise ChangelogError(f"refusing to draft: {NOTICE}")
    if dry_run:
        return plan_draft(config, since=since)
    from .transaction import bump_lock

    with bump_lock(config.root):
        plan = plan_draft(config, since=since)
        apply_draft(plan)
        return plan


def entries_markdown(plan: DraftPlan, sections: Sequence[str]) -> str:
    """The new entries as Markdown, grouped by section in the configured order."""
    groups: dict[str, list[Entry]] = {}
    for entry in plan.new:
        groups.setdefault(entry.section, []).append(entry)
    names = [s for s in sections if s in groups] + [s for s in groups if s not in sections]
    return "".join(
        f"### {name}\n\n" + "".join(f"- {e.text}\n" for e in groups[name]) + "\n" for name in names
    )


def summary(plan: DraftPlan, *, dry_run: bool, shown: str, sections: Sequence[str] = ()) -> str:
    counts: dict[str, int] = {}
    for entry in plan.new:
        counts[entry.section] = counts.get(entry.section, 0) + 1
    rank = {name: i for i, name in enumerate(sections)}
    ordered = sorted(counts.items(), key=lambda item: rank.get(item[0], len(rank)))
    added = ", ".join(f"{name} {n}" for name, n in ordered)
    verb = "would add" if dry_run else "added"
    text = f"{verb} {len(plan.new)} entries to {shown}" + (f" ({added})" if added else "")
    text += f" from {plan.commits} commits in {plan.revision_range}"
    skipped = sum(plan.left_out.values())
    if skipped:
        reasons = ", ".join(f"{reason} {n}" for reason, n in sorted(plan.left_out.items()))
        text += f"; left out {skipped}: {reasons}"
    if plan.already_present:
        text += f"; {plan.already_present} already in the changelog"
    return text
