"""Atomic file writes: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"


def sweep(folder: Path) -> list[Path]:
    """Remove temporary files a killed build left behind (a kill -9 runs no clean-up)."""
    if not folder.is_dir():
        return []
    left = [p for p in folder.rglob(f".*{TEMP_SUFFIX}") if p.is_file() and p.name.count(".") >= 3]
    for path in left:
        path.unlink(missing_ok=True)
    return left


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
