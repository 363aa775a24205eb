"""``runs`` and ``rollback``: MLflow runs by bot version (thin commands over runs.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

COLUMNS = ("run_id", "bot_version", "training_date", "model_type", "symbol", "timeframe", "status")


def _table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(h) for h in header]] + [["-" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    return "\n".join(lines) + "\n"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def _echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, default=str))


def _started(ms: int | None) -> str:
    if not ms:
        return "-"
    from datetime import datetime, timezone

    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M")


experiment_option = click.option("--experiment", help="Experiment name (default: from config).")
minimize_option = click.option("--minimize", is_flag=True, help="Lower values are better.")


def _require_semver(versions: Sequence[str]) -> None:
    from .precedence import is_semver

    for version in versions:
        if not is_semver(version):
            raise click.BadParameter(f"{version!r} is not a SemVer version such as 2.0.0")


@click.group()
def runs() -> None:
    """MLflow runs by bot version: list, show, compare, trend."""


@runs.command("list")
@click.option("--version", "version", help="Only runs of this bot version.")
@experiment_option
@click.option("--limit", type=click.IntRange(min=1), help="At most this many runs.")
@click.option("--json", "as_json", is_flag=True)
def list_runs(
    version: str | None, experiment: str | None, limit: int | None, as_json: bool
) -> None:
    """List runs, newest first, with their bot version and training tags."""
    from .mlflow_utils import list_runs_by_bot_version
    from .runs import connect, runs_by_version

    if version is not None:
        _require_semver([version])
    connect(experiment)
    if version is not None:
        found = list_runs_by_bot_version(version, experiment=experiment, max_results=limit)
    else:
        found = sorted(
            (r for group in runs_by_version(experiment).values() for r in group),
            key=lambda r: r["start_time"] or 0,
            reverse=True,
        )[:limit]
    if as_json:
        _echo_json(found)
        return
    rows = [[r[c] for c in COLUMNS] + [_started(r["start_time"])] for r in found]
    click.echo(_table(rows, [*COLUMNS, "started"]), nl=False)
    click.echo(f"{len(found)} run(s)", err=True)


@runs.command("show")
@click.argument("run_id")
@click.option("--json", "as_json", is_flag=True)
def show(run_id: str, as_json: bool) -> None:
    """One run: bot version, training tags, metrics, params."""
    from .errors import TrackingError
    from .mlflow_utils import get_run_with_bot_version
    from .runs import connect

    uri = connect()
    info = get_run_with_bot_version(run_id)
    if info is None:
        raise TrackingError(f"no run {run_id} in {uri}")
    if as_json:
        _echo_json(info)
        return
    for key in (*COLUMNS, "start_time"):
        value = _started(info[key]) if key == "start_time" else info[key]
        click.echo(f"{key}: {'-' if value is None else value}")
    for group in ("metrics", "params"):
        click.echo(f"{group}:")
        for name, value in sorted(info[group].items()):
            click.echo(f"  {name}: {value}")


def _stats_table(rows: Sequence[Any]) -> str:
    return _table(
        [
            [
                r.version,
                r.runs,
                _number(r.mean),
                _number(r.median),
                _number(r.best),
                _number(r.worst),
            ]
            for r in rows
        ],
        ["bot_version", "count", "mean", "median", "best", "worst"],
    )


@runs.command("compare")
@click.argument("versions", nargs=-1, required=True)
@click.option("--metric", required=True, help="The metric to compare.")
@experiment_option
@minimize_option
@click.option("--json", "as_json", is_flag=True)
def compare(
    versions: tuple[str, ...], metric: str, experiment: str | None, minimize: bool, as_json: bool
) -> None:
    """Compare a metric across bot versions: count, mean, median, best, worst."""
    from .runs import compare as run_compare
    from .runs import connect

    if len(versions) < 2:
        raise click.UsageError("give at least two versions to compare")
    _require_semver(versions)
    connect(experiment)
    rows = run_compare(list(versions), metric, experiment=experiment, minimize=minimize)
    if as_json:
        _echo_json(
            {"metric": metric, "minimize": minimize, "versions": [r.as_dict() for r in rows]}
        )
        return
    click.echo(f"{metric} ({'lower' if minimize else 'higher'} is better)")
    click.echo(_stats_table(rows), nl=False)


@runs.command("trend")
@click.option("--metric", required=True, help="The metric to follow.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False), help="Also draw it to this PNG.")
@experiment_option
@minimize_option
@click.option("--json", "as_json", is_flag=True)
def trend(
    metric: str, plot: str | None, experiment: str | None, minimize: bool, as_json: bool
) -> None:
    """A metric per bot version, in SemVer order (optionally as a PNG chart)."""
    from .runs import connect, plot_trend
    from .runs import trend as run_trend

    connect(experiment)
    rows = run_trend(metric, experiment=experiment, minimize=minimize)
    if plot:
        if not rows:
            from .errors import TrackingError

            raise TrackingError(f"no runs with a bot_version logged {metric}; nothing to plot")
        plot_trend(rows, metric, plot)
    if as_json:
        _echo_json({"metric": metric, "versions": [r.as_dict() for r in rows], "plot": plot})
        return
    click.echo(_stats_table(rows), nl=False)
    if plot:
        click.echo(f"wrote {plot}", err=True)


@click.command()
@click.argument("version")
@click.option("--metric", help="Order runs and models by this metric, best first.")
@minimize_option
@experiment_option
@click.option("--checkout", is_flag=True, help="Switch the working tree to the release's tag.")
@click.option("--no-runs", is_flag=True, help="Skip MLflow (git and changelog only).")
@click.option("--json", "as_json", is_flag=True)
def rollback(
    version: str,
    metric: str | None,
    minimize: bool,
    experiment: str | None,
    checkout: bool,
    no_runs: bool,
    as_json: bool,
) -> None:
    """Show what going back to VERSION means: tag, commit, undone changes, runs and models."""
    from .project import load_project
    from .rollback import checkout as run_checkout
    from .rollback import plan_rollback

    config = load_project().config
    try:
        report = plan_rollback(
            config,
            version,
            metric=metric,
            minimize=minimize,
            with_runs=not no_runs,
            experiment=experiment,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="VERSION") from None
    if checkout:
        run_checkout(config, report)
    if as_json:
        _echo_json({**report.as_dict(), "checked_out": checkout})
        return
    click.echo(_describe(report, metric))
    if checkout:
        click.echo(f"checked out {report.tag} (detached HEAD); 'git switch -' goes back")


def _describe(report: Any, metric: str | None) -> str:
    lines = [
        f"{report.version}: tag {report.tag}, commit {report.commit[:12]} "
        f"(current: {report.current})"
    ]
    if report.undone:
        lines.append("Going back undoes:")
        for release in report.undone:
            lines.append(f"  {release.version}" + (f" ({release.date})" if release.date else ""))
            lines.extend(f"    - {entry}" for entry in release.entries)
    else:
        lines.append("Nothing newer to undo.")
    lines.append(f"MLflow runs trained with {report.version}: {len(report.runs)}")
    shown = [metric] if metric else []
    for run in report.runs[:20]:
        values = ", ".join(
            f"{k}={_number(run['metrics'].get(k))}" for k in shown or sorted(run["metrics"])[:3]
        )
        lines.append(
            f"  {run['run_id']}  {run['model_type'] or '-'}  "
            f"{run['symbol'] or '-'} {run['timeframe'] or '-'}  {values}"
        )
    if len(report.runs) > 20:
        lines.append(f"  and {len(report.runs) - 20} more")
    lines.append(f"Registered model versions: {len(report.models)}")
    for model in report.models:
        value = f"  {metric}={_number(model['metrics'].get(metric))}" if metric else ""
        lines.append(f"  {model['name']} v{model['version']}  run {model['run_id']}{value}")
    return "\n".join(lines)
