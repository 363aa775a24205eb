"""``rollback VERSION``: what going back to an earlier release means, and the checkout."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import git
from .check import read_changelog
from .config import Config
from .errors import AresReleaseError
from .precedence import precedence_key
from .project import display


class UndoneRelease(NamedTuple):
    version: str  # "Unreleased" for work not yet released
    date: str
    entries: tuple[str, ...]  # "Section: text"


class RollbackReport(NamedTuple):
    version: str
    tag: str
    commit: str
    current: str | None
    undone: tuple[UndoneRelease, ...]  # newest first
    runs: tuple[dict[str, Any], ...]  # the version's MLflow runs, best first
    models: tuple[dict[str, Any], ...]  # registered model versions trained by those runs

    def as_dict(self) -> dict[str, object]:
        data = self._asdict()
        data["undone"] = [u._asdict() for u in self.undone]
        data["runs"] = list(self.runs)
        data["models"] = list(self.models)
        return data


def _undone(config: Config, version: str) -> tuple[str | None, tuple[UndoneRelease, ...]]:
    """The changelog entries above ``version``: what going back to it would undo."""
    path = config.changelog_path
    log, problems = read_changelog(path, display(path), config.sections)
    if log is None:
        raise AresReleaseError(f"{display(path)}: {problems[0].message}")
    target = precedence_key(version)
    undone: list[UndoneRelease] = []
    for block in log.blocks:
        key = precedence_key(block.version)
        if block.kind == "release" and (key is None or target is None or key <= target):
            break
        if block.kind not in ("release", "unreleased"):
            continue
        entries = []
        for section in block.sections:
            entries += [
                f"{section.name}: {e.text.splitlines()[0]}" for e in log.section_entries(section)
            ]
        entries += [e.text.splitlines()[0] for e in log.loose_entries(block)]
        if block.kind == "unreleased" and not entries:
            continue
        name = "Unreleased" if block.kind == "unreleased" else block.version
        undone.append(UndoneRelease(name, block.date, tuple(entries)))
    current = log.releases[0].version if log.releases else None
    return current, tuple(undone)


def plan_rollback(
    config: Config,
    version: str,
    *,
    metric: str | None = None,
    minimize: bool = False,
    with_runs: bool = True,
    experiment: str | None = None,
) -> RollbackReport:
    """The tag and commit of ``version``, what would be undone, and its runs and models."""
    if precedence_key(version) is None:
        raise ValueError(f"{version!r} is not a SemVer 2.0.0 version such as 2.0.0")
    root = config.root
    from .release import require_repository

    require_repository(root, "roll back")
    tag = config.tag_for(version)
    commit = git.tag_commit(root, tag)
    if commit is None:
        tags = git.out(root, "tag", "--list", config.tag_for("*"), "--sort=-v:refname").split()
        listed = ", ".join(tags[:10]) or "none"
        raise AresReleaseError(f"no tag {tag} for version {version}; release tags here: {listed}")
    current, undone = _undone(config, version)
    runs: list[dict[str, Any]] = []
    models: list[dict[str, Any]] = []
    if with_runs:
        from .mlflow_utils import list_runs_by_bot_version
        from .runs import connect, sort_best_first

        connect(experiment)
        runs = sort_best_first(
            list_runs_by_bot_version(version, experiment=experiment), metric, minimize=minimize
        )
        models = _models([r["run_id"] for r in runs], {r["run_id"]: r for r in runs})
        models = sort_best_first(models, metric, minimize=minimize)
    return RollbackReport(version, tag, commit, current, undone, tuple(runs), tuple(models))


def _models(run_ids: list[str], runs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Registered model versions whose source run is one of ``run_ids``."""
    if not run_ids:
        return []
    from .mlflow_utils import _client

    client = _client()
    found: list[dict[str, Any]] = []
    for start in range(0, len(run_ids), 100):
        chunk = ", ".join(f"'{r}'" for r in run_ids[start : start + 100])
        for mv in client.search_model_versions(f"run_id IN ({chunk})"):
            if mv.run_id not in runs:
                continue
            found.append(
                {
                    "name": mv.name,
                    "version": str(mv.version),
                    "run_id": mv.run_id,
                    "stage": getattr(mv, "current_stage", None),
                    "metrics": runs[mv.run_id]["metrics"],
                }
            )
    return found


def checkout(config: Config, report: RollbackReport) -> None:
    """Switch the working tree to the release's tag (detached); refused on a dirty tree."""
    dirty = git.changed_paths(config.root)
    if dirty:
        shown = ", ".join(dirty[:3]) + (f" and {len(dirty) - 3} more" if len(dirty) > 3 else "")
        raise AresReleaseError(
            f"refusing to check out {report.tag}: uncommitted changes in {shown}; commit or "
            "stash them first"
        )
    git.run(config.root, "switch", "--detach", report.tag)
