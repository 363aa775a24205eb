from __future__ import annotations

import json
from pathlib import Path

import pytest

from ares_release.changelog import parse
from ares_release.changelog.rules import RuleContext, run_rules
from ares_release.config import DEFAULT_SECTIONS

from .conftest import GOOD_CHANGELOG, Cli


def problems(text: str, sections: tuple[str, ...] = DEFAULT_SECTIONS) -> list[tuple[int, str, str]]:
    found = run_rules(parse(text), RuleContext("CHANGELOG.md", sections))
    return [(p.line, p.code, p.severity) for p in found]


def release(version: str, day: str, body: str = "### Added\n\n- something\n") -> str:
    return f"## [{version}] - {day}\n\n{body}\n"


HEAD = "# Changelog\n\n"  # lines 1-2; the first heading below is on line 3

CASES = [
    # id, text, expected (line, code) pairs
    ("clean", HEAD + "## [Unreleased]\n\n" + release("1.0.0", "2024-01-01"), []),
    (
        "two-unreleased",
        HEAD + "## [Unreleased]\n\n## [Unreleased]\n\n" + release("1.0.0", "2024-01-01"),
        [(5, "CL101")],
    ),
    (
        "unreleased-below-release",
        HEAD + release("1.0.0", "2024-01-01") + "## [Unreleased]\n",
        [(9, "CL102")],
    ),
    ("unreleased-unbracketed", HEAD + "## Unreleased\n", [(3, "CL208")]),
    ("not-a-release-heading", HEAD + "## Release notes\n", [(3, "CL201")]),
    ("invalid-version", HEAD + release("1.0", "2024-01-01"), [(3, "CL202")]),
    ("v-prefix", HEAD + release("v1.0.0", "2024-01-01"), [(3, "CL202")]),
    ("en-dash", HEAD + "## [1.0.0] – 2024-01-01\n\n### Added\n\n- x\n", [(3, "CL203")]),
    ("missing-date", HEAD + "## [1.0.0]\n\n### Added\n\n- x\n", [(3, "CL204")]),
    ("unpadded-date", HEAD + release("1.0.0", "2024-1-5"), [(3, "CL204")]),
    (
        "month-name-date",
        HEAD + "## [1.0.0] - May 6, 2024\n\n### Added\n\n- x\n",
        [(3, "CL204"), (3, "CL206")],
    ),
    ("impossible-date", HEAD + release("1.0.0", "2023-02-29"), [(3, "CL205")]),
    ("leap-day-is-real", HEAD + release("1.0.0", "2024-02-29"), []),
    (
        "trailing-text",
        HEAD + "## [1.0.0] - 2024-01-01 (hotfix)\n\n### Added\n\n- x\n",
        [(3, "CL206")],
    ),
    ("yanked-ok", HEAD + "## [1.0.0] - 2024-01-01 [YANKED]\n\n### Added\n\n- x\n", []),
    ("unbracketed-version", HEAD + "## 1.0.0 - 2024-01-01\n\n### Added\n\n- x\n", [(3, "CL207")]),
    (
        "versions-ascending",
        HEAD + release("1.0.0", "2024-01-02") + release("1.1.0", "2024-01-01"),
        [(9, "CL301")],
    ),
    (
        "duplicate-version",
        HEAD + release("1.0.0", "2024-01-02") + release("1.0.0", "2024-01-01"),
        [(9, "CL302")],
    ),
    (
        "prerelease-order",
        HEAD + release("1.0.0-rc.10", "2024-01-02") + release("1.0.0-rc.9", "2024-01-01"),
        [],
    ),
    (
        "dates-increase",
        HEAD + release("2.0.0", "2024-01-01") + release("1.0.0", "2024-06-01"),
        [(9, "CL303")],
    ),
    (
        "one-bad-date-is-blamed",
        HEAD
        + release("3.0.0", "2024-03-01")
        + release("2.0.0", "2021-01-01")
        + release("1.0.0", "2024-01-01"),
        [(9, "CL303")],
    ),
    ("section-at-h2", HEAD + release("1.0.0", "2024-01-01", "## Fixed\n\n- x\n"), [(5, "CL401")]),
    ("section-at-h1", HEAD + release("1.0.0", "2024-01-01", "# Changed\n\n- x\n"), [(5, "CL401")]),
    ("release-at-h1", HEAD + "# [1.0.0] - 2024-01-01\n\n### Added\n\n- x\n", [(3, "CL401")]),
    (
        "unknown-section",
        HEAD + release("1.0.0", "2024-01-01", "### Fixes\n\n- x\n"),
        [(5, "CL402")],
    ),
    (
        "section-twice",
        HEAD + release("1.0.0", "2024-01-01", "### Added\n\n- x\n\n### Added\n\n- y\n"),
        [(9, "CL403")],
    ),
    (
        "empty-section",
        HEAD + release("1.0.0", "2024-01-01", "### Added\n\n### Fixed\n\n- x\n"),
        [(5, "CL404")],
    ),
    (
        "comment-only-section-is-empty",
        HEAD + release("1.0.0", "2024-01-01", "### Added\n<!-- todo -->\n"),
        [(5, "CL404")],
    ),
    (
        "missing-link",
        HEAD
        + "## [Unreleased]\n\n"
        + release("1.0.0", "2024-01-01")
        + "[unreleased]: https://x/compare/v1.0.0...HEAD\n",
        [(5, "CL501")],
    ),
    (
        "link-without-release",
        HEAD
        + release("1.0.0", "2024-01-01")
        + "[1.0.0]: https://x/releases/tag/v1.0.0\n[0.9.0]: https://x/releases/tag/v0.9.0\n",
        [(10, "CL502")],
    ),
    (
        "compare-link-mismatch",
        HEAD
        + release("1.1.0", "2024-01-02")
        + release("1.0.0", "2024-01-01")
        + "[1.1.0]: https://x/compare/v0.9.0...v1.1.0\n[1.0.0]: https://x/releases/tag/v1.0.0\n",
        [(15, "CL503")],
    ),
    (
        "no-links-no-link-warnings",
        HEAD + "## [Unreleased]\n\n" + release("1.0.0", "2024-01-01"),
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(text: str, expected: list[tuple[int, str]]) -> None:
    assert [(line, code) for line, code, _ in problems(text)] == expected


def test_link_rules_are_warnings_and_the_rest_errors() -> None:
    for _, text, _ in CASES:
        for _line, code, severity in problems(text):
            assert severity == (
                "warning" if code in ("CL208", "CL501", "CL502", "CL503") else "error"
            )


def test_configured_sections_are_the_allowed_names() -> None:
    text = HEAD + release("1.0.0", "2024-01-01", "### Features\n\n- x\n")
    assert problems(text, ("Features", "Fixes")) == []
    assert [c for _, c, _ in problems(text)] == ["CL402"]


def test_messages_tell_what_to_do() -> None:
    log = parse(HEAD + release("1.0.0", "2024-1-5", "### Fixes\n\n- x\n"))
    messages = [
        p.format() for p in run_rules(log, RuleContext("docs/BOT_CHANGELOG.md", DEFAULT_SECTIONS))
    ]
    assert messages == [
        "docs/BOT_CHANGELOG.md:3:14: CL204 '2024-1-5' is not an ISO 8601 date; write YYYY-MM-DD; "
        "did you mean 2024-01-05?",
        "docs/BOT_CHANGELOG.md:5:5: CL402 unknown section 'Fixes' in 1.0.0; did you mean 'Fixed'?",
    ]


def test_the_fixture_changelog_is_clean() -> None:
    assert problems(GOOD_CHANGELOG) == []


def test_configured_section_names_are_recognised_at_the_wrong_level(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ares-release]\nsections = ["Features", "Fixes"]\n'
    )
    (tmp_path / "CHANGELOG.md").write_text(
        "# C\n\n## [1.0.0] - 2024-01-01\n\n### Features\n\n- a\n\n## Fixes\n\n- b\n"
    )
    monkeypatch.chdir(tmp_path)
    payload = json.loads(cli("check", "--json", "CHANGELOG.md", code=1).stdout)
    assert [(p["line"], p["code"]) for p in payload["problems"]] == [(9, "CL401")]
