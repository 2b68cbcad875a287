"""A build's process exits without walking every object it made once more.

At exit, the interpreter collects cyclic garbage over everything still alive: the build
environment, every doctree, pandas and the rest, a third of a second and more for a
few dozen pages (about a tenth of a cold build of the chart bench). Their memory goes
back to the system anyway, and Python does not promise to finalize objects that live
until exit, so once a build has finished in this process, what is alive at exit is
frozen (:func:`gc.freeze`) and left out of those collections.

The freeze happens at exit only: a process that runs many builds (a test suite, a
live-reloading server) collects as before between them. Finalizers registered with
:mod:`atexit` or :class:`weakref.finalize` still run (they do not rely on the collector).
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_registered = False


def after_build(app: Sphinx, exception: BaseException | None) -> None:
    """At ``build-finished``: freeze what is alive when the process exits (once)."""
    global _registered
    if not _registered:
        # At the first build's end: what imports registered with atexit earlier runs
        # after this (last in, first out), unchanged.
        atexit.register(gc.freeze)
        _registered = True
