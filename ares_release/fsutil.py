"""Writing files without ever leaving a half-written one."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (same permissions): temporary file, fsync, rename."""
    tmp = path.with_name(f".{path.name}.ares-release.tmp")
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
