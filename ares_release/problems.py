"""Problems found by ``check``: one value object per finding, printed one per line."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """``PATH:LINE:COL: CODE message`` (the ruff/flake8 convention)."""
        label = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{self.col}: {self.code} {label}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return dict(self._asdict())
