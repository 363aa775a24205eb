"""``ares-release bump``: what it writes, commits and tags, and every refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import GOOD_CHANGELOG, Cli, git, write_project

DATE = "2026-12-04"


def snapshot(root: Path) -> tuple[object, ...]:
    """Everything a failed bump must leave as it was."""
    files = tuple(
        (root / p).read_bytes() if (root / p).exists() else None
        for p in ("docs/BOT_CHANGELOG.md", "src/config.py")
    )
    return (
        files,
        git(root, "rev-parse", "--verify", "-q", "HEAD") if (root / ".git").exists() else None,
        git(root, "ls-files", "--stage"),
        git(root, "for-each-ref"),
        git(root, "status", "--porcelain"),
    )


def test_minor_bump_releases_everything(cli: Cli, ares_repo: Path) -> None:
    result = cli("bump", "minor", "--date", DATE)
    assert result.stdout.startswith(
        "2.0.0 -> 2.1.0 (minor)\nupdated docs/BOT_CHANGELOG.md, src/config.py\n"
    )
    assert "tagged v2.1.0" in result.stdout
    assert cli("version").stdout == "2.1.0\n"
    log = (ares_repo / "docs" / "BOT_CHANGELOG.md").read_text()
    assert "## [Unreleased]\n\n## [2.1.0] - 2026-12-04\n\n### Added\n\n- Per-symbol" in log
    assert "[2.1.0]: https://example.com/ares/compare/v2.0.0...v2.1.0\n" in log
    # One commit holding exactly the two files, tagged with an annotated tag.
    assert git(ares_repo, "log", "-1", "--format=%s").strip() == "chore(release): 2.1.0"
    files = git(ares_repo, "show", "--name-only", "--format=", "HEAD").split()
    assert files == ["docs/BOT_CHANGELOG.md", "src/config.py"]
    assert git(ares_repo, "cat-file", "-t", "v2.1.0").strip() == "tag"
    assert git(ares_repo, "rev-parse", "v2.1.0^{commit}") == git(ares_repo, "rev-parse", "HEAD")
    tag_body = git(ares_repo, "tag", "-l", "--format=%(contents)", "v2.1.0")
    assert tag_body.startswith("Release 2.1.0\n\n### Added\n\n- Per-symbol position caps")
    assert git(ares_repo, "status", "--porcelain") == ""
    cli("check")


@pytest.mark.parametrize(
    ("args", "new"),
    [
        (["major"], "3.0.0"),
        (["patch"], "2.0.1"),
        (["minor", "--pre", "rc"], "2.1.0-rc.1"),
        (["prerelease"], "2.0.1-rc.1"),
        (["2.5.0+build.7"], "2.5.0+build.7"),
    ],
    ids=["major", "patch", "minor-pre", "prerelease", "explicit-with-build"],
)
def test_parts(cli: Cli, ares_repo: Path, args: list[str], new: str) -> None:
    cli("bump", *args, "--date", DATE)
    assert cli("version").stdout == f"{new}\n"
    assert git(ares_repo, "tag", "-l", f"v{new}").strip() == f"v{new}"


def test_prerelease_then_release(cli: Cli, ares_repo: Path) -> None:
    cli("bump", "minor", "--pre", "rc", "--date", DATE)
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(
        log.read_text().replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- rc fix\n", 1
        )
    )
    git(ares_repo, "commit", "-qam", "fix: rc fix")
    cli("bump", "prerelease", "--date", DATE)
    assert cli("version").stdout == "2.1.0-rc.2\n"
    log.write_text(
        log.read_text().replace("## [Unreleased]\n", "## [Unreleased]\n\n### Fixed\n\n- last\n", 1)
    )
    git(ares_repo, "commit", "-qam", "fix: last")
    cli("bump", "release", "--date", DATE)
    assert cli("version").stdout == "2.1.0\n"
    cli("check")


AUTO = [
    ("### Fixed\n\n- a fix\n", "2.0.1", "patch", None),
    ("### Security\n\n- a patch\n", "2.0.1", "patch", None),
    ("### Added\n\n- a feature\n\n### Fixed\n\n- a fix\n", "2.1.0", "minor", ":9 Added: a feature"),
    ("### Deprecated\n\n- old flag\n", "2.1.0", "minor", ":9 Deprecated: old flag"),
    (
        "### Changed\n\n- **BREAKING** new config format\n",
        "3.0.0",
        "major",
        ":9 Changed: **BREAKING** new config format",
    ),
    ("### Removed\n\n- the v1 API\n", "3.0.0", "major", ":9 Removed: the v1 API"),
]


@pytest.mark.parametrize(
    ("body", "new", "level", "reason"),
    AUTO,
    ids=[a[2] + "-" + a[0].split("\n")[0][4:] for a in AUTO],
)
def test_auto_reads_the_unreleased_section(
    cli: Cli, git_repo: Path, body: str, new: str, level: str, reason: str | None
) -> None:
    changelog = GOOD_CHANGELOG.replace(
        "### Added\n\n- Per-symbol position caps in the risk manager.\n", body, 1
    )
    write_project(git_repo, changelog=changelog)
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "feat: bot")
    text = cli("bump", "auto", "--dry-run", "--date", DATE).stdout
    payload = json.loads(cli("bump", "auto", "--date", DATE, "--json").stdout)
    assert (payload["new"], payload["level"]) == (new, level)
    if reason:
        assert payload["reasons"] == [f"docs/BOT_CHANGELOG.md{reason}"]
        assert text.startswith(
            f"2.0.0 -> {new} ({level})\n  decided by docs/BOT_CHANGELOG.md{reason}\n"
        )


def test_auto_below_one_makes_breaking_changes_minor(cli: Cli, git_repo: Path) -> None:
    changelog = GOOD_CHANGELOG.replace("2.0.0", "0.4.0").replace("1.1.0", "0.3.0")
    changelog = changelog.replace("1.0.0", "0.2.0").replace(
        "### Added\n\n- Per-symbol position caps in the risk manager.\n",
        "### Removed\n\n- old API\n",
        1,
    )
    write_project(git_repo, changelog=changelog, config_py='ARES_VERSION = "0.4.0"\n')
    git(git_repo, "add", "-A")
    git(git_repo, "commit", "-qm", "feat: bot")
    payload = json.loads(cli("bump", "auto", "--json", "--date", DATE).stdout)
    assert (payload["new"], payload["level"]) == ("0.5.0", "minor")


def test_dry_run_prints_the_plan_and_changes_nothing(cli: Cli, ares_repo: Path) -> None:
    before = snapshot(ares_repo)
    out = cli("bump", "minor", "--dry-run", "--date", DATE).stdout
    assert out.startswith(
        "2.0.0 -> 2.1.0 (minor)\nwould update docs/BOT_CHANGELOG.md, src/config.py\n"
    )
    assert "would commit 'chore(release): 2.1.0'\nwould tag v2.1.0\n" in out
    assert "+## [2.1.0] - 2026-12-04\n" in out
    assert '-ARES_VERSION = "2.0.0"  # Used for model versioning\n+ARES_VERSION = "2.1.0"' in out
    assert snapshot(ares_repo) == before


def test_json(cli: Cli, ares_repo: Path) -> None:
    dry = json.loads(cli("bump", "patch", "--dry-run", "--json", "--date", DATE).stdout)
    assert dry["old"] == "2.0.0" and dry["new"] == "2.0.1" and dry["dry_run"] is True
    assert dry["files"] == ["docs/BOT_CHANGELOG.md", "src/config.py"]
    assert dry["commit"] == {"message": "chore(release): 2.0.1", "sha": None}
    assert dry["tag"] == "v2.0.1"
    done = json.loads(cli("bump", "patch", "--json", "--date", DATE).stdout)
    assert done["dry_run"] is False
    assert done["commit"]["sha"] == git(ares_repo, "rev-parse", "HEAD").strip()


def test_no_commit_writes_files_only(cli: Cli, ares_repo: Path) -> None:
    head = git(ares_repo, "rev-parse", "HEAD")
    cli("bump", "patch", "--no-commit", "--date", DATE)
    assert git(ares_repo, "rev-parse", "HEAD") == head
    assert git(ares_repo, "tag", "-l", "v2.0.1") == ""
    assert sorted(git(ares_repo, "status", "--porcelain").split()) == [
        "M",
        "M",
        "docs/BOT_CHANGELOG.md",
        "src/config.py",
    ]


def test_no_tag_and_custom_message(cli: Cli, ares_repo: Path) -> None:
    cli(
        "bump", "patch", "--no-tag", "--message", "release: {previous} to {version}", "--date", DATE
    )
    assert git(ares_repo, "log", "-1", "--format=%s").strip() == "release: 2.0.0 to 2.0.1"
    assert git(ares_repo, "tag", "-l") == ""


def test_drafted_changelog_edits_ride_along(cli: Cli, ares_repo: Path) -> None:
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(log.read_text().replace("- Per-symbol", "- Drafted entry.\n- Per-symbol", 1))
    cli("bump", "minor", "--date", DATE)
    assert "- Drafted entry." in git(ares_repo, "show", "HEAD:docs/BOT_CHANGELOG.md")
    assert git(ares_repo, "status", "--porcelain") == ""


def test_other_staged_changes_stay_out_of_the_release_commit(cli: Cli, ares_repo: Path) -> None:
    (ares_repo / "notes.txt").write_text("wip\n")
    git(ares_repo, "add", "notes.txt")
    cli("bump", "patch", "--date", DATE, code=1)
    cli("bump", "patch", "--allow-dirty", "--date", DATE)
    assert git(ares_repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "docs/BOT_CHANGELOG.md",
        "src/config.py",
    ]
    assert git(ares_repo, "status", "--porcelain") == "A  notes.txt\n"


def _modify_tracked_file(root: Path) -> None:
    (root / "src" / "risk.py").write_text("x")
    git(root, "add", "src/risk.py")
    git(root, "commit", "-qm", "feat: risk")
    (root / "src" / "risk.py").write_text("y")


REFUSALS = [
    (
        "dirty",
        _modify_tracked_file,
        ["patch"],
        "uncommitted changes in src/risk.py; commit or stash them, or pass --allow-dirty",
    ),
    (
        "empty",
        lambda r: (
            (r / "docs" / "BOT_CHANGELOG.md").write_text(
                GOOD_CHANGELOG.replace(
                    "### Added\n\n- Per-symbol position caps in the risk manager.\n\n", "", 1
                )
            )
            or git(r, "commit", "-qam", "docs: empty")
        ),
        ["patch"],
        "Unreleased has no entries; add them (or run 'ares-release draft'), or pass --allow-empty",
    ),
    ("tag-exists", lambda r: git(r, "tag", "v2.0.1"), ["patch"], "the tag v2.0.1 already exists"),
    (
        "not-greater",
        lambda r: None,
        ["1.9.0"],
        "1.9.0 is not greater than the current version 2.0.0",
    ),
    ("invalid", lambda r: None, ["2.1"], "'2.1' is not a valid SemVer 2.0.0 version"),
    (
        "check-fails",
        lambda r: (
            (r / "src" / "config.py").write_text('ARES_VERSION = "2.0.5"\n')
            or git(r, "commit", "-qam", "x")
        ),
        ["patch"],
        "'ares-release check' fails: src/config.py:1:16: VF001",
    ),
    (
        "date-in-past",
        lambda r: None,
        ["patch", "--date", "2025-01-01"],
        "the release date 2025-01-01 is earlier than 2.0.0's (2025-06-02)",
    ),
    (
        "merge-in-progress",
        lambda r: (r / ".git" / "MERGE_HEAD").write_text(git(r, "rev-parse", "HEAD")),
        ["patch"],
        "a merge is in progress; finish or abort it first",
    ),
    ("release-not-pre", lambda r: None, ["release"], "2.0.0 is not a prerelease"),
]


@pytest.mark.parametrize(
    ("setup", "args", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refusals_change_nothing(
    cli: Cli, ares_repo: Path, setup, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    setup(ares_repo)
    before = snapshot(ares_repo)
    result = cli("bump", *args, code=1)
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert snapshot(ares_repo) == before


def test_allow_empty(cli: Cli, ares_repo: Path) -> None:
    cli("bump", "patch", "--date", DATE)
    cli("bump", "patch", "--allow-empty", "--date", DATE)
    assert cli("version").stdout == "2.0.2\n"
    cli("check")


def test_bump_outside_git_is_refused(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("bump", "patch", code=1)
    assert "is not a git repository" in result.stderr
