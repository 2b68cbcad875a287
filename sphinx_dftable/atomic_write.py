"""One way to replace a file whole: readers and racing writers see the old or the new file.

The collector's tables and the builders' output files (CSV downloads, drawn charts) both
go through :func:`write_atomic`. The data goes to a temporary file in the same directory
(``.NAME.XXXXXXXX.tmp``, see :func:`temporary_pattern`), which ``os.replace`` moves over
the target. A failure (a full disk, Ctrl-C) removes the temporary file and leaves the old
target as it was. ``durable`` also fsyncs the data and the directory, so the new file
survives a power loss: the collector's tables need it, a build's regenerated output not.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import suppress
from pathlib import Path


class NotDurable(OSError):
    """The file was replaced, but flushing its directory (the rename's durability) failed."""


#: Permissions of a new file (the umask of the process applies as for ``open``).
_NEW_FILE_MODE = 0o666


def temporary_pattern(path: Path) -> re.Pattern[str]:
    """The names :func:`write_atomic` gives its temporary files beside ``path``."""
    # tempfile.mkstemp's names: prefix, 8 random characters, suffix.
    return re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")


def write_atomic(path: Path, data: bytes | str, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8), creating its directory.

    An existing file keeps its permissions; a new one gets the usual ``0o666 & ~umask``.
    Raises ``OSError`` after removing the temporary file, with the old ``path`` unchanged;
    or :class:`NotDurable` when only the directory's flush, after the rename, failed.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.chmod(_mode_for(path))
        temporary.replace(path)
    except BaseException:  # OSError, and KeyboardInterrupt: no temporary file left
        if temporary is not None:
            with suppress(OSError):
                temporary.unlink()
        raise
    if durable:
        try:
            sync_directory(path.parent)
        except OSError as exc:
            raise NotDurable(exc.errno, exc.strerror, str(path.parent)) from exc


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return _NEW_FILE_MODE & ~umask


def sync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable, not only the data it renamed."""
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
