"""Pages whose charts were shown as text because matplotlib was missing.

Such a page has nothing to tell Sphinx it is out of date once matplotlib is installed: no
source or data file changed. So the pages are remembered in the environment, and the
first build that finds matplotlib importable re-reads them, which draws their charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

_ATTRIBUTE = "dftable_pages_awaiting_matplotlib"


def pages(env: BuildEnvironment) -> set[str]:
    found: set[str] | None = getattr(env, _ATTRIBUTE, None)
    if found is None:
        found = set()
        setattr(env, _ATTRIBUTE, found)
    return found


def note(env: BuildEnvironment) -> None:
    pages(env).add(env.docname)


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    pages(env).discard(docname)


def merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    pages(env).update(pages(other) & set(docnames))


def outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The waiting pages, once matplotlib can be imported (``env-get-outdated``)."""
    from sphinx_dftable.chart.directive import matplotlib_version

    waiting = pages(env) - removed
    if not waiting or matplotlib_version() is None:
        return []
    return sorted(waiting)
