from __future__ import annotations

import pytest
import semver
from hypothesis import given
from hypothesis import strategies as st

from ares_release.errors import VersionError
from ares_release.precedence import is_semver, precedence_key
from ares_release.versioning import next_version, parse_version

# The precedence example from the SemVer 2.0.0 specification, lowest first.
SPEC_ORDER = [
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "2.0.0",
    "2.1.0",
    "2.1.1",
]


def test_spec_precedence_order() -> None:
    keys = [precedence_key(v) for v in SPEC_ORDER]
    assert keys == sorted(keys)  # type: ignore[type-var]
    assert len(set(keys)) == len(keys)


def test_numeric_prerelease_identifiers_compare_numerically() -> None:
    assert precedence_key("1.0.0-rc.2") < precedence_key("1.0.0-rc.10")  # type: ignore[operator]


def test_build_metadata_is_ignored_for_ordering() -> None:
    assert precedence_key("1.0.0+build.1") == precedence_key("1.0.0+build.2")
    assert precedence_key("1.0.0+zzz") < precedence_key("1.0.1")  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    ["1.0", "v1.0.0", "01.0.0", "1.0.0-01", "1.0.0-", "1.0.0+", "1.0.0-a..b", " 1.0.0", "1.0.0 "],
)
def test_invalid_versions(text: str) -> None:
    assert not is_semver(text)
    with pytest.raises(VersionError):
        parse_version(text)


identifier = st.one_of(
    st.integers(min_value=0, max_value=30).map(str),
    st.from_regex(r"[0-9]*[a-zA-Z-][0-9a-zA-Z-]{0,3}", fullmatch=True),
)
versions = st.builds(
    lambda a, b, c, pre, build: (
        f"{a}.{b}.{c}"
        + (f"-{'.'.join(pre)}" if pre else "")
        + (f"+{'.'.join(build)}" if build else "")
    ),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
    st.lists(identifier, max_size=3),
    st.lists(st.from_regex(r"[0-9a-zA-Z-]{1,4}", fullmatch=True), max_size=2),
)


@given(versions, versions)
def test_precedence_key_agrees_with_semver_package(a: str, b: str) -> None:
    ka, kb = precedence_key(a), precedence_key(b)
    assert ka is not None and kb is not None
    expected = semver.Version.parse(a).compare(b)
    assert (ka > kb) - (ka < kb) == expected


BUMPS = [
    ("2.0.0", "major", None, "3.0.0"),
    ("2.0.0", "minor", None, "2.1.0"),
    ("2.0.0", "patch", None, "2.0.1"),
    ("2.0.0", "minor", "rc", "2.1.0-rc.1"),
    ("2.0.0", "major", "beta", "3.0.0-beta.1"),
    ("2.1.0-rc.1", "prerelease", None, "2.1.0-rc.2"),
    ("2.1.0-rc.9", "prerelease", None, "2.1.0-rc.10"),
    ("2.1.0-alpha", "prerelease", None, "2.1.0-alpha.1"),
    ("2.1.0-alpha.3", "prerelease", "beta", "2.1.0-beta.1"),
    ("2.0.0", "prerelease", None, "2.0.1-rc.1"),
    ("2.0.0", "prerelease", "alpha", "2.0.1-alpha.1"),
    ("2.1.0-rc.2", "release", None, "2.1.0"),
    ("2.1.0-rc.2", "minor", None, "2.1.0"),
    ("2.1.1-rc.2", "minor", None, "2.2.0"),
    ("3.0.0-rc.1", "major", None, "3.0.0"),
    ("2.1.0-rc.1", "patch", None, "2.1.0"),
    ("2.1.0-rc.1", "minor", "rc", "2.2.0-rc.1"),
    ("2.0.0+build.7", "patch", None, "2.0.1"),
    ("2.0.0", "2.5.0+exp.sha.5114f85", None, "2.5.0+exp.sha.5114f85"),
    ("0.9.3", "1.0.0-rc.1", None, "1.0.0-rc.1"),
]


@pytest.mark.parametrize(
    ("old", "part", "pre", "new"), BUMPS, ids=[f"{o}-{p}-{pr}" for o, p, pr, _ in BUMPS]
)
def test_next_version(old: str, part: str, pre: str | None, new: str) -> None:
    assert str(next_version(parse_version(old), part, pre=pre)) == new


REFUSED = [
    ("2.0.0", "release", None, "not a prerelease"),
    ("2.0.0", "2.0.0", None, "not greater"),
    ("2.0.0", "1.9.9", None, "not greater"),
    ("2.0.0", "2.0.0-rc.1", None, "not greater"),
    ("2.0.0", "2.0.0+build", None, "not greater"),
    ("2.0.0", "v2.1.0", None, "not a valid SemVer"),
    ("2.1.0-beta.2", "prerelease", "alpha", "not greater"),
    ("2.0.0", "minor", "r c", "not valid SemVer"),
    ("2.0.0", "lunar", None, "not a valid SemVer"),
]


@pytest.mark.parametrize(
    ("old", "part", "pre", "message"), REFUSED, ids=[f"{o}-{p}-{pr}" for o, p, pr, _ in REFUSED]
)
def test_refused_bumps(old: str, part: str, pre: str | None, message: str) -> None:
    with pytest.raises(VersionError, match=message):
        next_version(parse_version(old), part, pre=pre)


@given(
    versions,
    st.sampled_from(["major", "minor", "patch", "prerelease"]),
    st.sampled_from([None, "rc", "alpha", "zeta"]),
)
def test_every_bump_goes_up(old: str, part: str, pre: str | None) -> None:
    current = parse_version(old)
    try:
        new = next_version(current, part, pre=pre)
    except VersionError:
        # Only a prerelease token sorting below the current one may be refused.
        assert part == "prerelease" and pre is not None and current.prerelease is not None
        return
    assert new.compare(current) > 0
    assert new.build is None
