"""Charts drawn in parallel, in worker processes, while the build reads and writes pages.

Drawing is most of a chart's cost, and matplotlib runs in one thread, so each build has
a :class:`Painter` that hands missing files to a pool of worker processes:

* while pages are read one after another in the build's own process, the first chart
  starts the workers' server, so that matplotlib is imported before there is work;
* once every page is read (``env-updated``), every chart file missing from the cache is
  handed out. Under ``-j N`` the pages are read in forked processes, so the charts each
  page holds are kept in the environment (merged back with ``env-merge-info``);
* before a page is written (``doctree-resolved``, in the build's process even under
  ``-j N``), its charts are waited for; a writer then copies bytes from the cache.
  Under ``-j N`` the pool is shut down before the writers are forked, so that no thread
  of the pool is alive in a forked process.

Workers are started with ``forkserver`` (``spawn`` where there is none), never forked
from the build, which has threads and a large heap; the server imports matplotlib once,
and each worker is forked from it ready to draw. The bytes do not depend on the process
that draws them. With ``dftable_chart_processes = 1`` the writer draws a missing file
itself, as the only process.
"""

from __future__ import annotations

import multiprocessing
import os
import weakref
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinx_dftable import builders
from sphinx_dftable.chart.drawing import Drawing, draw_file, drawings_for
from sphinx_dftable.chart.spec import INSTALL_HINT
from sphinx_dftable.config import settings

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: What a worker's server imports before it forks workers: the drawing and matplotlib.
PRELOAD = ["sphinx_dftable.chart.draw"]
#: The environment's record of each page's charts: docname -> digest -> chart data.
ENV_CHARTS = "dftable_charts"
#: The node attribute that carries a failed drawing's message to the writer.
FAILED = "failed"


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class Painter:
    """The worker processes of one build, and the drawings handed to them."""

    def __init__(self, doctreedir: str, processes: int, *, serial_read: bool) -> None:
        self.doctreedir = doctreedir
        self.processes = processes
        #: Pages are read in this process, so workers may start while they are read.
        self.serial_read = serial_read
        self.owner = os.getpid()
        self._context: BaseContext | None = None
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Drawing, Future[None]] = {}
        #: Drawings that failed, with the message to warn with.
        self.failed: dict[Drawing, str] = {}

    @property
    def parallel(self) -> bool:
        """Whether drawing is handed to workers (from this process, which owns them)."""
        return self.processes > 1 and os.getpid() == self.owner

    def warm_up(self) -> None:
        """Start the workers' server now, so it has imported matplotlib once there is work."""
        if not self.parallel or self._context is not None:
            return
        self._context = _context()
        if self._context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()

    def submit(self, drawing: Drawing, chart: dict[str, Any]) -> None:
        """Have ``drawing`` drawn by a worker unless it is cached or on its way."""
        if not self.parallel or drawing in self._futures or drawing in self.failed:
            return
        path = drawing.cache_path(self.doctreedir)
        if path.exists():
            return
        if self._pool is None:
            self.warm_up()
            self._pool = ProcessPoolExecutor(self.processes, mp_context=self._context)
        try:
            self._futures[drawing] = self._pool.submit(draw_file, chart, drawing, str(path))
        except (BrokenProcessPool, RuntimeError) as exc:
            self.failed[drawing] = f"drawing the chart failed: {_described(exc)}"

    def wait(self, drawing: Drawing) -> str | None:
        """Wait until ``drawing`` is drawn; the message to warn with if it failed."""
        future = self._futures.pop(drawing, None)
        if future is not None:
            error = future.exception()
            if error is not None:
                self.failed[drawing] = _message(error)
        return self.failed.get(drawing)

    def finish(self) -> None:
        """Wait for every drawing, then stop the workers."""
        for drawing in list(self._futures):
            self.wait(drawing)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _context() -> BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _message(error: BaseException) -> str:
    if isinstance(error, ImportError):
        return f"cannot draw the chart: {error}; install the charts extra: {INSTALL_HINT}"
    return f"drawing the chart failed: {_described(error)}"


def _described(error: BaseException) -> str:
    if isinstance(error, BrokenProcessPool):
        return "a drawing process stopped unexpectedly"
    return f"{type(error).__name__}: {error}"


# -- the build's events -------------------------------------------------------------------

_PAINTERS: weakref.WeakKeyDictionary[Sphinx, Painter] = weakref.WeakKeyDictionary()
#: The same painters by the build's environment, which is what a directive sees.
_BY_ENV: weakref.WeakKeyDictionary[BuildEnvironment, Painter] = weakref.WeakKeyDictionary()


def start(app: Sphinx) -> None:
    """At ``builder-inited``: this build's painter (no process is started yet)."""
    processes = settings(app.config).chart_processes or usable_cpus()
    painter = Painter(str(app.doctreedir), processes, serial_read=app.parallel <= 1)
    _PAINTERS[app] = _BY_ENV[app.env] = painter


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
    drawn = builders.format_of(env) in ("html", "latex")
    if painter is not None and painter.serial_read and drawn:
        painter.warm_up()  # pages are read in this process: workers can start now


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
            for drawing in drawings_for(kind, digest, chart):
                painter.submit(drawing, chart)


def before_writing(app: Sphinx, builder: Builder) -> None:
    if app.parallel > 1:  # writers may be forked: no pool thread may be alive then
        painter_of(app).finish()


def wait_for_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before a page is written: its charts are drawn, or carry why they are not."""
    from sphinx_dftable.chart.nodes import dftable_chart

    painter = painter_of(app)
    kind = builders.format_of(app.env)
    for node in doctree.findall(dftable_chart):
        failed = {}
        for drawing in drawings_for(kind, node["digest"], node["chart"]):
            painter.submit(drawing, node["chart"])
            message = painter.wait(drawing)
            if message is not None:
                failed[drawing.rendition] = message
        if failed:
            node[FAILED] = failed


def build_finished(app: Sphinx, exception: BaseException | None) -> None:
    painter = _PAINTERS.pop(app, None)
    if painter is not None:
        painter.finish()
