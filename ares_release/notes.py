"""``notes``: one release's body as Markdown, ready for ``gh release create --notes-file -``."""

from __future__ import annotations

import re

from .changelog import Changelog, Release
from .errors import ChangelogError

_REF = re.compile(r"\[([^\[\]]+)\](?!\(|:)")


def find_release(log: Changelog, version: str | None, shown: str) -> Release:
    releases = log.releases
    if not releases:
        raise ChangelogError(f"{shown}: has no release headings; nothing to print")
    if version is None:
        return releases[0]
    wanted = version[1:] if version[:1] in "vV" and version[1:2].isdigit() else version
    for block in releases:
        if block.version in (version, wanted):
            return block
    names = [b.version for b in releases]
    listed = ", ".join(names[:15]) + (f" and {len(names) - 15} more" if len(names) > 15 else "")
    raise ChangelogError(f"{shown}: no release {version}; the releases are {listed}")


def release_notes(log: Changelog, block: Release) -> str:
    """The release's body, followed by the link definitions it refers to."""
    body = log.body(block)
    defs = []
    present = {d.key for d in log.links if block.line < d.line <= block.end_line}
    for label in dict.fromkeys(m.group(1) for m in _REF.finditer(body)):
        definition = log.link(label)
        if definition is not None and definition.key not in present:
            defs.append(f"[{definition.label}]: {definition.url}")
            present.add(definition.key)
    if defs:
        body = body.rstrip("\n") + "\n\n" + "\n".join(defs) + "\n"
    return body


def render_html(markdown: str) -> str:
    """The notes as HTML (mistune is imported only here)."""
    import mistune

    return str(mistune.html(markdown))
