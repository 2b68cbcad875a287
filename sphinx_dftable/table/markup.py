"""Decide whether a cell is reST inline markup, and parse it if it is. No Sphinx here.

A cell is parsed as the page would parse a paragraph holding the same text: with the
page's settings (through which Sphinx's roles reach the build environment), the roles the
page knows (docutils', Sphinx's, extensions', its own ``.. role::``), and every node and
message placed at the directive's source and line. So ``:ref:`BERT <bert-tutorial>```,
``:doc:``, ``:term:``, ``:download:``, ``:benchmark-pt:`Benchmark <inf2>``` or a link
render in a cell as in a paragraph, in reST and MyST pages alike, and a reference that
cannot be resolved warns, later, where Sphinx resolves it.

The parse writes into a scratch document with a reporter that keeps quiet, so a plain
value that merely contains a special character (``bert_``, ``*x``, ``a|b``, ``<script>``)
leaves no trace on the page: it is shown literally, with no warning. A cell is literal when
its parse reports a markup error (docutils marks each with a ``problematic`` node: an
unclosed ``*x``, an unknown role), makes nothing but text, or makes something that only
means something with the page's own names (``bert_``, ``x__``, ``|sub|``, ``[1]_``,
``_`target```). A message from a cell that renders as markup is passed on to the page.
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

# Nodes that report a problem or depend on the page's own names and targets: a cell that
# yields one of these is shown as the literal text it is.
_LITERAL_IF_FOUND = (
    nodes.problematic,
    nodes.system_message,
    nodes.footnote_reference,
    nodes.citation_reference,
    nodes.substitution_reference,
)


def maybe_markup(text: str) -> bool:
    return _MAYBE_MARKUP.search(text) is not None


class CellMarkupParser:
    """Parses cell text as reST inline markup on behalf of one directive.

    ``source`` and ``line`` are the directive's: nodes that roles locate (a reference
    Sphinx resolves later, an icon) and messages are placed there.
    """

    def __init__(
        self, document: nodes.document, source: str | None = None, line: int | None = None
    ) -> None:
        self._page_reporter = document.reporter
        self._source = source or document.get("source", "")
        self._line = line
        settings = document.settings
        self._scratch = utils.new_document(self._source, settings)
        # Problems in a trial parse mean "not markup", never a warning.
        reporter = utils.Reporter(self._source, 5, 5, stream=False)
        reporter.get_source_and_line = self._location
        self._scratch.reporter = reporter
        self._inliner = states.Inliner()
        self._inliner.init_customizations(settings)
        language_code = getattr(settings, "language_code", "en") or "en"
        self._memo = states.Struct(  # type: ignore[attr-defined]
            document=self._scratch,
            reporter=reporter,
            language=get_language(language_code, reporter),
            title_styles=[],
            section_level=0,
            section_bubble_up_kludge=False,
            inliner=self._inliner,
        )

    def _location(self, lineno: int | None = None) -> tuple[str, int | None]:
        return self._source, self._line

    def parse(self, text: str, lineno: int | None = None) -> list[nodes.Node] | None:
        """Inline nodes for ``text``, or None when it should render as literal text."""
        if not maybe_markup(text):
            return None
        parent = nodes.paragraph()
        line = self._line if lineno is None else lineno
        try:
            result, messages = self._inliner.parse(text, line or 0, self._memo, parent)
        except Exception:  # a third-party role that fails is not our page's failure
            return None
        if all(isinstance(n, nodes.Text) for n in result):
            return None  # no markup at all (``a\b``, ``<script>``)
        holder = nodes.inline("", "", *result)
        # ```text <https://x>`_`` also makes a named target for the URI; the link itself
        # does not need it, and its name would clash across cells.
        for target in list(holder.findall(nodes.target)):
            if target.get("refuri") and not target.get("refid"):
                target.parent.remove(target)
        for node in holder.findall(nodes.Element):
            if isinstance(node, _LITERAL_IF_FOUND) or _needs_page_names(node):
                return None
        for message in messages:
            self._pass_on(message)
        return list(holder.children)

    def _pass_on(self, message: nodes.system_message) -> None:
        """Report a message of a markup cell on the page, as a paragraph's would be."""
        text = message.children[0].astext() if message.children else ""
        details = [child.deepcopy() for child in message.children[1:]]
        location: dict[str, Any] = {"source": self._source}
        if self._line is not None:
            location["line"] = self._line
        self._page_reporter.system_message(message["level"], text, *details, **location)


def _needs_page_names(node: nodes.Element) -> bool:
    # ``bert_`` and ```x`_`` refer to targets by name; anonymous ``__`` references count
    # against the page's anonymous targets; ``_`x``` declares a name. All would be
    # dangling or clash in a table cell.
    attributes: dict[str, Any] = node.attributes
    if isinstance(node, nodes.target) and attributes.get("names"):
        return True
    return "refname" in attributes or bool(attributes.get("anonymous"))
