"""MLflow tagging and querying (issue 4), measured in-process on a sqlite store.

1. Tagging a run: one batched `log_training_metadata_to_mlflow` against five `mlflow.set_tag`
   calls (goal: at most half the time), and tags given at `start_run` (`training_run`).
2. `list_runs_by_bot_version` on a store of 10,000 runs (500 per version, 20 versions)
   against a bare `MlflowClient.search_runs` with the same filter (goal: within 2x).
Run: python benchmarks/bench_mlflow.py [--refresh]   (the store is built once, in .work/)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

from _harness import WORK, ensure_venv, ms, report, venv_bin

RUNS_PER_VERSION = 500
VERSIONS = [f"2.{minor}.0" for minor in range(20)]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples)


def worker() -> None:  # runs inside the benchmark virtualenv
    import mlflow
    from mlflow.entities import RunTag
    from mlflow.tracking import MlflowClient

    from ares_release import mlflow_utils
    from ares_release.mlflow_utils import list_runs_by_bot_version, log_training_metadata_to_mlflow

    os.environ["ARES_BOT_VERSION"] = "2.0.0"
    store = WORK / "mlflow-bench.db"
    uri = f"sqlite:///{store}"
    mlflow.set_tracking_uri(uri)
    client = MlflowClient()
    big = client.get_experiment_by_name("bench_10k")
    if big is None:
        exp = client.create_experiment("bench_10k")
        for version in VERSIONS:
            for i in range(RUNS_PER_VERSION):
                run = client.create_run(exp, tags={"bot_version": version, "symbol": "ETHUSDT"})
                client.log_batch(run.info.run_id, tags=[RunTag("i", str(i))])
        big = client.get_experiment(exp)
    mlflow.set_experiment("bench_tagging")
    five, batched, at_start = [], [], []
    for _ in range(60):
        with mlflow.start_run():
            start = time.perf_counter()
            for key, value in (
                ("bot_version", "2.0.0"),
                ("training_date", "2026-12-04"),
                ("model_type", "m"),
                ("symbol", "ETHUSDT"),
                ("timeframe", "15m"),
            ):
                mlflow.set_tag(key, value)
            five.append(time.perf_counter() - start)
        with mlflow.start_run():
            start = time.perf_counter()
            log_training_metadata_to_mlflow("ETHUSDT", "15m", "m")
            batched.append(time.perf_counter() - start)
        start = time.perf_counter()
        with mlflow.start_run():
            pass
        plain = time.perf_counter() - start
        start = time.perf_counter()
        with mlflow_utils.training_run("ETHUSDT", "15m", "m", experiment="bench_tagging"):
            pass
        at_start.append(time.perf_counter() - start - plain)
    query, bare = [], []
    for version in VERSIONS[:10] * 2:
        start = time.perf_counter()
        found = list_runs_by_bot_version(version, experiment="bench_10k")
        query.append(time.perf_counter() - start)
        start = time.perf_counter()
        page = client.search_runs(
            [big.experiment_id],
            f"tags.bot_version = '{version}'",
            max_results=1000,
            order_by=["attributes.start_time DESC"],
        )
        bare.append(time.perf_counter() - start)
        assert len(found) == len(page) == RUNS_PER_VERSION
    print(
        repr(
            {
                "five": _median_ms(five),
                "batched": _median_ms(batched),
                "at_start": _median_ms(at_start),
                "query": _median_ms(query),
                "bare": _median_ms(bare),
            }
        )
    )


def main() -> None:
    ensure_venv(refresh="--refresh" in sys.argv)
    done = subprocess.run(
        [venv_bin("python"), __file__, "--worker"], capture_output=True, text=True, check=True
    )
    figures = eval(done.stdout.strip().splitlines()[-1])
    report(
        "MLflow tagging and queries (issue 4)",
        [
            ("five `mlflow.set_tag` calls on a run (sqlite)", ms(figures["five"])),
            ("one `log_training_metadata_to_mlflow` (one `log_batch`)", ms(figures["batched"])),
            (
                "ratio batched / five set_tag (goal: at most 0.5x)",
                f"{figures['batched'] / figures['five']:.2f}x",
            ),
            (
                "extra cost of the five tags given at `start_run` (`training_run`)",
                ms(figures["at_start"]),
            ),
            ("bare `MlflowClient.search_runs`, 500 of 10,000 runs", ms(figures["bare"])),
            ("`list_runs_by_bot_version`, same filter, dicts built", ms(figures["query"])),
            ("ratio (goal: within 2x)", f"{figures['query'] / figures['bare']:.2f}x"),
        ],
    )


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    else:
        main()
