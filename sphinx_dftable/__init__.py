"""Sphinx directives that run a pandas snippet and render the DataFrame it leaves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    # Imported lazily so that `import sphinx_dftable` (the collector, helpers) stays light.
    from sphinx_dftable.extension import setup_extension

    return setup_extension(app)
