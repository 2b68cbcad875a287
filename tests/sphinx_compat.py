"""Sphinx's test harness as the tests use it (Sphinx >= 7.3), also on older Sphinx (5.3).

The tests are written against today's ``sphinx.testing``: ``pathlib.Path`` directories,
``app.status`` and ``app.warning``, a ``warningiserror`` argument, and warnings that end in
their ``[type.subtype]``. Older releases lack each of these; :class:`SphinxTestApp` adds
them there, so that every assertion stays the same on both ends of the supported range.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
from io import StringIO
from typing import Any, cast

import sphinx
from docutils.parsers.rst import directives, roles
from sphinx.testing.util import SphinxTestApp as _SphinxTestApp
from sphinx.util.logging import WarningStreamHandler

#: Before 7.2 the harness takes its directories as ``sphinx.testing.path.path`` (a str
#: with methods such as ``makedirs`` and ``copytree``), not as ``pathlib.Path``.
LEGACY_PATHS = sphinx.version_info < (7, 2)
_HAS_STREAMS = hasattr(_SphinxTestApp, "warning")
_TAKES_WARNINGISERROR = "warningiserror" in inspect.signature(_SphinxTestApp.__init__).parameters
#: ``show_warning_types`` (7.3, on by default since 8.0) ends warnings in ``[type.subtype]``.
_SHOWS_WARNING_TYPES = sphinx.version_info >= (8, 0)
MODERN = not LEGACY_PATHS and _HAS_STREAMS and _TAKES_WARNINGISERROR and _SHOWS_WARNING_TYPES


def harness_path(value: str | os.PathLike[str] | None) -> Any:
    """``value`` as the installed harness wants its directories."""
    if value is None or not LEGACY_PATHS:
        return value
    # Imported only here: on Sphinx >= 7.2 importing it is a deprecation warning.
    return importlib.import_module("sphinx.testing.path").path(os.fspath(value))


class _WarningTypeSuffix(logging.Filter):
    """What Sphinx >= 8 does with ``show_warning_types``: append ``[type.subtype]``."""

    def __init__(self, app: _SphinxTestApp) -> None:
        super().__init__()
        self._app = app

    def filter(self, record: logging.LogRecord) -> bool:
        kind = getattr(record, "type", "")
        # 7.3 and 7.4 have the option, off by default: append only where Sphinx did not.
        if kind and not getattr(self._app.config, "show_warning_types", False):
            subtype = getattr(record, "subtype", "")
            record.msg = f"{record.msg} [{kind}.{subtype}]" if subtype else f"{record.msg} [{kind}]"
        return True


class _CompatTestApp(_SphinxTestApp):
    def __init__(
        self,
        buildername: str = "html",
        srcdir: str | os.PathLike[str] | None = None,
        builddir: str | os.PathLike[str] | None = None,
        *args: Any,
        warningiserror: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(buildername, harness_path(srcdir), harness_path(builddir), *args, **kwargs)
        if warningiserror:
            # The argument came with 7.3. Sphinx >= 8.1 makes -W fail the build once it has
            # finished; older releases do the same with -W --keep-going.
            self.keep_going = True
            self.warningiserror = False  # type: ignore[misc]  # Final in the newest stubs
        if not _SHOWS_WARNING_TYPES:
            for handler in logging.getLogger("sphinx").handlers:
                if isinstance(handler, WarningStreamHandler):
                    handler.addFilter(_WarningTypeSuffix(self))

    def cleanup(self, doctrees: bool = False) -> None:
        super().cleanup(doctrees)
        # Older releases have each app restore the directives and roles it found, so two apps
        # cleaned up in the order they were made leave the second one's behind (and the
        # next app warns that Sphinx's own are "already registered"). Clear them, as newer
        # releases do.
        directives._directives.clear()  # type: ignore[attr-defined]
        roles._roles.clear()  # type: ignore[attr-defined]

    if not _HAS_STREAMS:

        @property
        def status(self) -> StringIO:
            return cast(StringIO, self._status)  # make_app passes StringIO streams

        @property
        def warning(self) -> StringIO:
            return cast(StringIO, self._warning)


SphinxTestApp: type[_SphinxTestApp] = _SphinxTestApp if MODERN else _CompatTestApp
