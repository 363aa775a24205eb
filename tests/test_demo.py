from __future__ import annotations

from pathlib import Path

from .conftest import git, run_module


def test_demo_shows_the_tool_at_work_and_leaves_the_caller_alone(
    ares_repo: Path, tmp_path: Path
) -> None:
    before = (git(ares_repo, "status", "--porcelain"), git(ares_repo, "rev-parse", "HEAD"))
    target = tmp_path / "demo"
    done = run_module("demo", "--path", str(target), cwd=ares_repo)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "$ ares-release version\n2.0.0\n" in out
    assert "$ ares-release check\ndocs/BOT_CHANGELOG.md: ok (3 releases)\n" in out
    assert "CL205 '2025-09-31' is not a real calendar date" in out
    assert "CL402 unknown section 'Fixes' in 1.1.0; did you mean 'Fixed'?" in out
    assert "(exit code 1)" in out
    assert "$ ares-release notes\n### Added\n" in out
    assert "\nsrc/config.py was executed!\n" not in out  # printed only if it were run
    # Drafting from the commits since v2.0.0.
    drafted = "$ ares-release draft\nadded 2 entries to docs/BOT_CHANGELOG.md (Added 1, Fixed 1)"
    assert drafted in out
    # The release: planned with a diff, then made (commit and tag).
    assert "$ ares-release bump auto --dry-run\n2.0.0 -> 2.1.0 (minor)\n" in out
    assert "+## [2.1.0] - " in out and '+ARES_VERSION = "2.1.0"' in out
    assert "tagged v2.1.0" in out
    assert "(HEAD -> main, tag: v2.1.0) chore(release): 2.1.0" in out
    # Training runs, tagged with the bot version, compared across the release.
    assert "a plain mlflow.start_run() got bot_version=2.0.0" in out
    assert "a plain mlflow.start_run() got bot_version=2.1.0" in out
    compare = out.split("$ ares-release runs compare 2.0.0 2.1.0 --metric accuracy\n")[1]
    assert compare.splitlines()[1].split() == [
        "bot_version",
        "count",
        "mean",
        "median",
        "best",
        "worst",
    ]
    assert [line.split()[:2] for line in compare.splitlines()[2:4]] == [
        ["2.0.0", "3"],
        ["2.1.0", "3"],
    ]
    assert "Registered model versions: 1\n  ares_ethusdt_15m v1" in out
    # The demo repository is real and kept; the caller's repository is untouched.
    assert len(git(target, "log", "--oneline").splitlines()) == 6
    assert git(target, "tag", "-l").split() == ["v2.0.0", "v2.1.0"]
    assert git(target, "status", "--porcelain") == ""
    assert (git(ares_repo, "status", "--porcelain"), git(ares_repo, "rev-parse", "HEAD")) == before


def test_demo_in_a_temporary_folder_cleans_up(tmp_path: Path) -> None:
    done = run_module("demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "has been removed" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_demo_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    done = run_module("demo", "--path", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "not empty" in done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
