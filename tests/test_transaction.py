"""All or nothing: failures roll back at once; a killed bump is recovered by ``recover``.

Bumps run as real processes. Git hooks and failpoints kill them (SIGKILL) at each step;
afterwards the repository must be whole again, before or after the release, never between.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import Cli, git
from .test_bump import DATE, snapshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and flock")


def bump_process(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a bump in its own process group and wait until git and its hooks are gone too."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "ares_release", "bump", *args, "--date", DATE],
        cwd=root,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    out, err = proc.communicate(timeout=120)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def hook(root: Path, name: str, body: str) -> None:
    path = root / ".git" / "hooks" / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def released(root: Path, version: str) -> bool:
    """The release of ``version`` is complete and consistent."""
    head = git(root, "rev-parse", "HEAD").strip()
    return (
        git(root, "rev-parse", f"v{version}^{{commit}}").strip() == head
        and f'ARES_VERSION = "{version}"' in (root / "src" / "config.py").read_text()
        and f"## [{version}] - {DATE}" in (root / "docs" / "BOT_CHANGELOG.md").read_text()
        and git(root, "status", "--porcelain") == ""
        and git(root, "log", "-1", "--format=%s").strip() == f"chore(release): {version}"
    )


def journal(root: Path) -> Path:
    return root / ".git" / "ares-release" / "journal.json"


# --- failures inside the process roll back at once ------------------------------------


def test_rejecting_commit_hook_rolls_back(ares_repo: Path) -> None:
    hook(ares_repo, "pre-commit", "echo 'lint failed' >&2\nexit 1\n")
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor")
    assert done.returncode == 1
    assert "git commit failed: lint failed" in done.stderr
    assert snapshot(ares_repo) == before
    assert not journal(ares_repo).exists()


def test_no_verify_skips_the_hook(ares_repo: Path) -> None:
    hook(ares_repo, "pre-commit", "exit 1\n")
    assert bump_process(ares_repo, "minor", "--no-verify").returncode == 0
    assert released(ares_repo, "2.1.0")


def test_full_disk_while_writing_rolls_back(ares_repo: Path) -> None:
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor", env={"ARES_RELEASE_FAILPOINT": "files-written:raise"})
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(ares_repo) == before


def test_failed_tag_undoes_the_commit(ares_repo: Path) -> None:
    hook(
        ares_repo,
        "reference-transaction",
        'if [ "$1" = prepared ] && grep -q refs/tags/; then\n'
        '  echo "tags are frozen" >&2; exit 1\nfi\n'
        "exit 0\n",
    )
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor")
    assert done.returncode == 1
    assert "git tag failed" in done.stderr
    assert snapshot(ares_repo) == before


def test_a_dirty_changelog_is_restored_exactly(ares_repo: Path) -> None:
    log = ares_repo / "docs" / "BOT_CHANGELOG.md"
    log.write_text(log.read_text().replace("- Per-symbol", "- Drafted.\n- Per-symbol", 1))
    git(ares_repo, "add", str(log))  # staged, as a user might leave it
    hook(ares_repo, "commit-msg", "exit 1\n")
    before = snapshot(ares_repo)
    assert bump_process(ares_repo, "minor").returncode == 1
    assert snapshot(ares_repo) == before


# --- a killed bump leaves a journal; the next command notices; recover restores ---------

KILLS_BEFORE_COMMIT = [
    ("after-journal", {"ARES_RELEASE_FAILPOINT": "journal-written"}, None),
    ("after-files", {"ARES_RELEASE_FAILPOINT": "files-written"}, None),
    ("in-pre-commit-hook", {}, ("pre-commit", 'kill -9 "$ARES_RELEASE_BUMP"\nexit 1\n')),
    ("in-commit-msg-hook", {}, ("commit-msg", 'kill -9 "$ARES_RELEASE_BUMP"\nexit 1\n')),
]


@pytest.mark.parametrize(
    ("env", "hook_spec"),
    [k[1:] for k in KILLS_BEFORE_COMMIT],
    ids=[k[0] for k in KILLS_BEFORE_COMMIT],
)
def test_killed_before_the_commit_is_rolled_back(
    cli: Cli, ares_repo: Path, env: dict[str, str], hook_spec: tuple[str, str] | None
) -> None:
    if hook_spec:
        hook(ares_repo, *hook_spec)
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor", env=env)
    assert done.returncode == -signal.SIGKILL
    assert journal(ares_repo).exists()
    # Every command notices; bump refuses until recover has run.
    assert (
        "an interrupted 'ares-release bump' left the repository mid-release"
        in cli("version").stderr
    )
    assert "run 'ares-release recover'" in cli("bump", "patch", code=1).stderr
    (ares_repo / ".git" / "hooks" / (hook_spec[0] if hook_spec else "none")).unlink(missing_ok=True)
    assert "rolled back the interrupted bump to 2.1.0" in cli("recover").stdout
    assert snapshot(ares_repo) == before
    assert not journal(ares_repo).exists()
    cli("bump", "minor", "--date", DATE)  # and the release can now be made
    assert released(ares_repo, "2.1.0")


KILLS_AFTER_COMMIT = [
    ("after-commit", {"ARES_RELEASE_FAILPOINT": "committed"}, None),
    ("in-post-commit-hook", {}, ("post-commit", 'kill -9 "$ARES_RELEASE_BUMP"\n')),
    (
        "pre-commit-kills-but-commit-lands",
        {},
        ("pre-commit", 'kill -9 "$ARES_RELEASE_BUMP"\nexit 0\n'),
    ),
]


@pytest.mark.parametrize(
    ("env", "hook_spec"),
    [k[1:] for k in KILLS_AFTER_COMMIT],
    ids=[k[0] for k in KILLS_AFTER_COMMIT],
)
def test_killed_after_the_commit_is_completed(
    cli: Cli, ares_repo: Path, env: dict[str, str], hook_spec: tuple[str, str] | None
) -> None:
    if hook_spec:
        hook(ares_repo, *hook_spec)
    done = bump_process(ares_repo, "minor", env=env)
    assert done.returncode == -signal.SIGKILL
    assert git(ares_repo, "tag", "-l") == ""
    assert (
        cli("recover").stdout == "completed the release of 2.1.0: created the missing tag v2.1.0\n"
    )
    assert released(ares_repo, "2.1.0")
    assert not journal(ares_repo).exists()


def test_recover_rollback_undoes_a_landed_commit(cli: Cli, ares_repo: Path) -> None:
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor", env={"ARES_RELEASE_FAILPOINT": "committed"})
    assert done.returncode == -signal.SIGKILL
    assert "rolled back" in cli("recover", "--rollback").stdout
    assert snapshot(ares_repo) == before


def test_killed_after_the_tag_is_already_complete(cli: Cli, ares_repo: Path) -> None:
    hook(
        ares_repo,
        "reference-transaction",
        'if [ "$1" = committed ] && grep -q refs/tags/; then\n'
        '  kill -9 "$ARES_RELEASE_BUMP"\nfi\nexit 0\n',
    )
    done = bump_process(ares_repo, "minor")
    assert done.returncode == -signal.SIGKILL
    assert journal(ares_repo).exists()
    assert cli("recover").stdout == "the release of 2.1.0 was complete; removed its journal\n"
    assert released(ares_repo, "2.1.0")


def test_recover_refuses_when_head_moved(cli: Cli, ares_repo: Path) -> None:
    done = bump_process(ares_repo, "minor", env={"ARES_RELEASE_FAILPOINT": "files-written"})
    assert done.returncode == -signal.SIGKILL
    git(ares_repo, "commit", "-qam", "chore: someone committed anyway", "--no-verify")
    result = cli("recover", code=1)
    assert "HEAD moved since the interrupted bump of 2.1.0" in result.stderr


def test_recover_with_nothing_to_do(cli: Cli, ares_repo: Path) -> None:
    assert cli("recover").stdout == "no interrupted bump: nothing to recover\n"


def test_check_inside_a_running_bump_does_not_cry_wolf(ares_repo: Path) -> None:
    """A commit hook running 'ares-release check' during the bump sees no interruption."""
    hook(ares_repo, "pre-commit", f'"{sys.executable}" -m ares_release check 2> .git/hook-stderr\n')
    assert bump_process(ares_repo, "minor").returncode == 0
    stderr = (ares_repo / ".git" / "hook-stderr").read_text()
    assert "interrupted" not in stderr and "ok (4 releases)" in stderr


# --- concurrency -----------------------------------------------------------------------


def test_concurrent_bumps_never_mix(ares_repo: Path) -> None:
    base = git(ares_repo, "rev-parse", "HEAD").strip()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "ares_release", "bump", "patch", "--json", "--date", DATE],
            cwd=ares_repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(5)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    winners = [json.loads(out) for code, out, _ in results if code == 0]
    losers = [err for code, _, err in results if code != 0]
    assert len(winners) == 1 and winners[0]["new"] == "2.0.1"
    for err in losers:
        assert err.count("\n") == 1 and (
            "another 'ares-release bump' is running" in err or "Unreleased has no entries" in err
        ), err
    assert git(ares_repo, "rev-list", "--count", f"{base}..HEAD").strip() == "1"
    assert git(ares_repo, "tag", "-l").split() == ["v2.0.1"]
    assert released(ares_repo, "2.0.1")
    assert not journal(ares_repo).exists()


def test_signing_without_a_key_rolls_back(ares_repo: Path, tmp_path: Path) -> None:
    """--sign asks git to sign; with no usable key the commit fails and nothing changes."""
    fake_gpg = tmp_path / "gpg"
    fake_gpg.write_text("#!/bin/sh\necho 'gpg: no default secret key' >&2\nexit 2\n")
    fake_gpg.chmod(0o755)
    git(ares_repo, "config", "gpg.program", str(fake_gpg))
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor", "--sign")
    assert done.returncode == 1
    assert "git commit failed" in done.stderr and "rolled back and nothing changed" in done.stderr
    assert snapshot(ares_repo) == before


def test_a_journal_that_cannot_be_written_stops_the_bump_before_any_change(ares_repo: Path) -> None:
    (ares_repo / ".git" / "ares-release").write_text("in the way\n")  # a file where the folder goes
    before = snapshot(ares_repo)
    done = bump_process(ares_repo, "minor")
    assert done.returncode == 1
    assert done.stderr.startswith("ares-release: error: cannot write the bump journal")
    assert done.stderr.count("\n") == 1
    assert snapshot(ares_repo) == before
