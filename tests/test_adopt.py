from __future__ import annotations

from pathlib import Path

import pytest

from ares_release.adopt import builtin_template

from .conftest import CONFIG_PY, Cli, git


@pytest.fixture
def bot_without_changelog(git_repo: Path) -> Path:
    (git_repo / "src").mkdir()
    (git_repo / "src" / "config.py").write_text(CONFIG_PY)
    return git_repo


def test_init_writes_the_changelog_with_the_current_version(
    cli: Cli, bot_without_changelog: Path
) -> None:
    result = cli("init", "--date", "2026-01-15")
    log = bot_without_changelog / "docs" / "BOT_CHANGELOG.md"
    assert "wrote docs/BOT_CHANGELOG.md from the built-in template" in result.stdout
    text = log.read_text()
    assert "## [Unreleased]\n\n## [2.0.0] - 2026-01-15\n" in text
    cli("check")  # what init writes passes check, version agreement included


def test_init_prints_a_working_precommit_snippet(cli: Cli, bot_without_changelog: Path) -> None:
    out = cli("init").stdout
    assert "      - id: ares-release-check\n" in out
    assert "        entry: ares-release check\n" in out
    assert r"        files: ^(docs/BOT_CHANGELOG\.md|src/config\.py|pyproject\.toml)$" in out


def test_init_never_overwrites(cli: Cli, bot_without_changelog: Path) -> None:
    log = bot_without_changelog / "docs" / "BOT_CHANGELOG.md"
    log.parent.mkdir()
    log.write_text("my own words\n")
    result = cli("init")
    assert "docs/BOT_CHANGELOG.md already exists; left unchanged" in result.stdout
    assert log.read_text() == "my own words\n"


def test_init_uses_the_repository_template(cli: Cli, bot_without_changelog: Path) -> None:
    (bot_without_changelog / "CHANGELOG_TEMPLATE.md").write_text(
        "# Our bot\n\n## [Unreleased]\n\n## [{version}] - {date}\n\n### Added\n\n- Start.\n"
    )
    cli("init", "--date", "2026-02-01")
    assert (bot_without_changelog / "docs" / "BOT_CHANGELOG.md").read_text() == (
        "# Our bot\n\n## [Unreleased]\n\n## [2.0.0] - 2026-02-01\n\n### Added\n\n- Start.\n"
    )


def test_init_dry_run_writes_nothing(cli: Cli, bot_without_changelog: Path) -> None:
    assert "would write docs/BOT_CHANGELOG.md" in cli("init", "--dry-run").stdout
    assert not (bot_without_changelog / "docs").exists()


def test_init_without_version_file_says_what_to_do(cli: Cli, git_repo: Path) -> None:
    result = cli("init", code=1)
    assert "src/config.py:1: file not found; create it with ARES_VERSION" in result.stderr
    assert not (git_repo / "docs").exists()


def test_init_refuses_a_changelog_outside_the_repository(
    cli: Cli, bot_without_changelog: Path
) -> None:
    (bot_without_changelog / "pyproject.toml").write_text(
        '[tool.ares-release]\nchangelog = "../x.md"\n'
    )
    result = cli("init", code=1)
    assert "outside the repository" in result.stderr
    assert not (bot_without_changelog.parent / "x.md").exists()


def test_init_rejects_a_bad_date(cli: Cli, bot_without_changelog: Path) -> None:
    cli("init", "--date", "2026-13-01", code=2)


def test_top_level_template_is_the_built_in_one() -> None:
    top = Path(__file__).resolve().parents[1] / "CHANGELOG_TEMPLATE.md"
    assert top.read_text(encoding="utf-8") == builtin_template()


def test_init_commits_nothing(cli: Cli, bot_without_changelog: Path) -> None:
    git(bot_without_changelog, "add", "-A")
    git(bot_without_changelog, "commit", "-q", "-m", "chore: bot")
    head = git(bot_without_changelog, "rev-parse", "HEAD")
    cli("init")
    assert git(bot_without_changelog, "rev-parse", "HEAD") == head
