"""Shared benchmark plumbing: workloads from ../shared/bench, a virtualenv with the peers,
side-by-side timing of whole commands, and RESULTS.md upkeep.

Figures are medians over interleaved runs (A, B, A, B, ...), so that load on the shared
machine hits both sides alike; what we report is the ratio.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
WORK = HERE / ".work"
SHARED_BENCH = Path(os.environ.get("ARES_RELEASE_SHARED", PROJECT.parent / "shared")) / "bench"
VENV = WORK / "venv"
RESULTS = HERE / "RESULTS.md"
PEERS = ("commitizen", "git-cliff")


def need_shared() -> Path:
    if not (SHARED_BENCH / "make_changelog.py").is_file():
        sys.exit(f"benchmark workloads not found: {SHARED_BENCH} (set ARES_RELEASE_SHARED)")
    return SHARED_BENCH


def venv_bin(name: str) -> str:
    return str(VENV / "bin" / name)


def ensure_venv(*, refresh: bool = False) -> None:
    """A virtualenv holding a regular (non-editable) install of this project and the peers."""
    marker = VENV / ".ready"
    if marker.exists() and not refresh:
        subprocess.run(
            [venv_bin("pip"), "install", "-q", "--no-deps", "--force-reinstall", str(PROJECT)],
            check=True,
        )
        return
    WORK.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([venv_bin("pip"), "install", "-q", f"{PROJECT}[mlflow]", *PEERS], check=True)
    marker.write_text("ok\n")


def changelog(releases: int) -> Path:
    """The seeded changelog from ../shared/bench/make_changelog.py (1,000 releases: 1.5 MB)."""
    path = WORK / f"changelog-{releases}.md"
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            subprocess.run(
                [sys.executable, str(need_shared() / "make_changelog.py"), str(releases)],
                stdout=out,
                check=True,
            )
    return path


def time_commands(
    commands: dict[str, list[str]], *, rounds: int = 21, cwd: Path | None = None
) -> dict[str, float]:
    """Median wall time in seconds of each command, runs interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm-up: page cache, .pyc files
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(rounds):
        for name, argv in commands.items():
            start = time.perf_counter()
            subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def report(title: str, rows: list[tuple[str, str]], notes: str = "") -> str:
    """A RESULTS.md section: a dated table of figures, then notes."""
    today = datetime.date.today().isoformat()
    lines = [
        f"## {title}",
        "",
        f"Measured {today} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}.",
        "",
        "| measure | figure |",
        "| --- | --- |",
    ]
    lines += [f"| {a} | {b} |" for a, b in rows]
    if notes:
        lines += ["", notes]
    section = "\n".join(lines) + "\n"
    print(section)
    _store(title, section)
    return section


def _store(title: str, section: str) -> None:
    text = (
        RESULTS.read_text(encoding="utf-8")
        if RESULTS.exists()
        else "# Benchmark results\n\nProduced by the scripts in this folder; see README.md there.\n"
    )
    marker = f"## {title}\n"
    if marker in text:
        start = text.index(marker)
        end = text.find("\n## ", start + len(marker))
        text = text[:start] + section + ("\n" + text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"
