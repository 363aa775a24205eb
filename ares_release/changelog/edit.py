"""Edits that keep every other byte: moving Unreleased under a new release heading.

The result differs from the input only in the inserted heading (and blank line) under
``## [Unreleased]`` and, when the file uses link references, the ``[Unreleased]`` definition
and one new definition for the release.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..errors import ChangelogError
from .model import Changelog, LinkDefinition

_COMPARE = re.compile(r"^(?P<base>.*/compare/)(?P<old>.+?)(?P<dots>\.{2,3})(?P<new>[^/?#]+)$")


class ReleaseEdit(NamedTuple):
    text: str
    heading_line: int  # 1-based line of the new release heading in ``text``


def _eol(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    return "\n"


def release_unreleased(
    log: Changelog, *, version: str, date: str, previous_tag: str | None, new_tag: str
) -> ReleaseEdit:
    """The changelog with the Unreleased body moved under ``## [version] - date``."""
    unreleased = log.unreleased
    if unreleased is None:
        raise ChangelogError(
            "no '## [Unreleased]' section to release; add one above the newest release"
        )
    lines = list(log.lines)
    at = unreleased.line  # index just after the Unreleased heading line
    eol = _eol(lines[at - 1]) if lines[at - 1].endswith("\n") else _eol(lines[0])
    if not lines[at - 1].endswith("\n"):
        lines[at - 1] += eol
    inserted = [eol, f"## [{version}] - {date}{eol}"]
    links = _link_edits(log, version=version, previous_tag=previous_tag, new_tag=new_tag)
    # Apply link edits from the bottom up so earlier line numbers stay valid.
    for line_no, replacement in sorted(links, key=lambda item: -item[0]):
        if replacement is None:
            continue
        old_line = lines[line_no - 1]
        new_lines = replacement if isinstance(replacement, list) else [replacement]
        lines[line_no - 1 : line_no] = [
            (part + _eol(old_line)) if not part.endswith("\n") else part for part in new_lines
        ]
        if not old_line.endswith("\n"):  # the file's last line had no newline: keep it so
            lines[line_no - 1 + len(new_lines) - 1] = lines[
                line_no - 1 + len(new_lines) - 1
            ].rstrip("\r\n")
    lines[at:at] = inserted
    return ReleaseEdit("".join(lines), at + 2)


def _content(line: str) -> str:
    return line.rstrip("\r\n")


def _link_edits(
    log: Changelog, *, version: str, previous_tag: str | None, new_tag: str
) -> list[tuple[int, str | list[str] | None]]:
    """Line replacements for the link definitions, when the file uses them."""
    unreleased_def = log.link("Unreleased")
    releases = log.releases
    previous_def = log.link(releases[0].version) if releases else None
    if unreleased_def is None and previous_def is None:
        return []
    new_url = _new_release_url(unreleased_def, previous_def, previous_tag, new_tag, version)
    if unreleased_def is not None:
        line = _content(log.lines[unreleased_def.line - 1])
        match = _COMPARE.match(unreleased_def.url)
        if match is None:
            return []
        new_unreleased = line.replace(
            unreleased_def.url, f"{match['base']}{new_tag}{match['dots']}{match['new']}", 1
        )
        if new_url is None:
            return [(unreleased_def.line, new_unreleased)]
        return [(unreleased_def.line, [new_unreleased, f"[{version}]: {new_url}"])]
    assert previous_def is not None
    if new_url is None:
        return []
    line = _content(log.lines[previous_def.line - 1])
    return [(previous_def.line, [f"[{version}]: {new_url}", line])]


def _new_release_url(
    unreleased_def: LinkDefinition | None,
    previous_def: LinkDefinition | None,
    previous_tag: str | None,
    new_tag: str,
    version: str,
) -> str | None:
    """The URL for the new release, following the pattern the file already uses."""
    if unreleased_def is not None:
        match = _COMPARE.match(unreleased_def.url)
        if match is not None:
            return f"{match['base']}{match['old']}{match['dots']}{new_tag}"
    if previous_def is not None:
        match = _COMPARE.match(previous_def.url)
        if match is not None and previous_tag:
            return f"{match['base']}{previous_tag}{match['dots']}{new_tag}"
        if previous_tag and previous_tag in previous_def.url:
            return previous_def.url.replace(previous_tag, new_tag)
    return None
