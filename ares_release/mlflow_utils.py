"""Bot-version tracking for MLflow runs: a drop-in for the seed's ``src.utils.mlflow_utils``.

Every run carries ``bot_version``, ``training_date``, ``model_type``, ``symbol`` and
``timeframe``, so models can be traced to the code that trained them and runs found and
compared by bot version::

    from ares_release.mlflow_utils import training_run

    with training_run("ETHUSDT", "15m", "ensemble_model"):
        ...  # the run is created with all five tags; it never exists untagged

Importing this module does not import MLflow; the first call does. The bot version comes from
the ``version`` argument, else ``ARES_BOT_VERSION``, else the repository's version constant
(found from the current directory, read without executing it, cached per process).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._optional import require
from .errors import AresReleaseError, TrackingError
from .precedence import is_semver

if TYPE_CHECKING:
    from mlflow import ActiveRun
    from mlflow.entities import Run
    from mlflow.tracking import MlflowClient

__all__ = [
    "DEFAULT_EXPERIMENT",
    "DEFAULT_TRACKING_URI",
    "TAG_KEYS",
    "create_run_with_version",
    "get_bot_version",
    "get_run_with_bot_version",
    "list_runs_by_bot_version",
    "log_bot_version_to_mlflow",
    "log_training_metadata_to_mlflow",
    "tag_model_version",
    "training_run",
]

DEFAULT_TRACKING_URI = "sqlite:///mlruns.db"  # the seed's default
DEFAULT_EXPERIMENT = "Ares_Trading_Models"
VERSION_ENV = "ARES_BOT_VERSION"
TAG_KEYS = ("bot_version", "training_date", "model_type", "symbol", "timeframe")
PAGE_SIZE = 1000

_log = logging.getLogger(__name__)
_version_cache: dict[Path, str] = {}


def _mlflow() -> Any:
    """MLflow, or an error naming the extra that installs it."""
    return require("mlflow")


def get_bot_version(version: str | None = None) -> str:
    """The bot version: ``version``, else ``ARES_BOT_VERSION``, else the repository constant."""
    if version is not None:
        return _valid(version, "the version argument")
    from_env = os.environ.get(VERSION_ENV)
    if from_env:
        return _valid(from_env.strip(), VERSION_ENV)
    from .project import load_project
    from .version_file import read_version

    config = load_project().config
    path = config.version_path
    if path not in _version_cache:
        _version_cache[path] = read_version(path, config.version_variable).value
    return _version_cache[path]


def _valid(version: str, source: str) -> str:
    if not is_semver(version):
        raise ValueError(f"{source}: {version!r} is not a SemVer 2.0.0 version such as 2.0.0")
    return version


def ensure_tracking_uri() -> str:
    """MLflow's tracking URI by its own rules, defaulting to the seed's ``sqlite:///mlruns.db``."""
    mlflow = _mlflow()
    if not mlflow.tracking.is_tracking_uri_set():
        mlflow.set_tracking_uri(DEFAULT_TRACKING_URI)
    return str(mlflow.get_tracking_uri())


_ready_stores: set[str] = set()


def _client() -> MlflowClient:
    uri = ensure_tracking_uri()
    if uri.startswith("sqlite:///") and uri not in _ready_stores:
        _init_sqlite_store(uri)
    client: MlflowClient = _mlflow().tracking.MlflowClient()
    return client


def _init_sqlite_store(uri: str) -> None:
    """Create or migrate a sqlite store under a lock, once per process.

    MLflow creates and migrates a sqlite store's tables when a process first opens it; several
    trainers starting at once on a new store would run those migrations together and fail.
    A lock file beside the database (``mlruns.db.lock``) lets one go first.
    """
    path = uri[len("sqlite:///") :].split("?", 1)[0]
    if not path or path == ":memory:":
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: MLflow's own behaviour
        _ready_stores.add(uri)
        return
    try:
        handle = open(f"{path}.lock", "a+")  # noqa: SIM115 - closed below
    except OSError:  # no such folder, read-only: MLflow reports that better than a lock can
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        _mlflow().tracking.MlflowClient(uri).search_experiments(max_results=1)
    _ready_stores.add(uri)


def metadata_tags(
    symbol: str,
    timeframe: str,
    model_type: str,
    *,
    version: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
) -> dict[str, str]:
    """The five training tags (plus ``extra_tags``), as MLflow stores them: strings."""
    tags = {
        "bot_version": get_bot_version(version),
        "training_date": datetime.now(timezone.utc).date().isoformat(),
        "model_type": str(model_type),
        "symbol": str(symbol),
        "timeframe": str(timeframe),
    }
    tags.update({str(k): str(v) for k, v in (extra_tags or {}).items()})
    return tags


