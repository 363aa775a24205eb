"""The changelog merge driver, through real ``git merge`` runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Cli, git

LOG = "docs/BOT_CHANGELOG.md"


@pytest.fixture
def with_driver(cli: Cli, ares_repo: Path) -> Path:
    out = cli("install-merge-driver").stdout
    assert f".gitattributes: {LOG} merge=ares-release" in out
    # git runs the driver through the shell: point it at this interpreter's ares-release.
    git(
        ares_repo,
        "config",
        "merge.ares-release.driver",
        f"'{sys.executable}' -m ares_release merge-driver %O %A %B %P",
    )
    git(ares_repo, "add", ".gitattributes")
    git(ares_repo, "commit", "-qm", "chore: use the changelog merge driver")
    return ares_repo


def edit(root: Path, old: str, new: str, message: str) -> None:
    path = root / LOG
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    git(root, "commit", "-qam", message)


def branches(
    root: Path, ours: tuple[str, str], theirs: tuple[str, str]
) -> subprocess.CompletedProcess[str]:
    git(root, "switch", "-qc", "topic")
    edit(root, *theirs, "docs: theirs")
    git(root, "switch", "-q", "main")
    edit(root, *ours, "docs: ours")
    return subprocess.run(
        ["git", "merge", "--no-edit", "topic"], cwd=root, capture_output=True, text=True
    )


ANCHOR = "- Per-symbol position caps in the risk manager.\n"
OURS, THEIRS = "- Ours: trailing stop.\n", "- Theirs: funding-rate filter.\n"


def test_two_branches_adding_to_the_same_section_merge_cleanly(with_driver: Path) -> None:
    done = branches(
        with_driver,
        (ANCHOR, ANCHOR + OURS),
        (ANCHOR, ANCHOR + THEIRS),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (with_driver / LOG).read_text()
    assert ANCHOR + OURS + THEIRS in text
    assert "<<<<<<<" not in text


def test_without_the_driver_the_same_merge_conflicts(ares_repo: Path) -> None:
    done = branches(
        ares_repo,
        (ANCHOR, ANCHOR + OURS),
        (ANCHOR, ANCHOR + THEIRS),
    )
    assert done.returncode != 0 and "CONFLICT" in done.stdout


def test_new_sections_and_duplicates(with_driver: Path) -> None:
    done = branches(
        with_driver,
        (ANCHOR, ANCHOR + "- Same entry on both sides.\n\n### Fixed\n\n- Ours fixed.\n"),
        (ANCHOR, ANCHOR + "- Same entry on both sides.\n\n### Security\n\n- Theirs secured.\n"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (with_driver / LOG).read_text()
    assert text.count("- Same entry on both sides.") == 1
    unreleased = text.split("## [2.0.0]")[0]
    assert (
        unreleased.index("### Added")
        < unreleased.index("### Fixed")
        < unreleased.index("### Security")
    )


def test_a_release_on_one_branch_and_entries_on_the_other(cli: Cli, with_driver: Path) -> None:
    git(with_driver, "switch", "-qc", "topic")
    edit(with_driver, ANCHOR, ANCHOR + "- Theirs: late feature.\n", "docs: theirs")
    git(with_driver, "switch", "-q", "main")
    cli("bump", "minor", "--date", "2026-12-04")
    done = subprocess.run(
        ["git", "merge", "--no-edit", "topic"], cwd=with_driver, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (with_driver / LOG).read_text()
    unreleased, released = text.split("## [2.1.0] - 2026-12-04")
    assert "- Theirs: late feature." in unreleased and "Per-symbol" not in unreleased
    assert "Per-symbol" in released.split("## [2.0.0]")[0]
    cli("check")


def test_a_genuine_conflict_elsewhere_still_conflicts(with_driver: Path) -> None:
    old = "- Funding-rate feature used the wrong sign.\n"
    git(with_driver, "switch", "-qc", "topic")
    edit(with_driver, old, "- Funding-rate sign fixed for Bybit.\n", "docs: theirs")
    edit(with_driver, ANCHOR, ANCHOR + "- Theirs added.\n", "docs: theirs adds")
    git(with_driver, "switch", "-q", "main")
    edit(with_driver, old, "- Funding-rate sign fixed for Binance.\n", "docs: ours")
    edit(with_driver, ANCHOR, ANCHOR + "- Ours added.\n", "docs: ours adds")
    done = subprocess.run(
        ["git", "merge", "--no-edit", "topic"], cwd=with_driver, capture_output=True, text=True
    )
    assert done.returncode != 0 and "CONFLICT" in done.stdout
    text = (with_driver / LOG).read_text()
    assert (
        "<<<<<<< ours:docs/BOT_CHANGELOG.md\n- Funding-rate sign fixed for Binance.\n=======\n"
        in text
    )
    assert ANCHOR + "- Ours added.\n- Theirs added.\n" in text  # Unreleased merged all the same


def test_install_is_idempotent(cli: Cli, ares_repo: Path) -> None:
    cli("install-merge-driver")
    cli("install-merge-driver")
    assert (ares_repo / ".gitattributes").read_text() == f"{LOG} merge=ares-release\n"
    assert (
        git(ares_repo, "config", "merge.ares-release.driver").strip()
        == "ares-release merge-driver %O %A %B %P"
    )


def test_driver_falls_back_to_a_line_merge_without_unreleased(tmp_path: Path) -> None:
    base, ours, theirs = (tmp_path / n for n in ("O", "A", "B"))
    base.write_text("# C\n\n## [1.0.0] - 2020-01-01\n\n- a\n")
    ours.write_text("# C\n\n## [1.0.0] - 2020-01-01\n\n- a\n- b\n")
    theirs.write_text("# Changes\n\n## [1.0.0] - 2020-01-01\n\n- a\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ares_release",
            "merge-driver",
            str(base),
            str(ours),
            str(theirs),
            "C.md",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert done.returncode == 0, done.stderr
    assert ours.read_text() == "# Changes\n\n## [1.0.0] - 2020-01-01\n\n- a\n- b\n"
