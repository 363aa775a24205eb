"""``demo``: a throwaway Ares-style repository, and ares-release at work on it.

Each step runs the real command in a subprocess and prints its real output. Nothing outside
the demo folder is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import AresReleaseError
from .git import IDENTITY, commit_all, init, tag_head

Echo = Callable[[str], None]

CONFIG_PY = '''\
"""Ares trading bot configuration (demo copy)."""
import os

print("src/config.py was executed!")  # ares-release never imports this file

ARES_VERSION = "2.0.0"  # Used for model versioning

CONFIG = {
    "MLFLOW_TRACKING_URI": os.getenv("MLFLOW_TRACKING_URI", "sqlite:///mlruns.db"),
    "MLFLOW_EXPERIMENT_NAME": "Ares_Trading_Models",
}
'''

CHANGELOG = """\
# Ares Bot Changelog

All notable changes to the Ares trading bot are documented in this file.

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),
and the bot adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).

## [Unreleased]

### Fixed

- Order router retried cancelled orders on reconnect.

## [2.0.0] - 2025-06-02

### Added

- MLflow version tracking: every run is tagged with `bot_version`.
- Enhanced training manager with walk-forward validation.

### Removed

- **BREAKING** The legacy single-model trainer.

## [1.1.0] - 2025-03-14

### Added

- ETHUSDT 15m ensemble model.

### Fixed

- Funding-rate feature used the wrong sign on Bybit.

## [1.0.0] - 2025-01-20

### Added

- First live release of the Ares bot.

