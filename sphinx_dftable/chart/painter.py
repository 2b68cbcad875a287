"""Charts drawn in parallel, in worker processes, while the build reads and writes pages.

Drawing is most of a chart's cost, and matplotlib runs in one thread, so each build has
a :class:`Painter` that hands missing files to worker processes
(:mod:`sphinx_dftable.chart.worker`):

* before pages are read (``env-before-read-docs``), the workers start if a page to read
  names ``df-chart``, so that they import matplotlib while the pages are read (else the
  first chart read starts them);
* while pages are read one after another in the build's own process, each chart is
  handed out as soon as its page is read (all its files in one job: they are drawn
  from one figure);
* once every page is read (``env-updated``), every chart file missing from the cache is
  handed out. Under ``-j N`` the pages are read in forked processes, so the charts each
  page holds are kept in the environment (merged back with ``env-merge-info``);
* before a page is written (``doctree-resolved``, in the build's process even under
  ``-j N``, before the writer of the page is forked), its charts are waited for; the
  writer then copies bytes from the cache.

The workers are one subprocess that imports matplotlib and forks the others; each reads
jobs from a pipe and answers on another. There is no thread and no ``multiprocessing``
in the build, which forks under ``-j N`` and whose main script a ``multiprocessing``
child would import again. The bytes do not depend on the process that draws them. With
``dftable_chart_processes = 1`` (and where pipes cannot be polled, on Windows) the
writer draws a missing file itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import weakref
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from docutils import nodes

import sphinx_dftable
from sphinx_dftable import builders
from sphinx_dftable.chart.drawing import Drawing, drawings_for
from sphinx_dftable.config import settings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The environment's record of each page's charts: docname -> digest -> chart data.
ENV_CHARTS = "dftable_charts"
#: The node attribute that carries a failed drawing's message to the writer.
FAILED = "failed"
#: The directory that holds the ``sphinx_dftable`` package, for the workers' imports.
PACKAGE_ROOT = str(Path(sphinx_dftable.__file__).resolve().parent.parent)


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class _Worker:
    """The build's ends of one worker's pipes."""

    jobs: IO[bytes]
    answers: int
    #: The job it is drawing, if any.
    job: int | None = None
    received: bytes = b""

    def close(self) -> None:
        with contextlib.suppress(OSError):  # a worker that stopped: its pipe is broken
            self.jobs.close()
        os.close(self.answers)


@dataclass
class _Job:
    """A chart's missing files: drawn together, from one figure (see ``render_all``)."""

    drawings: list[Drawing]
    chart: dict[str, Any]
    paths: list[str]
    done: bool = False


