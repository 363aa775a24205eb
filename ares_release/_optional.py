"""Import optional dependencies where they are used, naming the extra that provides them."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import OptionalDependencyError

EXTRAS = {"mlflow": "mlflow", "matplotlib": "plot"}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise an error saying which ``pip install`` provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        if top in EXTRAS:
            hint = f'pip install "ares-release[{EXTRAS[top]}]"'
        elif top == "git":
            hint = "pip install GitPython (and make sure the git program is on PATH)"
        else:
            hint = f"pip install {top}"
        raise OptionalDependencyError(f"{module} is not available ({exc}); {hint}") from None
