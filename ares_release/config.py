"""``[tool.ares-release]``: a frozen Config, its defaults, and path confinement."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_SECTIONS = ("Added", "Changed", "Deprecated", "Removed", "Fixed", "Security")
PYPROJECT = "pyproject.toml"
TABLE = "tool.ares-release"


class Config(NamedTuple):
    """Where the version constant and changelog live, and how releases are named."""

    root: Path
    version_file: str = "src/config.py"
    version_variable: str = "ARES_VERSION"
    changelog: str = "docs/BOT_CHANGELOG.md"
    tag_format: str = "v{version}"
    sections: tuple[str, ...] = DEFAULT_SECTIONS
    mlflow_experiment: str = "Ares_Trading_Models"
    commit_types: tuple[tuple[str, str], ...] = ()  # overrides of the draft type mapping
    source: str = "defaults"  # the pyproject.toml the values came from

    @property
    def version_path(self) -> Path:
        return confine(self.root, self.version_file, "version_file")

    @property
    def changelog_path(self) -> Path:
        return confine(self.root, self.changelog, "changelog")

    def tag_for(self, version: object) -> str:
        return self.tag_format.replace("{version}", str(version))

    def type_sections(self) -> dict[str, str]:
        """Commit type to changelog section for ``draft`` (an empty section leaves it out)."""
        from .commits import DEFAULT_TYPES

        mapping = dict(DEFAULT_TYPES)
        mapping.update(self.commit_types)
        return {t: s for t, s in mapping.items() if s}


KEYS = tuple(f for f in Config._fields if f not in ("root", "source"))


def confine(root: Path, configured: str, key: str) -> Path:
    """Resolve ``configured`` against ``root``; refuse anything that leads outside it."""
    base = root.resolve()
    candidate = Path(configured)
    target = (candidate if candidate.is_absolute() else base / candidate).resolve()
    if target != base and base not in target.parents:
        raise ConfigError(
            f"{base / PYPROJECT}: [{TABLE}] {key} = {configured!r} resolves to {target}, "
            f"outside the repository {base}; use a path inside the repository"
        )
    return target


def find_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a dir or a worktree file)."""
    here = start.resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _did_you_mean(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(KEYS)}"


def _key_line(text: str, key: str) -> int:
    """Best-effort line of ``key`` inside the table, for error messages."""
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_table = stripped.replace(" ", "") in ("[tool.ares-release]", '[tool."ares-release"]')
        elif in_table and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return 1


def _validate(key: str, value: Any, where: str) -> Any:
    if key == "commit_types":
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ConfigError(
                f'{where}: commit_types must be a table such as {{ feat = "Added", docs = "" }}'
            )
        return tuple((k.lower(), v) for k, v in value.items())
    if key == "sections":
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise ConfigError(f"{where}: sections must be a non-empty list of section names")
        if len(set(value)) != len(value):
            raise ConfigError(f"{where}: sections lists a name twice; list each section once")
        return tuple(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: {key} must be a non-empty string")
    if key == "version_variable" and not value.isidentifier():
        raise ConfigError(f"{where}: version_variable {value!r} is not a Python identifier")
    if key == "tag_format" and "{version}" not in value:
        raise ConfigError(
            f"{where}: tag_format {value!r} must contain {{version}}, as in 'v{{version}}'"
        )
    return value


def load_config(root: Path) -> Config:
    """Read ``[tool.ares-release]`` from ``root/pyproject.toml``; every key is optional."""
    pyproject = root / PYPROJECT
    try:
        text = pyproject.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(root=root)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}; fix the file first") from None
    table = data.get("tool", {}).get("ares-release")
    if table is None:
        return Config(root=root)
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [{TABLE}] must be a table")
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{pyproject}:{_key_line(text, key)}"
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r} in [{TABLE}]{_did_you_mean(key)}")
        values[key] = _validate(key, value, where)
    config = Config(root=root, source=str(pyproject), **values)
    unknown = [s for _, s in config.commit_types if s and s not in config.sections]
    if unknown:
        where = f"{pyproject}:{_key_line(text, 'commit_types')}"
        raise ConfigError(
            f"{where}: commit_types maps to {unknown[0]!r}, which is not in sections "
            f"({', '.join(config.sections)})"
        )
    config.version_path  # noqa: B018 - confine both paths now, before anything is written
    config.changelog_path  # noqa: B018
    return config
