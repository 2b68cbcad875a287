"""Files the writers add to the output: complete or absent, even under parallel writers."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` whole. Parallel writers of a content-addressed file each write their
    own temporary file, and the rename makes one complete copy win."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
