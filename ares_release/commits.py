"""Conventional Commits 1.0.0: parsing commit messages and turning them into changelog entries.

Pure functions: nothing here runs git or touches files. Commit text is untrusted input; the
entry text it becomes cannot create headings, link definitions, raw HTML or break the list
(:func:`neutralise`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

DEFAULT_TYPES: Mapping[str, str] = {
    "feat": "Added",
    "fix": "Fixed",
    "perf": "Changed",
    "revert": "Changed",
    "deprecate": "Deprecated",
    "remove": "Removed",
    "security": "Security",
}
BREAKING_MARK = "**BREAKING**"
BREAKING_SECTION = "Changed"  # where a breaking commit of an unmapped type goes

_HEADER = re.compile(
    r"(?P<type>[A-Za-z][\w-]*)(?:\((?P<scope>[^()\r\n]+)\))?(?P<bang>!)?: (?P<desc>\S.*)"
)
_FOOTER = re.compile(r"(?P<token>BREAKING[ -]CHANGE|[\w-]+)(?P<sep>: | #)(?P<value>.*)")
_REVERTS = re.compile(r"This reverts commit (?P<sha>[0-9a-fA-F]{7,40})")
_GIT_REVERT = re.compile(r'Revert "(?P<subject>.*)"\s*$')
_PR_SUFFIX = re.compile(r"\s*\((?P<refs>#\d+(?:,\s*#\d+)*)\)\s*$")
_ISSUE_TOKENS = {"refs", "ref", "closes", "close", "fixes", "fix", "resolves", "resolve", "see"}
_ISSUE = re.compile(r"#(\d+)")


class Commit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    message: str


class Conventional(NamedTuple):
    type: str  # lower-cased
    scope: str | None
    breaking: bool
    description: str
    body: str
    footers: tuple[tuple[str, str], ...]
    breaking_note: str | None  # the text of a BREAKING CHANGE footer


def parse_message(message: str) -> Conventional | None:
    """Parse a commit message as a Conventional Commit, or None when it is not one."""
    lines = message.replace("\r\n", "\n").strip("\n").split("\n")
    match = _HEADER.fullmatch(lines[0].strip()) if lines and lines[0].strip() else None
    if match is None:
        return None
    body_lines, footers = _split_footers(lines[1:])
    breaking_note = None
    for token, value in footers:
        if token in ("BREAKING CHANGE", "BREAKING-CHANGE"):
            breaking_note = value.strip() or breaking_note
    scope = match["scope"].strip() if match["scope"] is not None else None
    return Conventional(
        type=match["type"].lower(),
        scope=scope or None,
        breaking=bool(match["bang"]) or breaking_note is not None,
        description=match["desc"].strip(),
        body="\n".join(body_lines).strip("\n"),
        footers=tuple(footers),
        breaking_note=breaking_note,
    )


def _split_footers(lines: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Body lines and footers: the last paragraph counts as footers when it starts with one."""
    last_blank = max((i for i, line in enumerate(lines) if not line.strip()), default=-1)
    tail = lines[last_blank + 1 :]
    if not tail or not _FOOTER.fullmatch(tail[0]):
        return lines, []
    footers: list[tuple[str, str]] = []
    for line in tail:
        match = _FOOTER.fullmatch(line)
        if match and (match["token"].startswith("BREAKING") or " " not in match["token"]):
            value = match["value"] if match["sep"] == ": " else "#" + match["value"]
            footers.append((match["token"], value))
        elif footers:  # a continuation line of the previous footer's value
            token, value = footers[-1]
            footers[-1] = (token, f"{value}\n{line}")
    return lines[: last_blank + 1], footers


def reverted_sha(commit: Commit, parsed: Conventional | None) -> str | None:
    """The commit a revert undoes, for ``revert:`` commits and git's own ``Revert "..."``."""
    if parsed is not None and parsed.type != "revert":
        return None
    if parsed is None and not _GIT_REVERT.match(commit.message.split("\n", 1)[0]):
        return None
    match = _REVERTS.search(commit.message)
    if match:
        return match["sha"].lower()
    if parsed is not None:
        for token, value in parsed.footers:
            if token.lower() == "refs" and re.fullmatch(r"[0-9a-fA-F]{7,40}", value.strip()):
                return value.strip().lower()
    return None


