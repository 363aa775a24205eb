"""``bump``: plan under the lock, then apply; and the words that report it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from .config import Config
from .errors import AresReleaseError
from .journal import NOTICE, interrupted
from .release import Options, ReleasePlan, plan_release, require_repository

if TYPE_CHECKING:
    from .transaction import Outcome


class BumpResult(NamedTuple):
    plan: ReleasePlan
    outcome: Outcome | None  # None for a dry run

    def as_dict(self) -> dict[str, object]:
        data = self.plan.as_dict()
        data["dry_run"] = self.outcome is None
        message = self.plan.commit_message
        data["commit"] = (
            None
            if message is None
            else {"message": message, "sha": self.outcome.commit if self.outcome else None}
        )
        return data


def bump(config: Config, options: Options, *, dry_run: bool, today: date) -> BumpResult:
    """Release: plan everything, then (unless ``dry_run``) apply it all or nothing."""
    root = config.root
    require_repository(root)
    if interrupted(root):
        raise AresReleaseError(f"refusing to bump: {NOTICE}")
    if dry_run:
        return BumpResult(plan_release(config, options, today=today), None)
    from .transaction import apply_release, bump_lock

    with bump_lock(root):
        plan = plan_release(config, options, today=today)
        return BumpResult(plan, apply_release(plan))


def describe(result: BumpResult) -> str:
    """The human-readable report: versions, why, files, commit and tag (diffs when dry)."""
    plan, outcome = result.plan, result.outcome
    dry = outcome is None
    lines = [f"{plan.old} -> {plan.new} ({plan.level})"]
    for reason in plan.reasons[:5]:
        lines.append(f"  decided by {reason}")
    if len(plan.reasons) > 5:
        lines.append(f"  and {len(plan.reasons) - 5} more entries")
    files = ", ".join(c.shown for c in plan.changes)
    lines.append(f"{'would update' if dry else 'updated'} {files}")
    if plan.commit_message is not None:
        subject = plan.commit_message.splitlines()[0]
        sha = f" {outcome.commit[:10]}" if outcome and outcome.commit else ""
        lines.append(f"{'would commit' if dry else 'committed'}{sha} {subject!r}")
    if plan.tag is not None:
        lines.append(f"{'would tag' if dry else 'tagged'} {plan.tag}")
    if dry:
        lines.append("")
        lines.extend(change.diff().rstrip("\n") for change in plan.changes)
    return "\n".join(lines) + "\n"