[Unreleased]: https://github.com/example/ares/compare/v2.0.0...HEAD
[2.0.0]: https://github.com/example/ares/compare/v1.1.0...v2.0.0
[1.1.0]: https://github.com/example/ares/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/example/ares/releases/tag/v1.0.0
"""

TRAIN_PY = '''\
"""Stand-in for the Ares training pipeline: a few runs per bot version, as the bot logs them."""
import random

import mlflow
from mlflow.tracking import MlflowClient

from ares_release.mlflow_utils import get_bot_version, tag_model_version, training_run

version = get_bot_version()  # ARES_VERSION from src/config.py, read without importing it
rng = random.Random(version)
base = {"2.0.0": 0.78, "2.1.0": 0.83}.get(version, 0.80)
for symbol in ("ETHUSDT", "BTCUSDT", "SOLUSDT"):
    with training_run(symbol, "15m", "ensemble_model") as run:  # created with all five tags
        mlflow.log_metric("accuracy", round(base + rng.uniform(-0.02, 0.02), 4))
        mlflow.log_metric("sharpe", round(1.1 + (base - 0.78) * 8 + rng.uniform(-0.1, 0.1), 3))
    if symbol == "ETHUSDT":  # register the ETHUSDT model; versions do not inherit run tags
        client = MlflowClient()
        if not client.search_registered_models(filter_string="name = 'ares_ethusdt_15m'"):
            client.create_registered_model("ares_ethusdt_15m")
        model = client.create_model_version(
            "ares_ethusdt_15m", f"runs:/{run.info.run_id}/model", run_id=run.info.run_id
        )
        tag_model_version("ares_ethusdt_15m", model.version)

# No helper at all: the ares-release run context provider still tags the run.
mlflow.set_experiment("Ares_Trading_Models")
with mlflow.start_run(run_name="plain-start-run") as run:
    pass
tags = MlflowClient().get_run(run.info.run_id).data.tags
print(f"logged 3 training runs for bot {version}; a plain mlflow.start_run() got bot_version="
      f"{tags.get('bot_version')}")
'''

BROKEN = (
    ("## [1.1.0] - 2025-03-14", "## [1.1.0] - 2025-09-31"),
    ("### Fixed\n\n- Funding-rate", "### Fixes\n\n- Funding-rate"),
    ("## [1.0.0] - 2025-01-20", "## [1.0.0] - 2025-11-20"),
)


def build_repository(root: Path) -> None:
    """Write the Ares files and commit them in a few steps, as a real history would."""
    (root / "src").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "src" / "config.py").write_text(CONFIG_PY.replace("2.0.0", "1.1.0"), "utf-8")
    (root / "docs" / "BOT_CHANGELOG.md").write_text(CHANGELOG, "utf-8")
    (root / "README.md").write_text("# Ares trading bot (ares-release demo)\n", "utf-8")
    (root / "train.py").write_text(TRAIN_PY, "utf-8")
    (root / ".gitignore").write_text("mlruns.db\nmlruns.db.lock\nmlruns/\n", "utf-8")
    init(root)
    commit_all(root, "feat: first tracked version of the Ares bot", env=IDENTITY)
    (root / "src" / "config.py").write_text(CONFIG_PY, "utf-8")
    commit_all(root, "chore(release): 2.0.0", env=IDENTITY)
    tag_head(root, "v2.0.0", "Release 2.0.0", env=IDENTITY)
    for path, text, message in (
        (
            "src/risk.py",
            "MAX_POSITION = {'ETHUSDT': 5.0}\n",
            "feat(risk): per-symbol position caps (#31)",
        ),
        ("src/exchange.py", "RETRY_ON = (502, 503)\n", "fix(exchange): retry orders on HTTP 502"),
        ("docs/RISK.md", "# Risk limits\n", "docs: explain the risk limits"),
    ):
        (root / path).write_text(text, "utf-8")
        commit_all(root, message, env=IDENTITY)


def _run(root: Path, echo: Echo, *args: str, program: str = "ares-release") -> int:
    echo(f"$ {program} {' '.join(args)}")
    argv = {"ares-release": [sys.executable, "-m", "ares_release"], "python": [sys.executable]}
    tracking = {"MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlruns.db'}"}
    done = subprocess.run(
        [*argv.get(program, [program]), *args],
        cwd=root,
        env={**os.environ, **IDENTITY, **tracking},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    echo(done.stdout.rstrip("\n"))
    if done.returncode:
        echo(f"(exit code {done.returncode})")
    echo("")
    return done.returncode


def show(root: Path, echo: Echo) -> None:
    changelog = root / "docs" / "BOT_CHANGELOG.md"
    echo("== The version constant, read without executing src/config.py")
    _run(root, echo, "version")
    echo("== A clean changelog passes")
    _run(root, echo, "check")
    echo("== A broken one: an impossible date, a misspelt section, dates out of order")
    good = changelog.read_text("utf-8")
    broken = good
    for old, new in BROKEN:
        broken = broken.replace(old, new, 1)
    changelog.write_text(broken, "utf-8")
    _run(root, echo, "check")
    changelog.write_text(good, "utf-8")
    echo("== Release notes for the newest release, ready for 'gh release create --notes-file -'")
    _run(root, echo, "notes")
    mlflow = _has_mlflow()
    if mlflow:
        echo("== Training with MLflow: every run carries the bot version (sqlite:///mlruns.db)")
        _run(root, echo, "train.py", program="python")
        _run(root, echo, "runs", "list", "--version", "2.0.0")
    echo(
        "== Drafting Unreleased from the Conventional Commits since v2.0.0 (hand-written entries "
        "stay)"
    )
    _run(root, echo, "draft", "--dry-run")
    _run(root, echo, "draft")
    echo("== The release, planned: 'auto' reads Unreleased and picks the level; nothing changes")
    _run(root, echo, "bump", "auto", "--dry-run")
    echo("== The release, made: both files, one commit, one annotated tag, all or nothing")
    _run(root, echo, "bump", "auto")
    _run(root, echo, "log", "--oneline", "--decorate", "-3", program="git")
    _run(root, echo, "show", "--stat", "--format=%s", "HEAD", program="git")
    _run(root, echo, "version")
    _run(root, echo, "check")
    if not mlflow:
        echo(
            '(MLflow is not installed: pip install "ares-release[mlflow]" to see the training runs)'
        )
        return
    echo("== Training again on the new version, then comparing the two versions")
    _run(root, echo, "train.py", program="python")
    _run(root, echo, "runs", "compare", "2.0.0", "2.1.0", "--metric", "accuracy")
    echo("== What rolling back to 2.0.0 would mean, with its runs best first")
    _run(root, echo, "rollback", "2.0.0", "--metric", "accuracy")


def _has_mlflow() -> bool:
    import importlib.util

    return importlib.util.find_spec("mlflow") is not None


def run_demo(path: Path | None, *, echo: Echo) -> None:
    if path is not None:
        if path.exists() and any(path.iterdir()):
            raise AresReleaseError(
                f"{path}: not empty; give --path a new or empty folder for the demo repository"
            )
        path.mkdir(parents=True, exist_ok=True)
        _demo(path.resolve(), echo)
        echo(f"The demo repository is kept in {path}")
        return
    with tempfile.TemporaryDirectory(prefix="ares-demo-") as tmp:
        _demo(Path(tmp) / "ares-bot", echo)
    echo("The demo repository was temporary and has been removed (use --path to keep one).")


def _demo(root: Path, echo: Echo) -> None:
    root.mkdir(parents=True, exist_ok=True)
    echo(f"Building a demo Ares repository in {root}\n")
    build_repository(root)
    show(root, echo)
