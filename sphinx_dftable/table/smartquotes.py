"""Typographic quotes, dashes and ellipses in plain cell text, as in the page's paragraphs.

Header cells and markup cells are docutils paragraphs, which Sphinx's SmartQuotes
transform educates like any other text of the page. Plain body cells are strings in the
body node (see :mod:`sphinx_dftable.table.nodes`) that no transform sees, so the directive
educates them with the transform's own rules: it asks Sphinx's transform whether it would
run (``smartquotes``, ``smartquotes_excludes``: by default not for the ``man`` and ``text``
builders, nor for Japanese and Chinese pages), then follows docutils' steps for a
paragraph (the ``smart_quotes`` and ``smartquotes_locales`` settings, the language) and
applies ``smartquotes_action``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes
from docutils.utils import normalize_language_tag, smartquotes
from sphinx.transforms import SphinxSmartQuotes

# What SmartyPants changes: quotes, backticks, dashes, ellipses, ``&quot;`` (action
# ``w``), and the character references its escape handling turns back into characters.
_MAY_CHANGE = re.compile(r"[\"'`]|--|\.\.\.|\. \. \.|&#|&quot;")
# Action ``-1`` turns typographic characters back into ASCII: any cell may change.
_ANYTHING = re.compile(r".", re.DOTALL)


@dataclass(frozen=True)
class CellEducator:
    """Educates plain cell text with one SmartQuotes action and language."""

    action: str
    language: str

    def may_change(self, text: str) -> bool:
        """False when ``text`` (one cell, or a column joined by newlines) stays as it is."""
        pattern = _ANYTHING if self.action == "-1" else _MAY_CHANGE
        return pattern.search(text) is not None

    def __call__(self, text: str) -> str:
        # A backslash in a plain cell is text, not a SmartyPants escape: double it, as
        # Sphinx does for the backslashes that survive reST parsing.
        tokens = [("plain", text.replace("\\", "\\\\"))]
        return "".join(smartquotes.educate_tokens(tokens, attr=self.action, language=self.language))


def cell_educator(document: nodes.document, language: str) -> CellEducator | None:
    """How the page's SmartQuotes transform treats a paragraph in ``language``; None: not at all.

    ``language`` is the code of the cells' text (the page's, unless a ``language-*``
    class says otherwise).
    """
    transform = SphinxSmartQuotes(document, None)
    if not transform.is_available():
        return None
    settings = document.settings
    smart_quotes = getattr(settings, "smart_quotes", False)
    if not smart_quotes:
        return None
    if isinstance(smart_quotes, str) and smart_quotes.startswith("alt"):
        language = (
            language.replace("-x-altquot", "")
            if "-x-altquot" in language
            else f"{language}-x-altquot"
        )
    locales = getattr(settings, "smartquotes_locales", None)
    if locales:
        smartquotes.smartchars.quotes.update(dict(locales))
    for tag in normalize_language_tag(language):
        if tag in smartquotes.smartchars.quotes:
            language = tag
            break
    else:  # a language without quote characters keeps ASCII quotes
        language = ""
    return CellEducator(transform.config.smartquotes_action, language)
