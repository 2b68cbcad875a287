"""The one error type the collector raises for bad input, and reading a file into it.

Every file the collector reads goes through :func:`read_bytes` or :func:`parse_text_file`
(or words its refusal with :func:`cannot_read`), so an unreadable file is refused in the
same words everywhere: ``cannot read run file: Permission denied``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

Parsed = TypeVar("Parsed")


class CollectError(Exception):
    """Input the collector refuses: names the file (when there is one) and the reason."""

    def __init__(self, reason: str, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else Path(path)
        super().__init__(f"{self.path}: {reason}" if self.path is not None else reason)


def cannot_read(what: str, path: Path, exc: OSError) -> CollectError:
    """The refusal of a file the system would not give us; ``what`` names its kind ("table"),
    or is empty for a result file, whose kind is not known before it is read."""
    subject = f"cannot read {what}" if what else "cannot read"
    return CollectError(f"{subject}: {exc.strerror or exc}", path)


def read_bytes(path: Path, what: str = "") -> bytes:
    """The bytes of ``path``, or :func:`cannot_read`'s refusal."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise cannot_read(what, path, exc) from exc


def parse_text_file(
    path: Path,
    what: str,
    parse: Callable[[str], Parsed],
    malformed: tuple[type[Exception], ...],
) -> Parsed:
    """``parse`` of the UTF-8 text of a settings file (run file, offer file); refuses an
    unreadable file, and as ``malformed {what}`` one that is not UTF-8 or that ``parse``
    rejects with one of the ``malformed`` exceptions."""
    refused: tuple[type[Exception], ...] = (UnicodeDecodeError, *malformed)
    try:
        return parse(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise cannot_read(what, path, exc) from exc
    except refused as exc:
        raise CollectError(f"malformed {what}: {exc}", path) from exc
