"""The one exception root of ares-release and its subclasses.

The CLI turns any :class:`AresReleaseError` into one line on stderr and exit code 1.
Anything else that escapes is a bug: it keeps its traceback and exits with code 3.
"""

from __future__ import annotations


class AresReleaseError(Exception):
    """A problem the user can fix; its message says what to do next."""


class ConfigError(AresReleaseError):
    """``[tool.ares-release]`` is invalid, or a configured path is unsafe."""


class VersionError(AresReleaseError):
    """The version constant is missing, ambiguous or not valid SemVer."""

    def __init__(self, message: str, *, line: int = 1, detail: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.detail = detail or message


class ChangelogError(AresReleaseError):
    """The changelog cannot be used for the requested operation."""


class GitError(AresReleaseError):
    """A git operation failed or the repository is not in a usable state."""


class OptionalDependencyError(AresReleaseError):
    """An optional extra is needed but not installed."""


class TrackingError(AresReleaseError):
    """MLflow could not be reached, or refused a request."""
