from __future__ import annotations

import pytest

from ares_release.changelog import parse
from ares_release.changelog.edit import release_unreleased
from ares_release.errors import ChangelogError

from .conftest import GOOD_CHANGELOG


def released(text: str, version: str = "2.1.0") -> str:
    return release_unreleased(
        parse(text),
        version=version,
        date="2026-12-04",
        previous_tag="v2.0.0",
        new_tag=f"v{version}",
    ).text


def test_unreleased_body_moves_under_the_new_heading() -> None:
    new = released(GOOD_CHANGELOG)
    expected = GOOD_CHANGELOG.replace(
        "## [Unreleased]\n\n### Added", "## [Unreleased]\n\n## [2.1.0] - 2026-12-04\n\n### Added"
    ).replace(
        "[Unreleased]: https://example.com/ares/compare/v2.0.0...HEAD\n",
        "[Unreleased]: https://example.com/ares/compare/v2.1.0...HEAD\n"
        "[2.1.0]: https://example.com/ares/compare/v2.0.0...v2.1.0\n",
    )
    assert new == expected
    log = parse(new)
    assert log.unreleased is not None and log.entries(log.unreleased) == ()
    assert [r.version for r in log.releases][:2] == ["2.1.0", "2.0.0"]


def test_crlf_file_stays_crlf_and_keeps_a_missing_final_newline() -> None:
    text = GOOD_CHANGELOG.replace("\n", "\r\n").rstrip("\r\n")
    new = released(text)
    assert "\n" not in new.replace("\r\n", "")
    assert new.endswith("[1.0.0]: https://example.com/ares/releases/tag/v1.0.0")
    assert "## [Unreleased]\r\n\r\n## [2.1.0] - 2026-12-04\r\n\r\n### Added" in new


def test_file_without_links_gets_no_links() -> None:
    text = "# C\n\n## [Unreleased]\n\n### Fixed\n\n- x\n\n"
    text += "## [2.0.0] - 2025-01-01\n\n### Added\n\n- y\n"
    assert released(text) == text.replace(
        "## [Unreleased]\n", "## [Unreleased]\n\n## [2.1.0] - 2026-12-04\n"
    )


def test_lowercase_unreleased_label_and_two_dot_compare_are_kept() -> None:
    text = (
        "## [Unreleased]\n\n- x\n\n## [2.0.0] - 2025-01-01\n\n- y\n\n"
        "[unreleased]: https://git.example/r/compare/v2.0.0..main\n"
        "[2.0.0]: https://git.example/r/releases/tag/v2.0.0\n"
    )
    assert released(text).endswith(
        "[unreleased]: https://git.example/r/compare/v2.1.0..main\n"
        "[2.1.0]: https://git.example/r/compare/v2.0.0..v2.1.0\n"
        "[2.0.0]: https://git.example/r/releases/tag/v2.0.0\n"
    )


def test_previous_release_link_pattern_is_followed_without_an_unreleased_link() -> None:
    text = (
        "## [Unreleased]\n\n- x\n\n## [2.0.0] - 2025-01-01\n\n- y\n\n"
        "[2.0.0]: https://x/compare/v1.0.0...v2.0.0\n"
    )
    assert released(text).endswith(
        "[2.1.0]: https://x/compare/v2.0.0...v2.1.0\n[2.0.0]: https://x/compare/v1.0.0...v2.0.0\n"
    )


def test_body_glued_to_the_heading_and_unbracketed_unreleased() -> None:
    text = "## Unreleased\n- x\n"
    assert released(text) == "## Unreleased\n\n## [2.1.0] - 2026-12-04\n- x\n"


def test_no_unreleased_section_is_an_error() -> None:
    with pytest.raises(ChangelogError, match="no '## \\[Unreleased\\]' section"):
        released("## [2.0.0] - 2025-01-01\n")
