from __future__ import annotations

from pathlib import Path

from .conftest import GOOD_CHANGELOG, Cli


def test_newest_release_by_default(cli: Cli, ares_repo: Path) -> None:
    assert cli("notes").stdout == (
        "### Added\n\n- MLflow version tracking for every training run.\n\n"
        "### Removed\n\n- The legacy single-model trainer.\n"
    )


def test_named_release_with_or_without_v(cli: Cli, ares_repo: Path) -> None:
    expected = "### Fixed\n\n- Funding-rate feature used the wrong sign.\n"
    assert cli("notes", "1.1.0").stdout == expected
    assert cli("notes", "v1.1.0").stdout == expected


def test_oldest_release_stops_before_link_definitions(cli: Cli, ares_repo: Path) -> None:
    assert cli("notes", "1.0.0").stdout == "### Added\n\n- First live release.\n"


def test_unknown_version_lists_the_versions(cli: Cli, ares_repo: Path) -> None:
    result = cli("notes", "9.9.9", code=1)
    assert result.stderr == (
        "ares-release: error: docs/BOT_CHANGELOG.md: no release 9.9.9; the releases are "
        "2.0.0, 1.1.0, 1.0.0\n"
    )


def test_reference_links_used_by_the_body_travel_with_it(cli: Cli, tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_text(
        "## [1.0.0] - 2024-01-01\n\n### Fixed\n\n- Crash on start ([#12]).\n\n"
        "[1.0.0]: https://x/releases/tag/v1.0.0\n[#12]: https://x/pull/12\n"
    )
    assert cli("notes", "--file", str(log)).stdout == (
        "### Fixed\n\n- Crash on start ([#12]).\n\n[#12]: https://x/pull/12\n"
    )


def test_html_rendering(cli: Cli, ares_repo: Path) -> None:
    html = cli("notes", "--html").stdout
    assert "<h3>Added</h3>" in html
    assert "<li>MLflow version tracking for every training run.</li>" in html


def test_notes_outside_git_with_default_path(cli: Cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "BOT_CHANGELOG.md").write_text(GOOD_CHANGELOG)
    monkeypatch.chdir(tmp_path)
    assert cli("notes").stdout.startswith("### Added")


def test_missing_changelog(cli: Cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("notes", code=1)
    assert result.stderr.startswith("ares-release: error: docs/BOT_CHANGELOG.md: file not found")
