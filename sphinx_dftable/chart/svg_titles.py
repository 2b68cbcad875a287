"""``<title>`` elements for the points and bars of a drawn SVG: tooltips without a script.

matplotlib's SVG backend writes an artist's link (``url``) as an ``<a>`` around what it
draws, but no titles. Each point and bar is drawn with a placeholder link; here each such
``<a>`` becomes a ``<g>`` whose first child is the point's ``<title>``, which browsers show
on hover and screen readers read. Plain text replacement keeps the rest of matplotlib's
bytes, so the file stays byte-identical for the same chart.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

_PREFIX = "dftable-mark-"
_OPENING = re.compile(rb'<a xlink:href="' + _PREFIX.encode() + rb'(\d+)"[^>]*>')


def placeholder(number: int) -> str:
    """The link a point or bar is drawn with, standing in for its title."""
    return f"{_PREFIX}{number}"


def insert(svg: bytes, titles: dict[str, str]) -> bytes:
    """``svg`` with each placeholder link replaced by a group holding its title."""
    found = 0

    def group(match: re.Match[bytes]) -> bytes:
        nonlocal found
        found += 1
        text = escape(titles[placeholder(int(match[1]))])
        return b"<g>\n    <title>" + text.encode("utf-8") + b"</title>"

    replaced = _OPENING.sub(group, svg)
    closing = replaced.count(b"</a>")
    # Only placeholder links are drawn, so every </a> closes one of them.
    if found != len(titles) or closing != found:
        raise ValueError(
            f"expected {len(titles)} placeholder links in the SVG, found {found} "
            f"(and {closing} closing tags)"
        )
    return replaced.replace(b"</a>", b"</g>")