# --- untrusted text into one safe Markdown line ---------------------------------------------

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_LEADING_BLOCK = re.compile(r"^(\s*)([#>+\-*=_~`|\[!<]|\d+[.)])")


def neutralise(text: str) -> str:
    """One line of inline Markdown that cannot open a block, define a link or carry raw HTML.

    Backtick code spans stay as they are (HTML inside them is shown, not run); outside them
    ``<``, ``>`` and ``&`` become entities, and a leading block marker is escaped.
    """
    line = " ".join(text.split())
    out: list[str] = []
    pos = 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_escape(line[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(_escape(line[pos:]))
    safe = "".join(out)
    lead = _LEADING_BLOCK.match(safe)
    if lead:
        marker = lead.group(2)
        escaped = marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker
        safe = lead.group(1) + escaped + safe[lead.end() :]
    return safe.rstrip("\\").rstrip()


def _escape(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("`", "\\`")  # an unpaired backtick must not open a span


def _scope(scope: str) -> str:
    """A scope for ``**scope:**``: plain characters only."""
    cleaned = re.sub(r"[^\w./@+-]", "", scope.replace(" ", "-"))
    return cleaned


class Entry(NamedTuple):
    sha: str
    type: str
    scope: str | None
    breaking: bool
    section: str
    text: str  # the Markdown list item's content (no "- ")
    description: str  # the raw commit description

    def as_dict(self) -> dict[str, object]:
        return {
            "sha": self.sha,
            "type": self.type,
            "scope": self.scope,
            "breaking": self.breaking,
            "section": self.section,
            "text": self.text,
            "description": self.description,
        }


def entry_text(parsed: Conventional, sha: str) -> str:
    """``**BREAKING** **scope:** description (#12) (abc1234)``, safe to insert."""
    description = parsed.description
    refs: list[str] = []
    pr = _PR_SUFFIX.search(description)
    if pr:
        refs += [f"#{n}" for n in _ISSUE.findall(pr["refs"])]
        description = description[: pr.start()]
    for token, value in parsed.footers:
        if token.lower() in _ISSUE_TOKENS:
            refs += [f"#{n}" for n in _ISSUE.findall(value)]
    parts = []
    if parsed.breaking:
        parts.append(BREAKING_MARK)
    if parsed.scope and _scope(parsed.scope):
        parts.append(f"**{_scope(parsed.scope)}:**")
    text = neutralise(description)
    note = parsed.breaking_note
    if note and note.strip() != parsed.description.strip():
        text += f" ({neutralise(note)})"
    parts.append(text)
    refs = list(dict.fromkeys(refs))
    suffix = ", ".join([*refs, sha[:7]])
    return f"{' '.join(parts)} ({suffix})"


class Drafted(NamedTuple):
    entries: tuple[Entry, ...]  # oldest first
    left_out: dict[str, int]  # reason -> count


def draft_entries(commits: Iterable[Commit], types: Mapping[str, str] = DEFAULT_TYPES) -> Drafted:
    """Entries for ``commits`` (newest first, as git log gives them), and what was left out."""
    ordered = list(commits)[::-1]  # oldest first
    parsed = [parse_message(c.message) for c in ordered]
    in_range = {c.sha.lower() for c in ordered}
    cancelled: set[str] = set()
    for commit, conv in zip(ordered, parsed, strict=True):
        target = reverted_sha(commit, conv)
        if target is not None:
            match = next((s for s in in_range if s.startswith(target)), None)
            if match is not None and match not in cancelled:
                cancelled.update({match, commit.sha.lower()})
    entries: list[Entry] = []
    left_out: dict[str, int] = {}

    def skip(reason: str) -> None:
        left_out[reason] = left_out.get(reason, 0) + 1

    for commit, conv in zip(ordered, parsed, strict=True):
        if commit.sha.lower() in cancelled:
            skip("reverted within the range")
        elif len(commit.parents) > 1:
            skip("merge commits")
        elif conv is None:
            skip("not Conventional Commits")
        else:
            section = types.get(conv.type) or (BREAKING_SECTION if conv.breaking else None)
            if section is None:
                skip(f"{conv.type}")
                continue
            entries.append(
                Entry(
                    commit.sha,
                    conv.type,
                    conv.scope,
                    conv.breaking,
                    section,
                    entry_text(conv, commit.sha),
                    conv.description,
                )
            )
    return Drafted(tuple(entries), left_out)
