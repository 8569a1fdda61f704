"""Atomic file writes: readers see the old file or the new one, never half of either."""

from __future__ import annotations

import os
import secrets
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


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new file beside the target, created with mode 0666 so the umask decides its permissions
    as for any other file (tempfile.mkstemp makes it 0600, and a rename keeps that: a web server
    or a shared folder could not read the output)."""
    while True:
        tmp = folder / f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:
            continue


def write_atomic(path: Path, data: bytes, durable: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place. ``durable``
    false: not flushed to disk first; ``mode``: these permissions, whatever the umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path.parent, path.name)
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically unless the file already holds exactly ``data``; True when written.
    An unchanged file keeps its time stamp, so a browser or a sync tool sees nothing new."""
    path = Path(path)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True


def write_cache(path: Path, data: bytes) -> None:
    """Keep ``data`` for a later process (see read_own): writable by this user alone, and not
    flushed to disk first, since it is checked when read and made again if it is not right."""
    write_atomic(path, data, durable=False, mode=0o644)


def read_own(path: Path) -> bytes:
    """The bytes of a file this user wrote and nobody else can write: what a cache may trust (the
    compiled templates are run as code). Anything else raises OSError, as a missing file does."""
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
            raise PermissionError(f"{path} could have been written by another user")
        return handle.read()
