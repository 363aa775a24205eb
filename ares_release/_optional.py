"""Import optional dependencies where they are used, naming the extra that provides them."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import OptionalDependencyError

EXTRAS = {"mlflow": "mlflow", "git": "git", "matplotlib": "plot"}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an error saying which ``pip install`` provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = EXTRAS.get(top)
        hint = (
            f'pip install "ares-release[{extra}]"'
            if extra and extra != top
            else f"pip install {top}"
        )
        if top == "git":
            hint = "pip install GitPython (and make sure the git program is on PATH)"
        raise OptionalDependencyError(f"{module} is not available ({exc}); {hint}") from None
