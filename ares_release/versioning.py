"""SemVer 2.0.0 arithmetic over the ``semver`` package.

Every function here is pure. The one rule all bumps obey: the new version is greater than the
old one by SemVer precedence (build metadata never counts for ordering).
"""

from __future__ import annotations

from typing import Final

import semver

from .errors import VersionError

Version = semver.Version

PARTS: Final = ("major", "minor", "patch", "prerelease", "release")
DEFAULT_PRE_TOKEN: Final = "rc"


def parse_version(text: str) -> Version:
    """Parse a strict SemVer 2.0.0 string (no ``v`` prefix, no missing parts)."""
    try:
        return Version.parse(text)
    except (ValueError, TypeError):
        raise VersionError(f"{text!r} is not a valid SemVer 2.0.0 version") from None


def is_valid(text: str) -> bool:
    return bool(Version.is_valid(text))


def sort_key(version: Version) -> Version:
    """Precedence key: versions compare by SemVer rules, build metadata ignored."""
    return version.replace(build=None)


def _final(version: Version) -> Version:
    return version.replace(prerelease=None, build=None)


def _increment_pre(prerelease: str) -> str:
    parts = prerelease.split(".")
    if parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return prerelease + ".1"


def _check_token(token: str) -> None:
    if not token or not is_valid(f"0.0.0-{token}.1"):
        raise VersionError(
            f"prerelease token {token!r} is not valid SemVer: use letters, digits and hyphens"
        )


def bump_core(version: Version, part: str) -> Version:
    """Bump ``major``, ``minor`` or ``patch`` the way SemVer tools agree on.

    A prerelease of exactly the target version finalises (``2.1.0-rc.1`` bumped ``minor``
    gives ``2.1.0``); otherwise the part is incremented and lower parts reset.
    """
    final = _final(version)
    pre = version.prerelease is not None
    if part == "major":
        if pre and version.minor == 0 and version.patch == 0:
            return final
        return final.bump_major()
    if part == "minor":
        if pre and version.patch == 0:
            return final
        return final.bump_minor()
    if part == "patch":
        return final if pre else final.bump_patch()
    raise VersionError(f"unknown version part {part!r}; use one of {', '.join(PARTS)}")


def next_version(current: Version, part: str, *, pre: str | None = None) -> Version:
    """The version after ``current`` for a bump ``part``, optionally starting a prerelease.

    ``part`` is one of :data:`PARTS` or an explicit SemVer version. The result is always
    greater than ``current``; anything else raises :class:`VersionError`.
    """
    if pre is not None:
        _check_token(pre)
    if part in ("major", "minor", "patch"):
        if pre is None:
            new = bump_core(current, part)
        else:
            new = bump_core(_final(current), part).replace(prerelease=f"{pre}.1")
    elif part == "prerelease":
        new = _next_prerelease(current, pre)
    elif part == "release":
        if current.prerelease is None:
            raise VersionError(
                f"{current} is not a prerelease, so there is nothing to finalise; "
                "use 'major', 'minor' or 'patch'"
            )
        if pre is not None:
            raise VersionError("--pre cannot be combined with 'release'")
        new = _final(current)
    else:
        if pre is not None:
            raise VersionError("--pre cannot be combined with an explicit version")
        new = parse_version(part) if not isinstance(part, Version) else part
    if sort_key(new) <= sort_key(current):
        raise VersionError(
            f"{new} is not greater than the current version {current} by SemVer precedence; "
            "choose a higher version"
        )
    return new


def _next_prerelease(current: Version, pre: str | None) -> Version:
    if current.prerelease is None:
        token = pre or DEFAULT_PRE_TOKEN
        return _final(current).bump_patch().replace(prerelease=f"{token}.1")
    if pre is None or current.prerelease.split(".")[0] == pre:
        return _final(current).replace(prerelease=_increment_pre(current.prerelease))
    return _final(current).replace(prerelease=f"{pre}.1")
