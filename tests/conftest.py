from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx_compat import MODERN, SphinxTestApp, harness_path

pytest_plugins = ("sphinx.testing.fixtures",)

# The test projects are Sphinx sources, not test modules.
collect_ignore = ["roots"]


@pytest.fixture(scope="session")
def rootdir() -> Path:
    # Sphinx < 7.2 copies test roots with the methods of its own path class.
    return harness_path(Path(__file__).parent / "roots")  # type: ignore[no-any-return]


if not MODERN:

    @pytest.fixture
    def make_app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
        """Sphinx's own ``make_app``, building the apps with :mod:`sphinx_compat`'s class."""
        # As Sphinx < 7.2 does: keep the directories as given, for exact warning paths.
        monkeypatch.setattr("sphinx.application.abspath", lambda path: path)
        apps: list[Any] = []
        syspath = sys.path[:]

        def make(*args: Any, **kwargs: Any) -> Any:
            kwargs.setdefault("status", StringIO())
            kwargs.setdefault("warning", StringIO())
            app = SphinxTestApp(*args, **kwargs)
            apps.append(app)
            return app

        yield make
        sys.path[:] = syspath
        for app in reversed(apps):  # the newest first, as Sphinx does
            app.cleanup()