@dataclass
class Painter:
    """The worker processes of one build, and the drawings handed to them."""

    doctreedir: str
    processes: int
    #: Pages are read in this process, so workers may start while they are read.
    serial_read: bool
    owner: int = field(default_factory=os.getpid)
    #: Drawings that failed, with the message to warn with.
    failed: dict[Drawing, str] = field(default_factory=dict)
    _workers: list[_Worker] | None = None
    _process: subprocess.Popen[bytes] | None = None
    _jobs: list[_Job] = field(default_factory=list)
    _numbers: dict[Drawing, int] = field(default_factory=dict)
    _waiting: deque[int] = field(default_factory=deque)

    @property
    def parallel(self) -> bool:
        """Whether drawing is handed to workers (from this process, which owns them)."""
        return self.processes > 1 and sys.platform != "win32" and os.getpid() == self.owner

    def warm_up(self) -> None:
        """Start the workers now, so they have imported matplotlib once there is work.

        One process imports it and forks the others (see :mod:`~.worker`); each worker
        has a pipe for its jobs and one for its answers.
        """
        if not self.parallel or self._workers is not None:
            return
        theirs: list[int] = []
        self._workers = []
        for _ in range(self.processes):
            jobs_in, jobs_out = os.pipe()
            answers_in, answers_out = os.pipe()
            theirs += [jobs_in, answers_out]
            self._workers.append(_Worker(os.fdopen(jobs_out, "wb", buffering=0), answers_in))
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [PACKAGE_ROOT, path]))}
        pairs = [f"{theirs[i]},{theirs[i + 1]}" for i in range(0, len(theirs), 2)]
        command = [sys.executable, "-m", "sphinx_dftable.chart.worker", *pairs]
        try:
            self._process = subprocess.Popen(command, pass_fds=theirs, env=env)
        except OSError:
            for worker in self._workers:
                worker.close()
            self._workers = []  # no workers: the writers draw
        finally:
            for fd in theirs:
                os.close(fd)

    def submit(self, drawings: list[Drawing], chart: dict[str, Any]) -> None:
        """Have a worker draw those of a chart's ``drawings`` not cached nor on their way.

        The drawings are of one chart and one image format, drawn in one job.
        """
        if not self.parallel:
            return
        missing = [
            d
            for d in drawings
            if d not in self._numbers
            and d not in self.failed
            and not d.cache_path(self.doctreedir).exists()
        ]
        if not missing:
            return
        self.warm_up()
        for drawing in missing:
            self._numbers[drawing] = len(self._jobs)
        paths = [str(d.cache_path(self.doctreedir)) for d in missing]
        self._jobs.append(_Job(missing, chart, paths))
        self._waiting.append(len(self._jobs) - 1)
        self._collect(timeout=0)
        self._hand_out()

    def wait(self, drawing: Drawing) -> str | None:
        """Wait until ``drawing`` is drawn; the message to warn with if it failed.

        A drawing that no worker could take (they all stopped) is left to the writer.
        """
        number = self._numbers.get(drawing)
        while number is not None and not self._jobs[number].done and self._busy():
            self._collect(timeout=None)
            self._hand_out()
        return self.failed.get(drawing)

    def finish(self) -> None:
        """Wait for every drawing, then stop the workers."""
        while self._busy():
            self._collect(timeout=None)
            self._hand_out()
        for worker in self._workers or []:
            worker.close()  # the end of its jobs: it exits
        self._workers = []
        if self._process is not None:
            self._process.wait()
            self._process = None

    def _busy(self) -> bool:
        """Whether a job is being drawn (after handing out any that wait)."""
        self._hand_out()
        return any(w.job is not None for w in self._workers or [])

    def _hand_out(self) -> None:
        for worker in list(self._workers or []):
            if worker.job is not None or not self._waiting:
                continue
            number = self._waiting.popleft()
            job = self._jobs[number]
            drawings = [
                {
                    "digest": drawing.digest,
                    "format": drawing.image_format,
                    "rendition": drawing.rendition,
                    "path": path,
                }
                for drawing, path in zip(job.drawings, job.paths, strict=True)
            ]
            line = {"job": number, "chart": job.chart, "drawings": drawings}
            try:  # an idle worker is reading its input: this does not block for long
                worker.jobs.write(json.dumps(line).encode("utf-8") + b"\n")
            except OSError:  # it stopped; the job waits for another
                self._waiting.appendleft(number)
                self._stopped(worker)
            else:
                worker.job = number

    def _collect(self, timeout: float | None) -> None:
        """Take the answers of busy workers (waiting up to ``timeout`` seconds for one)."""
        busy = {w.answers: w for w in self._workers or [] if w.job is not None}
        if not busy:
            return
        readable, _, _ = select.select(list(busy), [], [], timeout)
        for fd in readable:
            worker = busy[fd]
            data = os.read(fd, 1 << 16)
            if not data:
                self._stopped(worker)
                continue
            worker.received += data
            while b"\n" in worker.received:
                line, worker.received = worker.received.split(b"\n", 1)
                self._answered(worker, json.loads(line))

    def _answered(self, worker: _Worker, reply: dict[str, Any]) -> None:
        job = self._jobs[reply["job"]]
        job.done = True
        worker.job = None
        if "error" in reply:
            for drawing in job.drawings:
                self.failed[drawing] = reply["error"]

    def _stopped(self, worker: _Worker) -> None:
        """A worker ended without answering: its job failed, the others go on."""
        assert self._workers is not None
        self._workers.remove(worker)
        worker.close()
        if worker.job is not None:
            job = self._jobs[worker.job]
            job.done = True
            for drawing in job.drawings:
                self.failed[drawing] = "drawing the chart failed: its drawing process stopped"


# -- the build's events -------------------------------------------------------------------

