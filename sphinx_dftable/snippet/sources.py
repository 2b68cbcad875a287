"""``:sources:``: under a table or chart, the data files its snippet read.

Each file is a download link to the raw file (a Sphinx ``download_reference``: HTML
builders copy it into ``_downloads/``; LaTeX, text and man show its name) with the date it
last changed: the last git commit that touched it, or outside git (or before its first
commit) the file's modification time, in UTC. When the collector's provenance log
``NAME.provenance.jsonl`` is beside a file, its one-line summary follows
(:func:`sphinx_dftable.provenance.summary`); the page is rebuilt when the log changes.

The directive's option overrides the site-wide ``dftable_sources``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinx_dftable import provenance
from sphinx_dftable.comparison import git
from sphinx_dftable.warnings_ import Subtype

if TYPE_CHECKING:
    from sphinx_dftable.snippet.directive import SnippetDirective

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1024)
def _git_date(path: Path, mtime_ns: int) -> str | None:
    """The date of the last commit that changed ``path``; cached per version of the file
    (its mtime), as a build asks once per directive."""
    found = git.last_change(path)
    return found[1][:10] if found else None


def changed_on(path: Path) -> str:
    """``2026-11-03``: when ``path`` last changed (see the module's text)."""
    mtime_ns = path.stat().st_mtime_ns
    found = _git_date(path, mtime_ns)
    if found is not None:
        return found
    return datetime.fromtimestamp(mtime_ns / 1e9, timezone.utc).strftime("%Y-%m-%d")


def _log_summary(directive: SnippetDirective, path: Path) -> str | None:
    log = provenance.log_path(path)
    if not log.is_file():
        return None
    directive.env.note_dependency(str(log))
    try:
        read = provenance.read_log(log)
    except OSError as exc:
        directive.warn(f"cannot read {log}: {exc.strerror or exc}", None, Subtype.SOURCES)
        return None
    for note in read.notes:  # "line N: why"
        line, _, why = note.removeprefix("line ").partition(": ")
        if "cut short" in why:  # a crash, not a mistake: said, never a warning
            logger.info("%s:%s: note: provenance log line %s", log, line, why)
        else:
            where = (str(log), int(line))
            directive.warn(f"provenance log line {why}", where, Subtype.SOURCES)
    return provenance.summary(read.entries)


def sources_note(directive: SnippetDirective, files: Sequence[Path]) -> list[nodes.Node]:
    """The note under the table or chart; nothing when ``:sources:`` is off or no file was
    read (the ``:file:`` snippet itself is not a data file)."""
    wanted = directive.options.get("sources", directive.settings.sources)
    shown = [
        p for p in dict.fromkeys(files) if p.is_file() and str(p) != directive.snippet_file_path
    ]
    if not wanted or not shown:
        return []
    page_dir = Path(directive.env.doc2path(directive.env.docname)).parent
    items = nodes.bullet_list()
    for path in shown:
        target = Path(os.path.relpath(path, page_dir)).as_posix()
        link = addnodes.download_reference(
            "", "", nodes.literal(path.name, path.name), reftarget=target, refexplicit=True
        )
        paragraph = nodes.paragraph("", "", link, nodes.Text(f", changed {changed_on(path)}"))
        summary = _log_summary(directive, path)
        if summary:
            paragraph += nodes.Text(f": {summary}")
        items += nodes.list_item("", paragraph)
    note = nodes.container("", nodes.paragraph("", "Sources:"), items, classes=["dftable-sources"])
    directive.set_source_info(note)
    return [note]
