"""Queries and comparisons of MLflow runs across bot versions (MLflow imported on use)."""

from __future__ import annotations

import os
import statistics
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any, NamedTuple

from .errors import TrackingError
from .precedence import Key, is_semver, precedence_key

PROBE_TIMEOUT = 10  # seconds; with the bounded retries below, a dead server fails in < 30 s


class VersionStats(NamedTuple):
    version: str
    runs: int  # runs of this version that logged the metric
    mean: float | None
    median: float | None
    best: float | None
    worst: float | None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"version": self.version, "count": self.runs}
        data.update(mean=self.mean, median=self.median, best=self.best, worst=self.worst)
        return data


def bound_tracking_time() -> None:
    """Make MLflow give up quickly (its defaults retry for about four minutes)."""
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", str(PROBE_TIMEOUT))


def connect(experiment: str | None = None) -> str:
    """Set up MLflow for a command and check the tracking server answers; returns the URI."""
    import gc

    gc.enable()  # MLflow is long-lived enough to want it
    bound_tracking_time()
    from .mlflow_utils import configured_experiment, ensure_tracking_uri

    uri = ensure_tracking_uri()
    if uri.startswith(("http://", "https://")):
        name = urllib.parse.quote(experiment or configured_experiment())
        url = f"{uri.rstrip('/')}/api/2.0/mlflow/experiments/get-by-name?experiment_name={name}"
        try:
            with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT):
                pass
        except urllib.error.HTTPError as exc:
            if exc.code not in (400, 404):  # 404: no such experiment, which is fine
                raise TrackingError(
                    f"the MLflow tracking server at {uri} answered HTTP {exc.code}"
                ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TrackingError(
                f"cannot reach the MLflow tracking server at {uri} ({reason}); start it, or set "
                "MLFLOW_TRACKING_URI"
            ) from None
    return uri


def metric_values(runs: Iterable[dict[str, Any]], metric: str) -> list[float]:
    return [float(r["metrics"][metric]) for r in runs if metric in r["metrics"]]


def stats(version: str, values: list[float], *, minimize: bool) -> VersionStats:
    if not values:
        return VersionStats(version, 0, None, None, None, None)
    best, worst = (min(values), max(values)) if minimize else (max(values), min(values))
    return VersionStats(
        version, len(values), statistics.fmean(values), statistics.median(values), best, worst
    )


def compare(
    versions: list[str], metric: str, *, experiment: str | None = None, minimize: bool = False
) -> list[VersionStats]:
    """Per version: how many runs logged ``metric``, and its mean, median, best and worst."""
    from .mlflow_utils import list_runs_by_bot_version

    return [
        stats(
            v,
            metric_values(list_runs_by_bot_version(v, experiment=experiment), metric),
            minimize=minimize,
        )
        for v in versions
    ]


def runs_by_version(experiment: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every run with a SemVer ``bot_version`` tag, grouped by version in SemVer order."""
    from .mlflow_utils import experiment_id, run_info, search_runs

    found = experiment_id(experiment)
    if found is None:
        return {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for run in search_runs([found], "tags.bot_version LIKE '%'"):
        info = run_info(run)
        if is_semver(info["bot_version"] or ""):
            grouped.setdefault(info["bot_version"], []).append(info)
    return {v: grouped[v] for v in sorted(grouped, key=_semver_order)}


def _semver_order(version: str) -> Key:
    key = precedence_key(version)
    assert key is not None  # only SemVer versions are grouped
    return key


def trend(
    metric: str, *, experiment: str | None = None, minimize: bool = False
) -> list[VersionStats]:
    """The metric per bot version, in SemVer order (versions without it are left out)."""
    rows = [
        stats(v, metric_values(runs, metric), minimize=minimize)
        for v, runs in runs_by_version(experiment).items()
    ]
    return [r for r in rows if r.runs]


def plot_trend(rows: list[VersionStats], metric: str, path: str) -> None:
    """A PNG line chart of the mean (with best and worst) per version (needs matplotlib)."""
    from ._optional import require

    matplotlib = require("matplotlib")
    matplotlib.use("Agg")
    pyplot = require("matplotlib.pyplot")
    figure, axes = pyplot.subplots(figsize=(8, 4.5), dpi=100)
    labels = [r.version for r in rows]
    xs = list(range(len(rows)))
    axes.plot(xs, [r.mean for r in rows], marker="o", label=f"mean {metric}")
    axes.fill_between(
        xs, [r.worst for r in rows], [r.best for r in rows], alpha=0.2, label="best to worst"
    )
    axes.set_xticks(xs, labels, rotation=45 if len(rows) > 6 else 0)
    axes.set_xlabel("bot version")
    axes.set_ylabel(metric)
    axes.set_title(f"{metric} by bot version")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


def sort_best_first(
    runs: list[dict[str, Any]], metric: str | None, *, minimize: bool
) -> list[dict[str, Any]]:
    """Runs with the metric first, best first; the rest after, newest first."""
    if metric is None:
        return runs
    with_metric = [r for r in runs if metric in r["metrics"]]
    without = [r for r in runs if metric not in r["metrics"]]
    with_metric.sort(key=lambda r: float(r["metrics"][metric]), reverse=not minimize)
    return with_metric + without
