"""Running a snippet: execution (no Sphinx), file access and the read cache, the names
snippets see, and the directive base class that ``df-table`` and ``df-chart`` share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx_dftable.config import settings
from sphinx_dftable.snippet.baselines import setup_baselines
from sphinx_dftable.snippet.datatemplates import trace_datatemplates
from sphinx_dftable.snippet.read_cache import READ_CACHE

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


def size_read_cache(app: Sphinx, config: Config) -> None:
    READ_CACHE.max_entries = settings(config).cache_size


def setup_snippet(app: Sphinx) -> None:
    # After config.validate (priority 400), which makes the settings.
    app.connect("config-inited", size_read_cache)
    # Once every extension is loaded, before the environment makes its domains.
    app.connect("config-inited", trace_datatemplates)
    setup_baselines(app)
