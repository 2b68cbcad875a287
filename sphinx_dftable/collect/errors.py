"""The one error type the collector raises for bad input; the CLI turns it into a message."""

from __future__ import annotations

from pathlib import Path


class CollectError(Exception):
    """Input the collector refuses: names the file (when there is one) and the reason."""

    def __init__(self, reason: str, path: str | Path | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else Path(path)
        super().__init__(f"{self.path}: {reason}" if self.path is not None else reason)
