"""External programs some tests need: skipped locally when missing, a failure in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def require(*names: str, installer: str) -> str:
    """The path of the first of ``names`` on PATH; without one, skip (or fail under CI)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"{names[0]} is not installed; .ci/run installs {installer}")
    pytest.skip(f"{names[0]} is not installed")