_PAINTERS: weakref.WeakKeyDictionary[Sphinx, Painter] = weakref.WeakKeyDictionary()
#: The same painters by the build's environment, which is what a directive sees.
_BY_ENV: weakref.WeakKeyDictionary[BuildEnvironment, Painter] = weakref.WeakKeyDictionary()


def start(app: Sphinx) -> None:
    """At ``builder-inited``: this build's painter (no process is started yet)."""
    processes = settings(app.config).chart_processes or usable_cpus()
    painter = Painter(str(app.doctreedir), processes, app.parallel <= 1)
    _PAINTERS[app] = _BY_ENV[app.env] = painter


def warm_up_early(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """At ``env-before-read-docs``: start the workers if a page to read may need a drawing.

    Importing matplotlib then overlaps with reading the pages (and under ``-j N`` the
    workers are ready when the charts are handed out after reading). A page read before
    needs one if a file of the charts it had is missing; a new page, if its source names
    the directive. A chart whose data changed, or that comes from an included file,
    starts the workers when it is read, as before.
    """
    from sphinx_dftable.chart.directive import matplotlib_version

    painter = painter_of(app)
    kind = builders.format_of(env)
    if not painter.parallel or kind not in ("html", "latex"):
        return
    known: dict[str, dict[str, dict[str, Any]]] = env.__dict__.get(ENV_CHARTS, {})
    for docname in docnames:
        charts = known.get(docname)
        if charts is None:
            missing = _names_a_chart(env, docname)
        else:
            drawings = [d for digest, c in charts.items() for d in drawings_for(kind, digest, c)]
            missing = not all(d.cache_path(painter.doctreedir).exists() for d in drawings)
        if missing:
            if matplotlib_version() is not None:
                painter.warm_up()
            return


def _names_a_chart(env: BuildEnvironment, docname: str) -> bool:
    try:
        return b"df-chart::" in Path(env.doc2path(docname)).read_bytes()
    except OSError:  # Sphinx reports it when it reads the page
        return False


def painter_of(app: Sphinx) -> Painter:
    painter = _PAINTERS.get(app)
    if painter is None:  # a build that did not go through builder-inited
        start(app)
        painter = _PAINTERS[app]
    return painter


def note_chart(env: BuildEnvironment, digest: str, chart: dict[str, Any]) -> None:
    """Record a chart of the page being read (by the directive)."""
    charts: dict[str, dict[str, Any]] = env.__dict__.setdefault(ENV_CHARTS, {})
    charts.setdefault(env.docname, {})[digest] = chart
    painter = _BY_ENV.get(env)
    if painter is not None and painter.serial_read:  # the page is read in this process
        painter.submit(drawings_for(builders.format_of(env), digest, chart), chart)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.__dict__.get(ENV_CHARTS, {}).pop(docname, None)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: list[str], other: BuildEnvironment
) -> None:
    charts: dict[str, dict[str, Any]] = env.__dict__.setdefault(ENV_CHARTS, {})
    theirs = other.__dict__.get(ENV_CHARTS, {})
    for docname in docnames:
        if docname in theirs:
            charts[docname] = theirs[docname]


def draw_all(app: Sphinx, env: BuildEnvironment) -> None:
    """Every page is read: hand out every chart file the cache is missing."""
    painter = painter_of(app)
    kind = builders.format_of(env)
    for page in env.__dict__.get(ENV_CHARTS, {}).values():
        for digest, chart in page.items():
            painter.submit(drawings_for(kind, digest, chart), chart)


def wait_for_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before a page is written: its charts are drawn, or carry why they are not."""
    from sphinx_dftable.chart.nodes import dftable_chart

    painter = painter_of(app)
    kind = builders.format_of(app.env)
    charts = [
        (node, drawings_for(kind, node["digest"], node["chart"]))
        for node in doctree.findall(dftable_chart)
    ]
    for node, drawings in charts:  # all handed out first, so that they are drawn together
        painter.submit(drawings, node["chart"])
    for node, drawings in charts:
        failed = {}
        for drawing in drawings:
            message = painter.wait(drawing)
            if message is not None:
                failed[drawing.rendition] = message
        if failed:
            node[FAILED] = failed


def build_finished(app: Sphinx, exception: BaseException | None) -> None:
    painter = _PAINTERS.pop(app, None)
    if painter is not None:
        painter.finish()
