"""ares-release: changelog-driven releases for the Ares trading bot.

Importing the package is cheap: it loads neither MLflow nor GitPython.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    AresReleaseError,
    ChangelogError,
    ConfigError,
    GitError,
    OptionalDependencyError,
    TrackingError,
    VersionError,
)

__all__ = [
    "AresReleaseError",
    "ChangelogError",
    "ConfigError",
    "GitError",
    "OptionalDependencyError",
    "TrackingError",
    "VersionError",
    "__version__",
]
