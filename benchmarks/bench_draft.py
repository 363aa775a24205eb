"""`ares-release draft --dry-run` against git-cliff and commitizen (issue 5).

Workload: the 20,150-commit repository from ../shared/bench/make_history.py (150 commits after
its last tag), with a changelog and a commitizen config added.
Goals: unreleased range at most 4x `git cliff --unreleased` and at most 0.2x
`cz changelog --dry-run --incremental`; whole history at most 0.2x git-cliff's full changelog.
Run: python benchmarks/bench_draft.py [--refresh]
"""

from __future__ import annotations

import shutil
import subprocess
import sys

from _harness import WORK, ensure_venv, ms, need_shared, report, time_commands, venv_bin


def repository() -> str:
    repo = WORK / "history-20150"
    if not (repo / ".git").exists():
        if repo.exists():
            shutil.rmtree(repo)
        subprocess.run(
            [sys.executable, str(need_shared() / "make_history.py"), "20150", str(repo)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs" / "BOT_CHANGELOG.md").write_text(
        "# Changelog\n\n## [Unreleased]\n\n## [1.100.0] - 2020-12-01\n\n### Added\n\n- x\n"
    )
    (repo / ".cz.toml").write_text(
        '[tool.commitizen]\nname = "cz_conventional_commits"\nversion = "1.100.0"\n'
        'tag_format = "v$version"\n'
    )
    return str(repo)


def main() -> None:
    ensure_venv(refresh="--refresh" in sys.argv)
    repo = repository()
    first = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    unreleased = time_commands(
        {
            "cliff": [venv_bin("git-cliff"), "--unreleased"],
            "ours": [venv_bin("ares-release"), "draft", "--dry-run"],
        },
        cwd=repo,
    )
    cz = time_commands(
        {"cz": [venv_bin("cz"), "changelog", "--dry-run", "--incremental"]}, cwd=repo, rounds=5
    )
    full = time_commands(
        {
            "cliff": [venv_bin("git-cliff")],
            "ours": [venv_bin("ares-release"), "draft", "--dry-run", "--since", first],
        },
        cwd=repo,
        rounds=3,
    )
    report(
        "draft (issue 5)",
        [
            ("`git cliff --unreleased` (150 commits)", ms(unreleased["cliff"])),
            ("`cz changelog --dry-run --incremental`", ms(cz["cz"])),
            ("`ares-release draft --dry-run` (150 commits)", ms(unreleased["ours"])),
            (
                "ratio to git-cliff (goal: at most 4x)",
                f"{unreleased['ours'] / unreleased['cliff']:.2f}x",
            ),
            ("ratio to commitizen (goal: at most 0.2x)", f"{unreleased['ours'] / cz['cz']:.2f}x"),
            ("`git cliff` (whole history, 20,150 commits)", ms(full["cliff"])),
            ("`ares-release draft --dry-run --since <first commit>`", ms(full["ours"])),
            (
                "ratio to git-cliff, whole history (goal: at most 0.2x)",
                f"{full['ours'] / full['cliff']:.2f}x",
            ),
        ],
    )


if __name__ == "__main__":
    main()
