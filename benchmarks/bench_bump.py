"""`ares-release bump patch --dry-run` on the 1,000-release changelog against `cz version`.

Goal (issue 3): at most half the time of commitizen's `cz version` (which only prints its
version). Both run in a git repository holding the 1.5 MB changelog.
Run: python benchmarks/bench_bump.py [--refresh]
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from _harness import WORK, changelog, ensure_venv, ms, report, time_commands, venv_bin


def repository() -> str:
    repo = WORK / "bump-repo"
    if repo.exists():
        shutil.rmtree(repo)
    (repo / "src").mkdir(parents=True)
    (repo / "docs").mkdir()
    shutil.copy(changelog(1000), repo / "docs" / "BOT_CHANGELOG.md")
    (repo / "src" / "config.py").write_text('ARES_VERSION = "10.0.0"\n')
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), *identity, "commit", "-qm", "init"], check=True)
    return str(repo)


def main() -> None:
    ensure_venv(refresh="--refresh" in sys.argv)
    repo = repository()
    medians = time_commands(
        {
            "cz": [venv_bin("cz"), "version"],
            "bump": [venv_bin("ares-release"), "-C", repo, "bump", "patch", "--dry-run"],
        }
    )
    ratio = medians["bump"] / medians["cz"]
    report(
        "bump --dry-run (issue 3)",
        [
            ("`cz version` (commitizen, prints its version)", ms(medians["cz"])),
            ("`ares-release bump patch --dry-run`, 1.5 MB changelog", ms(medians["bump"])),
            ("ratio to `cz version` (goal: at most 0.5x)", f"{ratio:.2f}x"),
        ],
    )


if __name__ == "__main__":
    main()
