"""``runs list/show/compare/trend`` and ``rollback``, against a sqlite store and a server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import Cli, git, run_module

pytest.importorskip("mlflow")
pytestmark = pytest.mark.slow

import mlflow  # noqa: E402

from ares_release.mlflow_utils import training_run  # noqa: E402

ACCURACY = {"2.0.0": [0.70, 0.80, 0.75], "2.1.0": [0.82, 0.90], "10.0.0": [0.95]}


def log_runs(
    metrics: dict[str, list[float]] = ACCURACY, metric: str = "accuracy"
) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for version, values in metrics.items():
        for value in values:
            with training_run("ETHUSDT", "15m", "ensemble_model", version=version) as run:
                mlflow.log_metric(metric, value)
            ids.setdefault(version, []).append(run.info.run_id)
    return ids


def test_runs_list_by_version(
    cli: Cli, tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    ids = log_runs()
    payload = json.loads(cli("runs", "list", "--version", "2.0.0", "--json").stdout)
    assert [r["run_id"] for r in payload] == list(reversed(ids["2.0.0"]))
    text = cli("runs", "list", "--version", "2.1.0")
    assert text.stdout.splitlines()[0].split() == [
        "run_id",
        "bot_version",
        "training_date",
        "model_type",
        "symbol",
        "timeframe",
        "status",
        "started",
    ]
    assert ids["2.1.0"][0] in text.stdout and ids["2.0.0"][0] not in text.stdout
    everything = json.loads(cli("runs", "list", "--json").stdout)
    assert len(everything) == 6
    assert len(json.loads(cli("runs", "list", "--json", "--limit", "2").stdout)) == 2


def test_runs_show(cli: Cli, tracking_uri: str, ares_repo: Path, experiment: str) -> None:
    run_id = log_runs({"2.0.0": [0.5]})["2.0.0"][0]
    out = cli("runs", "show", run_id).stdout
    assert f"run_id: {run_id}\nbot_version: 2.0.0\n" in out and "  accuracy: 0.5\n" in out
    assert json.loads(cli("runs", "show", run_id, "--json").stdout)["symbol"] == "ETHUSDT"
    assert f"no run {'0' * 32}" in cli("runs", "show", "0" * 32, code=1).stderr


def test_runs_compare(cli: Cli, tracking_uri: str, ares_repo: Path, experiment: str) -> None:
    log_runs()
    payload = json.loads(
        cli("runs", "compare", "2.0.0", "2.1.0", "--metric", "accuracy", "--json").stdout
    )
    assert payload["versions"][0] == {
        "version": "2.0.0",
        "count": 3,
        "mean": pytest.approx(0.75),
        "median": 0.75,
        "best": 0.80,
        "worst": 0.70,
    }
    assert payload["versions"][1] == {
        "version": "2.1.0",
        "count": 2,
        "mean": pytest.approx(0.86),
        "median": pytest.approx(0.86),
        "best": 0.90,
        "worst": 0.82,
    }
    lower = json.loads(
        cli(
            "runs", "compare", "2.0.0", "2.1.0", "--metric", "accuracy", "--minimize", "--json"
        ).stdout
    )
    assert (lower["versions"][0]["best"], lower["versions"][0]["worst"]) == (0.70, 0.80)
    text = cli("runs", "compare", "2.0.0", "2.1.0", "9.9.9", "--metric", "accuracy").stdout
    assert text.splitlines()[0] == "accuracy (higher is better)"
    assert text.splitlines()[-1].split() == ["9.9.9", "0", "-", "-", "-", "-"]
    cli("runs", "compare", "2.0.0", "--metric", "accuracy", code=2)
    bad = cli("runs", "compare", "2.0.0", "latest", "--metric", "accuracy", code=2).stderr
    assert "'latest' is not a SemVer version" in bad
    assert "'v2' is not a SemVer version" in cli("runs", "list", "--version", "v2", code=2).stderr


def test_runs_trend_in_semver_order_with_a_chart(
    cli: Cli, tracking_uri: str, ares_repo: Path, experiment: str, tmp_path: Path
) -> None:
    log_runs({**ACCURACY, "2.1.0-rc.1": [0.6]})
    png = tmp_path / "trend.png"
    payload = json.loads(
        cli("runs", "trend", "--metric", "accuracy", "--plot", str(png), "--json").stdout
    )
    assert [v["version"] for v in payload["versions"]] == ["2.0.0", "2.1.0-rc.1", "2.1.0", "10.0.0"]
    import matplotlib.image

    image = matplotlib.image.imread(str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.shape[0] >= 300 and image.shape[1] >= 600
    assert len(set(map(tuple, image.reshape(-1, image.shape[2])[::997].tolist()))) > 5  # not blank


def test_rollback_shows_what_going_back_means(
    cli: Cli, tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    git(ares_repo, "tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    cli("bump", "minor", "--date", "2026-12-04")
    ids = log_runs({"2.0.0": [0.70, 0.80]})
    client = mlflow.tracking.MlflowClient()
    name = f"{experiment}_model"
    client.create_registered_model(name)
    client.create_model_version(name, f"runs:/{ids['2.0.0'][0]}/model", run_id=ids["2.0.0"][0])
    client.create_model_version(name, f"runs:/{ids['2.0.0'][1]}/model", run_id=ids["2.0.0"][1])
    payload = json.loads(cli("rollback", "2.0.0", "--metric", "accuracy", "--json").stdout)
    assert payload["tag"] == "v2.0.0" and payload["current"] == "2.1.0"
    assert payload["commit"] == git(ares_repo, "rev-parse", "v2.0.0^{commit}").strip()
    assert payload["undone"][0] == {
        "version": "2.1.0",
        "date": "2026-12-04",
        "entries": ["Added: Per-symbol position caps in the risk manager."],
    }
    assert [r["run_id"] for r in payload["runs"]] == [
        ids["2.0.0"][1],
        ids["2.0.0"][0],
    ]  # best first
    assert [(m["version"], m["run_id"]) for m in payload["models"]] == [
        ("2", ids["2.0.0"][1]),
        ("1", ids["2.0.0"][0]),
    ]
    text = cli("rollback", "2.0.0", "--metric", "accuracy").stdout
    assert text.startswith("2.0.0: tag v2.0.0, commit ")
    assert "    - Added: Per-symbol position caps in the risk manager.\n" in text
    assert f"{name} v2  run {ids['2.0.0'][1]}  accuracy=0.8" in text


def test_rollback_checkout(cli: Cli, ares_repo: Path) -> None:
    git(ares_repo, "tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    cli("bump", "patch", "--date", "2026-12-04")
    (ares_repo / "src" / "config.py").write_text("# dirty\n")
    assert (
        "uncommitted changes in src/config.py"
        in cli("rollback", "2.0.0", "--no-runs", "--checkout", code=1).stderr
    )
    git(ares_repo, "checkout", "--", "src/config.py")
    out = cli("rollback", "2.0.0", "--no-runs", "--checkout").stdout
    assert "checked out v2.0.0 (detached HEAD)" in out
    assert git(ares_repo, "rev-parse", "HEAD") == git(ares_repo, "rev-parse", "v2.0.0^{commit}")
    assert cli("version").stdout == "2.0.0\n"


def test_rollback_to_an_unknown_version(cli: Cli, ares_repo: Path) -> None:
    git(ares_repo, "tag", "-a", "v2.0.0", "-m", "Release 2.0.0")
    err = cli("rollback", "1.5.0", "--no-runs", code=1).stderr
    assert "no tag v1.5.0 for version 1.5.0; release tags here: v2.0.0" in err


# --- an unreachable tracking server: one line naming the URI, well within 30 s -------------


def test_refused_connection(ares_repo: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uri = f"http://127.0.0.1:{port}"
    done = run_module("runs", "list", cwd=ares_repo, env={**os.environ, "MLFLOW_TRACKING_URI": uri})
    assert done.returncode == 1
    assert done.stderr == (
        f"ares-release: error: cannot reach the MLflow tracking server at {uri} "
        "([Errno 111] Connection refused); start it, or set MLFLOW_TRACKING_URI\n"
    )


def test_server_that_never_answers(ares_repo: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # accept, then say nothing
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    uri = f"http://127.0.0.1:{server.getsockname()[1]}"
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "ares_release",
                "runs",
                "compare",
                "2.0.0",
                "2.1.0",
                "--metric",
                "a",
            ],
            cwd=ares_repo,
            env={**os.environ, "MLFLOW_TRACKING_URI": uri},
            capture_output=True,
            text=True,
            timeout=30,  # the requirement: it gives up within 30 s
        )
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"ares-release: error: cannot reach the MLflow tracking server at {uri}"
    )
    assert done.stderr.count("\n") == 1


# --- several processes logging at once lose no tag ---------------------------------------

WORKER = """
import sys, mlflow
from ares_release.mlflow_utils import training_run
for i in range(5):
    with training_run("ETHUSDT", "15m", f"worker{sys.argv[1]}", version="2.0.0"):
        mlflow.log_metric("accuracy", i)
"""


def test_concurrent_processes_lose_no_tag(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(n)], cwd=ares_repo, stderr=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    for proc in procs:
        assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
    from ares_release.mlflow_utils import list_runs_by_bot_version

    runs = list_runs_by_bot_version("2.0.0")
    assert len(runs) == 20
    assert all(
        r["symbol"] == "ETHUSDT" and r["timeframe"] == "15m" and r["training_date"] for r in runs
    )
    assert sorted(r["model_type"] for r in runs) == sorted(
        f"worker{n}" for n in range(4) for _ in range(5)
    )


def test_rollback_outside_git(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert "refusing to roll back" in cli("rollback", "1.0.0", "--no-runs", code=1).stderr