def _target_run(run_id: str | None) -> str:
    if run_id is not None:
        return run_id
    active = _mlflow().active_run()
    if active is None:
        raise AresReleaseError(
            "no active MLflow run to tag; call this inside 'with mlflow.start_run():' (or "
            "training_run(...)), or pass run_id="
        )
    return str(active.info.run_id)


def _tracking_call(what: str, strict: bool, call: Any) -> bool:
    """Run a tracking call; unless ``strict``, a tracking failure is a warning, not a crash."""
    try:
        call()
    except Exception as exc:  # MlflowException, connection errors, ...
        if strict:
            raise TrackingError(f"{what} failed: {exc}") from exc
        _log.warning("ares-release: %s failed (the run goes on untagged): %s", what, exc)
        return False
    return True


def log_bot_version_to_mlflow(
    version: str | None = None, *, run_id: str | None = None, strict: bool = False
) -> str:
    """Tag the active run (or ``run_id``) with ``bot_version``; returns the version.

    Never starts a run: with no active run and no ``run_id`` it raises.
    """
    value = get_bot_version(version)
    target = _target_run(run_id)
    client = _client()
    _tracking_call(
        "tagging bot_version", strict, lambda: client.set_tag(target, "bot_version", value)
    )
    return value


def log_training_metadata_to_mlflow(
    symbol: str,
    timeframe: str,
    model_type: str,
    *,
    version: str | None = None,
    run_id: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
    strict: bool = False,
) -> dict[str, str]:
    """Write ``bot_version``, ``training_date``, ``model_type``, ``symbol``, ``timeframe`` (and
    ``extra_tags``) to the active run or ``run_id`` in one batched call; returns the tags."""
    tags = metadata_tags(symbol, timeframe, model_type, version=version, extra_tags=extra_tags)
    target = _target_run(run_id)
    client = _client()
    run_tag = _mlflow().entities.RunTag
    batch = [run_tag(k, v) for k, v in tags.items()]
    _tracking_call(
        "logging training metadata", strict, lambda: client.log_batch(target, tags=batch)
    )
    return tags


def experiment_id(name: str | None = None, *, create: bool = False) -> str | None:
    """The id of experiment ``name`` (default: the configured one), created if asked."""
    client = _client()
    wanted = name or configured_experiment()
    found = client.get_experiment_by_name(wanted)
    if found is not None:
        return str(found.experiment_id)
    if wanted.isdigit():
        with contextlib.suppress(Exception):
            return str(client.get_experiment(wanted).experiment_id)
    if not create:
        return None
    try:
        return str(client.create_experiment(wanted))
    except _mlflow().exceptions.MlflowException as exc:
        # Several trainers starting at once all see it missing; one creates it.
        if getattr(exc, "error_code", "") != "RESOURCE_ALREADY_EXISTS":
            raise
        created = client.get_experiment_by_name(wanted)
        if created is None:  # pragma: no cover - deleted again in between
            raise
        return str(created.experiment_id)


def configured_experiment() -> str:
    """``mlflow_experiment`` from the repository's config, else ``Ares_Trading_Models``."""
    try:
        from .project import load_project

        return load_project().config.mlflow_experiment
    except AresReleaseError:
        return DEFAULT_EXPERIMENT


@contextlib.contextmanager
def training_run(
    symbol: str,
    timeframe: str,
    model_type: str,
    *,
    version: str | None = None,
    experiment: str | None = None,
    extra_tags: Mapping[str, Any] | None = None,
    **start_run_kwargs: Any,
) -> Iterator[ActiveRun]:
    """``mlflow.start_run`` with all five tags given at creation: the run never exists untagged.

    The experiment is ``experiment`` (a name), else ``experiment_id=``/``MLFLOW_EXPERIMENT_*``
    as MLflow reads them, else the configured one (created when missing).
    """
    mlflow = _mlflow()
    tags = metadata_tags(symbol, timeframe, model_type, version=version, extra_tags=extra_tags)
    tags.update({str(k): str(v) for k, v in (start_run_kwargs.pop("tags", None) or {}).items()})
    ensure_tracking_uri()
    nested = start_run_kwargs.get("nested") or start_run_kwargs.get("run_id")
    env_experiment = os.environ.get("MLFLOW_EXPERIMENT_NAME") or os.environ.get(
        "MLFLOW_EXPERIMENT_ID"
    )
    if (
        "experiment_id" not in start_run_kwargs
        and not nested
        and (experiment or not env_experiment)
    ):
        start_run_kwargs["experiment_id"] = experiment_id(experiment, create=True)
    with mlflow.start_run(tags=tags, **start_run_kwargs) as run:
        yield run


