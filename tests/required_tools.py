"""External programs some tests need: skipped locally when missing, a failure in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

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


def latexmk_pdf(outdir: Path, tex_name: str) -> Path:
    """Compile ``tex_name`` in ``outdir`` with latexmk, as ``make latexpdf`` does; the PDF."""
    require("latexmk", installer="it with TeX Live")
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", tex_name],
        cwd=outdir,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    pdf = (outdir / tex_name).with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf
