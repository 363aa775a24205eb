"""The seed's helpers, against a sqlite store and a real ``mlflow server``."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mlflow")

import mlflow
from mlflow.tracking import MlflowClient

from ares_release import mlflow_utils
from ares_release.errors import AresReleaseError, TrackingError
from ares_release.mlflow_utils import (
    create_run_with_version,
    get_run_with_bot_version,
    list_runs_by_bot_version,
    log_bot_version_to_mlflow,
    log_training_metadata_to_mlflow,
    tag_model_version,
    training_run,
)

from .conftest import git

pytestmark = pytest.mark.slow
FIVE = {"bot_version", "training_date", "model_type", "symbol", "timeframe"}


def tags_of(run_id: str) -> dict[str, str]:
    return dict(MlflowClient().get_run(run_id).data.tags)


def test_log_bot_version_tags_the_active_run(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        assert log_bot_version_to_mlflow() == "2.0.0"  # read from src/config.py
    assert tags_of(run.info.run_id)["bot_version"] == "2.0.0"


def test_version_sources_in_order(
    tracking_uri: str, ares_repo: Path, experiment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mlflow.set_experiment(experiment)
    monkeypatch.setenv("ARES_BOT_VERSION", "2.5.0-rc.1")
    with mlflow.start_run() as run:
        assert log_bot_version_to_mlflow() == "2.5.0-rc.1"
        assert log_bot_version_to_mlflow("3.0.0") == "3.0.0"
    assert tags_of(run.info.run_id)["bot_version"] == "3.0.0"
    monkeypatch.setenv("ARES_BOT_VERSION", "latest")
    with (
        mlflow.start_run(),
        pytest.raises(ValueError, match="ARES_BOT_VERSION: 'latest' is not a SemVer"),
    ):
        log_bot_version_to_mlflow()


def test_no_active_run_is_an_error_and_no_run_is_started(
    tracking_uri: str, ares_repo: Path
) -> None:
    assert mlflow.active_run() is None
    with pytest.raises(AresReleaseError, match="no active MLflow run to tag"):
        log_bot_version_to_mlflow()
    with pytest.raises(AresReleaseError, match="no active MLflow run to tag"):
        log_training_metadata_to_mlflow("ETHUSDT", "15m", "ensemble_model")
    assert mlflow.active_run() is None


def test_training_metadata_in_one_batch(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        written = log_training_metadata_to_mlflow(
            "ETHUSDT", "15m", "enhanced_training", extra_tags={"exchange": "bybit"}
        )
    tags = tags_of(run.info.run_id)
    assert {k: tags[k] for k in FIVE} == {k: written[k] for k in FIVE}
    assert (tags["symbol"], tags["timeframe"], tags["model_type"]) == (
        "ETHUSDT",
        "15m",
        "enhanced_training",
    )
    assert tags["exchange"] == "bybit"
    import datetime

    datetime.date.fromisoformat(tags["training_date"])


def test_metadata_for_a_finished_run_by_id(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    mlflow.set_experiment(experiment)
    with mlflow.start_run() as run:
        pass
    log_training_metadata_to_mlflow(
        "BTCUSDT", "1h", "lstm", run_id=run.info.run_id, version="2.0.1"
    )
    assert tags_of(run.info.run_id)["bot_version"] == "2.0.1"


def test_training_run_creates_the_run_already_tagged(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    with training_run("ETHUSDT", "15m", "ensemble_model", run_name="nightly") as run:
        # Inside the block, before anything else is logged, the run carries all five tags.
        assert set(tags_of(run.info.run_id)) >= FIVE
        mlflow.log_metric("accuracy", 0.85)
    stored = MlflowClient().get_run(run.info.run_id)
    assert stored.info.run_name == "nightly"
    assert MlflowClient().get_experiment(stored.info.experiment_id).name == experiment


def test_get_run_with_bot_version(tracking_uri: str, ares_repo: Path, experiment: str) -> None:
    with training_run("ETHUSDT", "15m", "ensemble_model") as run:
        mlflow.log_metric("accuracy", 0.85)
        mlflow.log_param("window", 64)
    info = get_run_with_bot_version(run.info.run_id)
    assert info is not None
    assert set(info) == {
        "run_id",
        "bot_version",
        "training_date",
        "model_type",
        "symbol",
        "timeframe",
        "metrics",
        "params",
        "status",
        "start_time",
    }
    assert (
        info["bot_version"],
        info["symbol"],
        info["metrics"],
        info["params"],
        info["status"],
    ) == ("2.0.0", "ETHUSDT", {"accuracy": 0.85}, {"window": "64"}, "FINISHED")
    assert get_run_with_bot_version("0" * 32) is None


def test_list_runs_filters_in_the_store_newest_first_across_pages(
    tracking_uri: str, ares_repo: Path, experiment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = []
    for i, version in enumerate(["2.0.0", "2.1.0", "2.0.0", "2.0.0", "2.1.0", "2.0.0"]):
        with training_run("ETHUSDT", "15m", "m", version=version) as run:
            mlflow.log_metric("accuracy", i / 10)
        ids.append((version, run.info.run_id))
    monkeypatch.setattr(mlflow_utils, "PAGE_SIZE", 2)  # force several pages
    found = list_runs_by_bot_version("2.0.0")
    expected = [rid for v, rid in reversed(ids) if v == "2.0.0"]
    assert [r["run_id"] for r in found] == expected
    assert [r["run_id"] for r in list_runs_by_bot_version("2.0.0", max_results=3)] == expected[:3]
    assert list_runs_by_bot_version("9.9.9") == []
    assert list_runs_by_bot_version("2.0.0", experiment="No_Such_Experiment") == []


@pytest.mark.parametrize("bad", ["2.0", "2.0.0' OR tags.x = 'y", "", "v2.0.0"])
def test_list_runs_refuses_what_is_not_semver(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a SemVer"):
        list_runs_by_bot_version(bad)


def test_tracking_errors_warn_unless_strict(
    tracking_uri: str, ares_repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "f" * 32
    with caplog.at_level(logging.WARNING, logger="ares_release.mlflow_utils"):
        assert log_bot_version_to_mlflow(run_id=missing) == "2.0.0"
    assert "tagging bot_version failed (the run goes on untagged)" in caplog.text
    with pytest.raises(TrackingError, match="logging training metadata failed"):
        log_training_metadata_to_mlflow("ETHUSDT", "15m", "m", run_id=missing, strict=True)


def test_create_run_with_version_for_client_runs(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    client = MlflowClient()
    exp = client.create_experiment(experiment + "_client")
    run = create_run_with_version(client, exp, symbol="ETHUSDT", timeframe="15m", model_type="m")
    assert set(run.data.tags) >= FIVE
    assert tags_of(run.info.run_id)["bot_version"] == "2.0.0"


def test_tag_model_version_copies_the_bot_version(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    with training_run("ETHUSDT", "15m", "ensemble_model", version="2.0.0") as run:
        pass
    client = MlflowClient()
    name = f"{experiment}_model"
    client.create_registered_model(name)
    mv = client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    assert "bot_version" not in client.get_model_version(name, mv.version).tags
    assert tag_model_version(name, mv.version) == "2.0.0"
    assert client.get_model_version(name, mv.version).tags["bot_version"] == "2.0.0"


def test_importing_the_module_does_not_import_mlflow() -> None:
    code = "import ares_release.mlflow_utils, ares_release.mlflow_context, sys\n"
    code += "print('mlflow' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_without_the_extra_the_error_names_the_install_command(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['mlflow'] = None\n"
        "from ares_release.mlflow_utils import log_bot_version_to_mlflow\n"
        "try:\n    log_bot_version_to_mlflow('2.0.0')\n"
        "except Exception as e:\n    print(type(e).__name__, e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.stdout.startswith("OptionalDependencyError")
    assert 'pip install "ares-release[mlflow]"' in done.stdout


def test_repository_version_is_read_without_executing_config(
    tracking_uri: str, ares_repo: Path, experiment: str
) -> None:
    config = ares_repo / "src" / "config.py"
    config.write_text('raise SystemExit("executed")\nARES_VERSION = "2.0.0"\n')
    git(ares_repo, "commit", "-qam", "chore: side effects")
    with training_run("ETHUSDT", "15m", "m") as run:
        pass
    assert tags_of(run.info.run_id)["bot_version"] == "2.0.0"


def test_tracking_uri_defaults_to_the_seeds_sqlite_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mlflow.tracking._tracking_service import utils as tracking_utils

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.setattr(tracking_utils, "_tracking_uri", None)
    assert mlflow_utils.ensure_tracking_uri() == "sqlite:///mlruns.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:1")
    monkeypatch.setattr(tracking_utils, "_tracking_uri", None)
    assert mlflow_utils.ensure_tracking_uri() == "http://127.0.0.1:1"  # MLflow's own rules first


def test_trainers_starting_together_share_the_new_experiment(
    tracking_uri: str, ares_repo: Path, experiment: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two trainers both find the experiment missing; the one that loses the race to create it
    must use the winner's experiment, not fail. The store is real; only the interleaving is
    forced: the second trainer's lookup happened before the first trainer's create."""
    first = mlflow_utils.experiment_id(experiment, create=True)
    real_lookup = MlflowClient.get_experiment_by_name
    looks: list[str] = []

    def stale_first_look(self: MlflowClient, name: str) -> object:
        looks.append(name)
        return None if len(looks) == 1 else real_lookup(self, name)

    monkeypatch.setattr(MlflowClient, "get_experiment_by_name", stale_first_look)
    assert mlflow_utils.experiment_id(experiment, create=True) == first
    assert looks == [experiment, experiment]
