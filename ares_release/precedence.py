"""SemVer 2.0.0 validation and precedence keys without importing a SemVer library.

``check`` compares every release heading on every commit; this module gives it exact SemVer
ordering at the cost of one regex match per version. The tests hold it to the ``semver``
package's ordering.
"""

from __future__ import annotations

import re

# The regular expression published with the SemVer 2.0.0 specification (semver.org).
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)

Key = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]

_cache: dict[str, Key | None] = {}


def precedence_key(text: str) -> Key | None:
    """A sort key ordering versions by SemVer precedence, or None if ``text`` is not SemVer.

    Build metadata is ignored; a release sorts above its prereleases; numeric prerelease
    identifiers compare numerically and below alphanumeric ones; a longer set of identifiers
    wins when all before it are equal.
    """
    if text in _cache:
        return _cache[text]
    match = SEMVER.fullmatch(text)
    key: Key | None = None
    if match:
        major, minor, patch, pre, _build = match.groups()
        ids: tuple[tuple[int, int, str], ...] = ()
        if pre is not None:
            ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
        key = (int(major), int(minor), int(patch), 0 if pre is not None else 1, ids)
    _cache[text] = key
    return key


def is_semver(text: str) -> bool:
    return precedence_key(text) is not None
