"""``check``: the changelog rules plus agreement between the version constant and changelog."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .changelog import Changelog, parse
from .changelog.rules import RuleContext, run_rules
from .config import Config
from .problems import Problem
from .project import display


class CheckReport(NamedTuple):
    problems: tuple[Problem, ...]
    changelog: Changelog | None = None

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    def counts(self) -> tuple[int, int]:
        errors = sum(p.severity == "error" for p in self.problems)
        return errors, len(self.problems) - errors


def read_changelog(
    path: Path, shown: str, sections: tuple[str, ...] = ()
) -> tuple[Changelog | None, list[Problem]]:
    """Read and parse a changelog; unreadable or undecodable files become problems."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [
            Problem(shown, 1, 1, "CL001", "file not found; create it with 'ares-release init'")
        ]
    except IsADirectoryError:
        return None, [Problem(shown, 1, 1, "CL001", "is a directory, not a changelog file")]
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "CL001", f"cannot read the file: {exc.strerror or exc}")]
    problems: list[Problem] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                shown,
                line,
                col,
                "CL002",
                f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            )
        )
        text = data.decode("utf-8", errors="replace")
    return parse(text, sections=sections), problems


def check_changelog(
    path: Path, sections: tuple[str, ...], *, shown: str | None = None
) -> CheckReport:
    """Validate one changelog file with the changelog rules only."""
    shown = shown or display(path)
    log, problems = read_changelog(path, shown, sections)
    if log is not None:
        problems.extend(run_rules(log, RuleContext(shown, sections)))
    return CheckReport(tuple(problems), log)


def check_project(config: Config) -> CheckReport:
    """Validate the configured changelog; check the version constant against its newest release."""
    log_path = config.changelog_path
    report = check_changelog(log_path, config.sections)
    problems = list(report.problems)
    if report.changelog is not None:
        problems.extend(_version_agreement(config, report.changelog, display(log_path)))
    return CheckReport(tuple(problems), report.changelog)


def _version_agreement(config: Config, log: Changelog, log_shown: str) -> list[Problem]:
    from .errors import VersionError
    from .version_file import read_version

    shown = display(config.version_path)
    try:
        literal = read_version(config.version_path, config.version_variable, display=shown)
    except VersionError as exc:
        return [Problem(shown, exc.line, 1, "VF002", exc.detail)]
    releases = log.releases
    if not releases:
        return [
            Problem(
                log_shown,
                1,
                1,
                "VF003",
                f"no release heading to compare with {config.version_variable} = "
                f"{literal.value!r}; add '## [{literal.value}] - YYYY-MM-DD' below Unreleased",
            )
        ]
    newest = releases[0]
    if newest.version == literal.value:
        return []
    return [
        Problem(
            shown,
            literal.line,
            literal.col,
            "VF001",
            f"{config.version_variable} is {literal.value} but the newest release in "
            f"{log_shown} is {newest.version} (line {newest.line}); release with "
            "'ares-release bump' or correct whichever is wrong",
        )
    ]