def create_run_with_version(
    client: MlflowClient,
    experiment_id: str,
    *,
    symbol: str | None = None,
    timeframe: str | None = None,
    model_type: str | None = None,
    version: str | None = None,
    tags: Mapping[str, Any] | None = None,
    run_name: str | None = None,
) -> Run:
    """``client.create_run`` with the bot version (and any training tags given) at creation.

    Runs made with ``MlflowClient.create_run`` skip MLflow's run context providers, so the
    automatic ``bot_version`` tag does not reach them; use this instead.
    """
    created: dict[str, str] = {"bot_version": get_bot_version(version)}
    for key, value in (("symbol", symbol), ("timeframe", timeframe), ("model_type", model_type)):
        if value is not None:
            created[key] = str(value)
    if symbol is not None or timeframe is not None or model_type is not None:
        created["training_date"] = datetime.now(timezone.utc).date().isoformat()
    created.update({str(k): str(v) for k, v in (tags or {}).items()})
    return client.create_run(experiment_id, tags=created, run_name=run_name)


def run_info(run: Run) -> dict[str, Any]:
    """The seed's run dictionary for a run."""
    tags = run.data.tags
    return {
        "run_id": run.info.run_id,
        "bot_version": tags.get("bot_version"),
        "training_date": tags.get("training_date"),
        "model_type": tags.get("model_type"),
        "symbol": tags.get("symbol"),
        "timeframe": tags.get("timeframe"),
        "metrics": dict(run.data.metrics),
        "params": dict(run.data.params),
        "status": run.info.status,
        "start_time": run.info.start_time,
    }


def get_run_with_bot_version(run_id: str) -> dict[str, Any] | None:
    """The run's id, bot version, training tags, metrics, params, status and start time;
    None when there is no such run."""
    mlflow = _mlflow()
    client = _client()
    try:
        return run_info(client.get_run(run_id))
    except mlflow.exceptions.MlflowException as exc:
        if getattr(exc, "error_code", "") in ("RESOURCE_DOES_NOT_EXIST", "INVALID_PARAMETER_VALUE"):
            return None
        raise TrackingError(f"reading run {run_id} failed: {exc}") from exc


def list_runs_by_bot_version(
    version: str, *, experiment: str | None = None, max_results: int | None = None
) -> list[dict[str, Any]]:
    """Runs tagged ``bot_version = version``, newest first, across all result pages.

    The filter runs in the tracking store. ``version`` must be SemVer (MLflow filter strings
    have no escaping, so nothing else is let through): anything else raises ValueError.
    """
    if not isinstance(version, str) or not is_semver(version):
        raise ValueError(f"{version!r} is not a SemVer 2.0.0 version such as 2.0.0")
    ids = _experiment_ids(experiment)
    if not ids:
        return []
    return [run_info(r) for r in search_runs(ids, f"tags.bot_version = '{version}'", max_results)]


def _experiment_ids(experiment: str | None) -> list[str]:
    found = experiment_id(experiment)
    return [found] if found else []


def search_runs(
    experiment_ids: list[str], filter_string: str, max_results: int | None = None
) -> list[Run]:
    """Every run matching the filter, newest first, following page tokens."""
    client = _client()
    runs: list[Run] = []
    token: str | None = None
    while True:
        want = PAGE_SIZE if max_results is None else min(PAGE_SIZE, max_results - len(runs))
        page = client.search_runs(
            experiment_ids,
            filter_string=filter_string,
            max_results=want,
            order_by=["attributes.start_time DESC"],
            page_token=token,
        )
        runs.extend(page)
        token = page.token
        if not token or (max_results is not None and len(runs) >= max_results):
            return runs


def tag_model_version(name: str, version: str | int) -> str:
    """Copy ``bot_version`` from a registered model version's run to the model version.

    Model versions do not inherit their run's tags. Returns the bot version written.
    """
    client = _client()
    model_version = client.get_model_version(name, str(version))
    if not model_version.run_id:
        raise AresReleaseError(f"model {name} version {version} has no source run to read from")
    bot_version = client.get_run(model_version.run_id).data.tags.get("bot_version")
    if not bot_version:
        raise AresReleaseError(
            f"run {model_version.run_id} (model {name} version {version}) has no bot_version tag"
        )
    client.set_model_version_tag(name, str(version), "bot_version", bot_version)
    return str(bot_version)
