"""A drawing process: ``python -m sphinx_dftable.chart.worker``, started by the build.

It imports matplotlib once, then reads one job per line on stdin (JSON: a number, the
chart, the drawing and the file to write) and answers each with one line on stdout:
``{"job": N}`` when the file is written, ``{"job": N, "error": MESSAGE}`` when not. It
ends at the end of its input. It never imports the build's main script, Sphinx or
pandas, so it starts the same way under ``sphinx-build``, ``python -m sphinx``, a test
runner or a build script of one's own.
"""

from __future__ import annotations

import gc
import json
import sys
from typing import Any

from sphinx_dftable.chart.drawing import Drawing, draw_file
from sphinx_dftable.chart.spec import INSTALL_HINT


def answer(job: dict[str, Any], setup_error: str | None) -> dict[str, Any]:
    """Do one job; what to reply."""
    reply: dict[str, Any] = {"job": job["job"]}
    if setup_error is not None:
        reply["error"] = setup_error
        return reply
    drawing = Drawing(job["digest"], job["format"], job["rendition"])
    try:
        draw_file(job["chart"], drawing, job["path"])
    except ImportError as exc:
        reply["error"] = f"cannot draw the chart: {exc}; install the charts extra: {INSTALL_HINT}"
    except Exception as exc:  # reported at the chart; the next job goes on
        reply["error"] = f"drawing the chart failed: {type(exc).__name__}: {exc}"
    return reply


def main() -> None:
    setup_error = None
    try:
        from sphinx_dftable.chart import draw  # noqa: F401  (matplotlib, before any job)
    except ImportError as exc:
        setup_error = f"cannot draw the chart: {exc}; install the charts extra: {INSTALL_HINT}"
    # What is imported lives as long as the process: the collector need not walk it again
    # after every drawing (about 5% of a drawing's time).
    gc.freeze()
    for line in sys.stdin.buffer:
        reply = answer(json.loads(line), setup_error)
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
