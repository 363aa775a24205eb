"""Edits that keep every other byte: moving Unreleased under a new release heading.

An edit is a list of :class:`Splice` (replace old lines ``start:end`` with new lines), so the
result differs from the input only where the splices say, and a unified diff can be written
straight from them without diffing two megabyte files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ..errors import ChangelogError
from .model import Changelog, LinkDefinition

_COMPARE = re.compile(r"^(?P<base>.*/compare/)(?P<old>.+?)(?P<dots>\.{2,3})(?P<new>[^/?#]+)$")


class Splice(NamedTuple):
    start: int  # 0-based index of the first old line replaced
    end: int  # 0-based index just past the last old line replaced (== start: pure insertion)
    lines: tuple[str, ...]  # the new lines, each with its line ending


class ReleaseEdit(NamedTuple):
    text: str
    heading_line: int  # 1-based line of the new release heading in ``text``
    splices: tuple[Splice, ...]


def apply_splices(lines: Sequence[str], splices: Sequence[Splice]) -> list[str]:
    out: list[str] = []
    pos = 0
    for splice in sorted(splices):
        out.extend(lines[pos : splice.start])
        out.extend(splice.lines)
        pos = splice.end
    out.extend(lines[pos:])
    return out


def unified_diff(old: Sequence[str], splices: Sequence[Splice], name: str, context: int = 2) -> str:
    """A unified diff (``git apply``-able) of ``old`` against ``old`` with ``splices``."""
    hunks: list[list[Splice]] = []
    for splice in sorted(splices):
        if hunks and splice.start - hunks[-1][-1].end <= 2 * context:
            hunks[-1].append(splice)
        else:
            hunks.append([splice])
    out = [f"--- a/{name}\n", f"+++ b/{name}\n"]
    shift = 0  # new line index minus old line index before the current hunk
    for group in hunks:
        first, last = group[0], group[-1]
        start = max(0, first.start - context)
        stop = min(len(old), last.end + context)
        body: list[str] = []
        pos, new_count = start, 0
        for splice in group:
            body += [" " + _nl(line) for line in old[pos : splice.start]]
            body += ["-" + _nl(line) for line in old[splice.start : splice.end]]
            body += ["+" + _nl(line) for line in splice.lines]
            new_count += (splice.start - pos) + len(splice.lines)
            pos = splice.end
        body += [" " + _nl(line) for line in old[pos:stop]]
        new_count += stop - pos
        old_count = stop - start
        out.append(f"@@ -{_range(start, old_count)} +{_range(start + shift, new_count)} @@\n")
        out += body
        shift += new_count - old_count
    return "".join(out)


def _range(start: int, count: int) -> str:
    first = start + 1 if count else start
    return f"{first},{count}" if count != 1 else f"{first}"


def _nl(line: str) -> str:
    return line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _eol(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def release_unreleased(
    log: Changelog, *, version: str, date: str, previous_tag: str | None, new_tag: str
) -> ReleaseEdit:
    """The changelog with the Unreleased body moved under ``## [version] - date``."""
    unreleased = log.unreleased
    if unreleased is None:
        raise ChangelogError(
            "no '## [Unreleased]' section to release; add one above the newest release"
        )
    lines = log.lines
    at = unreleased.line  # 0-based index just after the Unreleased heading
    heading_line = lines[at - 1]
    eol = _eol(heading_line if heading_line.endswith("\n") else lines[0])
    if heading_line.endswith("\n"):
        splices = [Splice(at, at, (eol, f"## [{version}] - {date}{eol}"))]
    else:  # the heading is the file's last line, with no newline after it
        splices = [Splice(at - 1, at, (heading_line + eol, eol, f"## [{version}] - {date}"))]
    splices += _link_splices(log, version=version, previous_tag=previous_tag, new_tag=new_tag)
    return ReleaseEdit("".join(apply_splices(lines, splices)), at + 2, tuple(sorted(splices)))


def _with_ending(text: str, like: str) -> str:
    """``text`` ending like ``like`` (no line ending when ``like`` is an unterminated last line)."""
    return text + (_eol(like) if like.endswith("\n") else "")


def _link_splices(
    log: Changelog, *, version: str, previous_tag: str | None, new_tag: str
) -> list[Splice]:
    """Update ``[Unreleased]`` and add ``[version]``, when the file uses link references."""
    unreleased_def = log.link("Unreleased")
    previous_def = log.link(log.releases[0].version) if log.releases else None
    new_url = _new_release_url(unreleased_def, previous_def, previous_tag, new_tag)
    if unreleased_def is not None:
        match = _COMPARE.match(unreleased_def.url)
        if match is None:
            return []
        index = unreleased_def.line - 1
        old_line = log.lines[index]
        updated = old_line.rstrip("\r\n").replace(
            unreleased_def.url, f"{match['base']}{new_tag}{match['dots']}{match['new']}", 1
        )
        if new_url is None:
            return [Splice(index, index + 1, (_with_ending(updated, old_line),))]
        eol = _eol(old_line) if old_line.endswith("\n") else _eol(log.lines[0])
        return [
            Splice(
                index,
                index + 1,
                (updated + eol, _with_ending(f"[{version}]: {new_url}", old_line)),
            )
        ]
    if previous_def is None or new_url is None:
        return []
    index = previous_def.line - 1
    eol = _eol(log.lines[index])
    return [Splice(index, index, (f"[{version}]: {new_url}{eol}",))]


def _new_release_url(
    unreleased_def: LinkDefinition | None,
    previous_def: LinkDefinition | None,
    previous_tag: str | None,
    new_tag: str,
) -> str | None:
    """The URL for the new release, following the pattern the file already uses."""
    if unreleased_def is not None:
        match = _COMPARE.match(unreleased_def.url)
        if match is not None:
            return f"{match['base']}{match['old']}{match['dots']}{new_tag}"
    if previous_def is not None and previous_tag:
        match = _COMPARE.match(previous_def.url)
        if match is not None:
            return f"{match['base']}{previous_tag}{match['dots']}{new_tag}"
        if previous_tag in previous_def.url:
            return previous_def.url.replace(previous_tag, new_tag)
    return None
