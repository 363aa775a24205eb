"""`ares-release check` on the 1,000-release changelog against `python -c "import click"`.

Goal (issue 2): at most 2.5x the floor of any click tool. Also times a 12 MB changelog.
Run: python benchmarks/bench_check.py [--refresh]
"""

from __future__ import annotations

import subprocess
import sys
import time

from _harness import changelog, ensure_venv, ms, report, time_commands, venv_bin


def main() -> None:
    ensure_venv(refresh="--refresh" in sys.argv)
    big = changelog(1000)
    huge = changelog(8000)
    medians = time_commands(
        {
            "floor": [venv_bin("python"), "-c", "import click"],
            "check": [venv_bin("ares-release"), "check", str(big)],
        }
    )
    ratio = medians["check"] / medians["floor"]
    start = time.perf_counter()
    subprocess.run(
        [venv_bin("ares-release"), "check", str(huge)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    huge_time = time.perf_counter() - start
    report(
        "check (issue 2)",
        [
            ('`python -c "import click"` (floor)', ms(medians["floor"])),
            (
                f"`ares-release check` on {big.stat().st_size / 1e6:.1f} MB, 1,000 releases",
                ms(medians["check"]),
            ),
            ("ratio to the floor (goal: at most 2.5x)", f"{ratio:.2f}x"),
            (
                f"`ares-release check` on {huge.stat().st_size / 1e6:.1f} MB, 8,000 releases "
                "(one run)",
                ms(huge_time),
            ),
        ],
    )


if __name__ == "__main__":
    main()
