"""Drawing processes: ``python -m sphinx_dftable.chart.worker IN,OUT [IN,OUT ...]``.

The build starts one such process with a pair of pipe ends (file descriptors) per worker
it wants. The process imports matplotlib once, then forks a worker for each further
pair, so that matplotlib is imported once however many workers there are (forking is
safe here: this small process has no threads), and serves the first pair itself.

A worker reads one job per line (JSON: a number, the chart, and its drawings with the
file to write each to) and answers each with one line: ``{"job": N}`` when the files
are written,
``{"job": N, "error": MESSAGE}`` when not. It ends at the end of its input. No worker
imports the build's main script, Sphinx or pandas, so they start the same way under
``sphinx-build``, ``python -m sphinx``, a test runner or a build script of one's own.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from typing import Any

from sphinx_dftable.chart.drawing import Drawing, draw_files
from sphinx_dftable.chart.spec import INSTALL_HINT


def answer(job: dict[str, Any], setup_error: str | None) -> dict[str, Any]:
    """Do one job; what to reply."""
    reply: dict[str, Any] = {"job": job["job"]}
    if setup_error is not None:
        reply["error"] = setup_error
        return reply
    drawings = [Drawing(d["digest"], d["format"], d["rendition"]) for d in job["drawings"]]
    try:
        draw_files(job["chart"], drawings, [d["path"] for d in job["drawings"]])
    except ImportError as exc:
        reply["error"] = f"cannot draw the chart: {exc}; install the charts extra: {INSTALL_HINT}"
    except Exception as exc:  # reported at the chart; the next job goes on
        reply["error"] = f"drawing the chart failed: {type(exc).__name__}: {exc}"
    return reply


def serve(jobs_fd: int, answers_fd: int, setup_error: str | None) -> None:
    with os.fdopen(jobs_fd, "rb") as jobs, os.fdopen(answers_fd, "wb", buffering=0) as answers:
        for line in jobs:
            reply = answer(json.loads(line), setup_error)
            answers.write(json.dumps(reply).encode("utf-8") + b"\n")


def main(arguments: list[str]) -> None:
    pairs = [(int(a), int(b)) for a, b in (argument.split(",") for argument in arguments)]
    setup_error = None
    try:
        from sphinx_dftable.chart import draw  # noqa: F401  (matplotlib, before any job)
    except ImportError as exc:
        setup_error = f"cannot draw the chart: {exc}; install the charts extra: {INSTALL_HINT}"
    # What is imported lives as long as the process: the collector need not walk it again
    # after every drawing (about 5% of a drawing's time).
    gc.freeze()
    children = []
    for index, (jobs_fd, answers_fd) in enumerate(pairs[1:], start=1):
        pid = os.fork()
        if pid == 0:  # a worker of its own: only its pair stays open
            code = 1
            try:
                # The pairs of earlier workers are closed here already (see below).
                for other, fds in enumerate(pairs):
                    if other == 0 or other > index:
                        for fd in fds:
                            os.close(fd)
                serve(jobs_fd, answers_fd, setup_error)
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
        os.close(jobs_fd)
        os.close(answers_fd)
    serve(*pairs[0], setup_error)
    for pid in children:
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main(sys.argv[1:])
