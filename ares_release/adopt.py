"""``init``: adopt ares-release in an existing repository, never overwriting a file."""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from .config import Config
from .errors import ChangelogError
from .project import display
from .version_file import read_version

TEMPLATE_NAME = "CHANGELOG_TEMPLATE.md"


class FileWrite(NamedTuple):
    path: Path
    content: str


class InitPlan(NamedTuple):
    writes: tuple[FileWrite, ...]
    skipped: tuple[Path, ...]
    template: str  # where the changelog template came from
    snippet: str


def builtin_template() -> str:
    return (
        resources.files("ares_release").joinpath("data").joinpath(TEMPLATE_NAME).read_text("utf-8")
    )


def precommit_snippet(config: Config) -> str:
    """A ``.pre-commit-config.yaml`` block running the installed ``ares-release check``."""
    files = "|".join(
        re.escape(p) for p in (config.changelog, config.version_file, "pyproject.toml")
    )
    return (
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: ares-release-check\n"
        "        name: ares-release check\n"
        "        entry: ares-release check\n"
        "        language: system\n"
        "        pass_filenames: false\n"
        f"        files: ^({files})$\n"
    )


def plan_init(config: Config, *, today: date, template: Path | None = None) -> InitPlan:
    """What ``init`` would write: the changelog from the template, when it is missing."""
    target = config.changelog_path
    snippet = precommit_snippet(config)
    if target.exists():
        return InitPlan((), (target,), "", snippet)
    version = read_version(
        config.version_path, config.version_variable, display=display(config.version_path)
    ).value
    source = template or config.root / TEMPLATE_NAME
    if template is not None or source.is_file():
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ChangelogError(f"{display(source)}: cannot read the template: {exc}") from None
        origin = display(source)
    else:
        text, origin = builtin_template(), "built-in template"
    if "{version}" not in text:
        raise ChangelogError(
            f"{origin}: the template has no {{version}} placeholder for the first release; "
            "add a heading '## [{version}] - {date}'"
        )
    content = text.replace("{version}", version).replace("{date}", today.isoformat())
    return InitPlan((FileWrite(target, content),), (), origin, snippet)


def apply_init(plan: InitPlan) -> None:
    for write in plan.writes:
        write.path.parent.mkdir(parents=True, exist_ok=True)
        with open(write.path, "x", encoding="utf-8", newline="") as handle:  # never overwrite
            handle.write(write.content)
