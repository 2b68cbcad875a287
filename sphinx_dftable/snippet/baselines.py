"""Re-read a page when the branch its ``git:`` baseline names has moved.

A baseline at a tag or a commit never changes, so it never makes a page outdated; one at
a branch (``git:main``) does when the branch gets a new commit. Each page notes the
commits its baselines resolved to; before each build the names are resolved again
(one ``git rev-parse`` per repository and name) and the pages whose commit moved are
re-read. The notes survive ``-j N`` (merged from the workers) and are dropped with their
page.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: (repository root, revision as written, the commit it was) per page.
Note = tuple[str, str, str]
_ATTRIBUTE = "dftable_git_baselines"


def _notes(env: BuildEnvironment) -> dict[str, set[Note]]:
    if not hasattr(env, _ATTRIBUTE):
        setattr(env, _ATTRIBUTE, {})
    notes: dict[str, set[Note]] = getattr(env, _ATTRIBUTE)
    return notes


def note(env: BuildEnvironment, root: Path, name: str, commit: str) -> None:
    """The page being read compared with ``name``, which was ``commit``."""
    _notes(env).setdefault(env.docname, set()).add((str(root), name, commit))


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _notes(env).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    mine = _notes(env)
    for docname, found in _notes(other).items():
        if docname in docnames:
            mine.setdefault(docname, set()).update(found)


def _moved(
    app: Sphinx,
    env: BuildEnvironment,
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> list[str]:
    from sphinx_dftable.comparison.git import GitError, resolve

    now: dict[tuple[str, str], str | None] = {}
    outdated = []
    for docname, found in _notes(env).items():
        if docname in changed or docname in removed:
            continue
        for root, name, commit in found:
            if (root, name) not in now:
                try:
                    now[root, name] = resolve(Path(root), name).commit
                except GitError:
                    now[root, name] = None  # re-read: the page warns why
            if now[root, name] != commit:
                outdated.append(docname)
                break
    return sorted(outdated)


def setup_baselines(app: Sphinx) -> Any:
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _moved)
