"""Which output format the current builder writes, for transforms that depend on it.

Post-transforms see the environment, not the builder, and Sphinx's own
``env._builder_cls`` is private. So the format is noted on the environment when the
builder is made (``builder-inited``), before any document is read or written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ATTRIBUTE = "dftable_builder_format"


def note_format(app: Sphinx) -> None:
    setattr(app.env, _ATTRIBUTE, app.builder.format)


def format_of(env: BuildEnvironment) -> str:
    """``html``, ``latex``, ``text``, ... for the build in progress."""
    return str(getattr(env, _ATTRIBUTE))
