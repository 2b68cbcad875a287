"""Decide whether a cell is reST inline markup, and parse it if it is. No Sphinx here.

Cells such as ``:benchmark-pt:`Benchmark <inf2>``` or ```docs <https://x>`_`` render as
markup, in reST and MyST pages alike. A plain value that merely contains a special
character (``bert_``, ``*x``, ``a|b``, ``<script>``) renders literally, with no warning: a
trial parse runs against a private document with a silent reporter, and the cell counts as
markup only when that parse is clean and made nothing that needs the page's own targets.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes, utils
from docutils.parsers.rst import states
from docutils.parsers.rst.languages import get_language

# Characters without which no inline markup can start. Most cells (numbers, names) have
# none of them and skip the parser entirely.
_MAYBE_MARKUP = re.compile(r"[`*_|\[\\]|://|@")

# Nodes that depend on the page's own names and targets, or that report a problem: a cell
# that yields one of these is shown as the literal text it is.
_LITERAL_IF_FOUND = (
    nodes.problematic,
    nodes.system_message,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_reference,
    nodes.target,
)


def maybe_markup(text: str) -> bool:
    return _MAYBE_MARKUP.search(text) is not None


class CellMarkupParser:
    """Parses cell text as reST inline markup on behalf of one page."""

    def __init__(self, document: nodes.document) -> None:
        self._settings = document.settings
        self._source = document.get("source", "")
        self._scratch = utils.new_document(self._source, self._settings)
        # Problems in a trial parse mean "not markup", never a warning.
        self._scratch.reporter = utils.Reporter(self._source, 5, 5, stream=False)
        self._inliner = states.Inliner()
        self._inliner.init_customizations(self._settings)
        language_code = getattr(self._settings, "language_code", "en") or "en"
        self._memo = states.Struct(  # type: ignore[attr-defined]
            document=self._scratch,
            reporter=self._scratch.reporter,
            language=get_language(language_code, self._scratch.reporter),
            title_styles=[],
            section_level=0,
            section_bubble_up_kludge=False,
            inliner=self._inliner,
        )

    def parse(self, text: str, lineno: int = 0) -> list[nodes.Node] | None:
        """Inline nodes for ``text``, or None when it should render as literal text."""
        if not maybe_markup(text):
            return None
        parent = nodes.paragraph()
        try:
            result, messages = self._inliner.parse(text, lineno, self._memo, parent)
        except Exception:  # a third-party role that fails is not our page's failure
            return None
        if any(m["level"] >= 2 for m in messages) or all(isinstance(n, nodes.Text) for n in result):
            return None  # a warning (or worse) from the parse, or no markup at all
        holder = nodes.inline("", "", *result)
        # ```text <https://x>`_`` also makes a named target for the URI; the link itself
        # does not need it, and its name would clash across cells.
        for target in list(holder.findall(nodes.target)):
            if target.get("refuri") and not target.get("refid"):
                target.parent.remove(target)
        for node in holder.findall(nodes.Element):
            if isinstance(node, _LITERAL_IF_FOUND) or _needs_page_names(node):
                return None
        return list(holder.children)


def _needs_page_names(node: nodes.Element) -> bool:
    # ``bert_`` and ```x`_`` refer to targets by name; anonymous ``__`` references count
    # against the page's anonymous targets. Both would be dangling in a table cell.
    attributes: dict[str, Any] = node.attributes
    return "refname" in attributes or bool(attributes.get("anonymous"))
