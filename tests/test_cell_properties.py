"""Property: every cell of a generated DataFrame renders as the text ``to_csv`` writes for it.

Hypothesis generates small DataFrames of mixed dtypes (ints, floats with NaN and +-inf and
extreme magnitudes, bools, datetimes with NaT, and strings drawn from reST and HTML
specials, right-to-left letters, emoji, combining marks and newlines; column names are
such strings too). Each example is pickled beside a page whose snippet reads it, and real
Sphinx builds (html and text, one app each, reused across examples) render it. Checked:

- HTML: a plain cell's text is exactly what ``df.to_csv(index=False)`` writes for it, with
  the typographic quotes, dashes and ellipses docutils' SmartQuotes gives plain text under
  Sphinx's defaults (see :func:`typographic`), and the only element in the cell is the
  writer's ``<p>``: nothing in the cell content became markup (``<script>``, ``<b>``,
  entities all arrive as text). A cell the project treats as reST inline markup (decided by
  :class:`CellMarkupParser`, the directive's own parser) may hold inline elements only;
  its text is not compared, as SmartQuotes may change it.
- text builder (which Sphinx's default ``smartquotes_excludes`` leaves alone): the
  ``to_csv`` texts as they are, compared with whitespace removed, because the text writer
  wraps cells at the column width, also inside words (see :func:`squeeze`); markup cells
  are skipped there (the writer shows ``*emphasis*`` and link targets in its own way).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import column_width, new_document
from docutils.utils.smartquotes import educate_tokens
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx_compat import SphinxTestApp

from sphinx_dftable.table.markup import CellMarkupParser

PAGE = """\
Property
========

.. df-table::

   df = pd.read_pickle('frame.pkl')
"""

# Characters that stress escaping and markup detection, plus unicode that stresses widths.
ALPHABET = st.sampled_from(
    [*"ab Z09*_`|[]\\:<>&\"';/.-=", "\n", "א", "ب", "🚀", "e\u0301", "&amp;", "<b>"]
)
TEXT = st.lists(ALPHABET, max_size=8).map("".join)

FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([1e308, -5e-324, 0.1, -0.0, 1e16]),
)
DATES = st.one_of(
    st.datetimes(min_value=pd.Timestamp("1700-01-01"), max_value=pd.Timestamp("2200-01-01")),
    st.none(),
)
KINDS = {
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "float": FLOATS,
    "str": st.one_of(TEXT, st.none()),
    "bool": st.booleans(),
    "datetime": DATES,
}


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n_rows = draw(st.integers(1, 4))
    names = draw(st.lists(TEXT, min_size=1, max_size=4, unique=True))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(sorted(KINDS)))
        values = draw(st.lists(KINDS[kind], min_size=n_rows, max_size=n_rows))
        if kind == "datetime":
            columns[name] = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
        elif kind == "float":
            columns[name] = pd.Series(values, dtype=np.float64)
        else:
            columns[name] = pd.Series(values)
    return pd.DataFrame(columns)


def csv_cells(frame: pd.DataFrame) -> list[list[str]]:
    """Header row then body rows, as ``to_csv(index=False)`` writes them."""
    return list(csv.reader(io.StringIO(frame.to_csv(index=False))))


@dataclass
class HtmlCell:
    tags: list[str] = field(default_factory=list)
    text: str = ""


class _CellParser(HTMLParser):
    """Cells of the df-table: every tag opened inside a cell, and its text unescaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[HtmlCell]] = []
        self._in_table = False
        self._cell: HtmlCell | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and "dftable" in (dict(attrs).get("class") or "").split():
            self._in_table = True
        elif not self._in_table:
            return
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = HtmlCell()
            self.rows[-1].append(self._cell)
        elif self._cell is not None:
            self._cell.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text += data


def html_cells(path: Path) -> list[list[HtmlCell]]:
    parser = _CellParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.rows


def text_cells(path: Path) -> list[list[str]]:
    """Cells of the text builder's grid table, whitespace collapsed.

    Columns are cut at the border's ``+`` positions counted in display width (as the
    writer pads), so a ``|`` inside a cell does not split it.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("+-"))
    border = lines[start]
    cuts = [i for i, char in enumerate(border) if char == "+"]
    rows: list[list[str]] = []
    current: list[list[str]] | None = None
    for line in lines[start:]:
        if not line.startswith(("+", "|")):
            break
        if line.startswith("+") or set(line) <= set("|=+"):  # a border or the header rule
            if current is not None:
                rows.append([" ".join(" ".join(part).split()) for part in current])
            current = [[] for _ in cuts[:-1]]
            continue
        assert current is not None
        pieces, column, buffer = [], 0, ""
        for char in line:
            if column in cuts:
                pieces.append(buffer)
                buffer = ""
            else:
                buffer += char
            column += column_width(char)
        for k, piece in enumerate(pieces[1 : len(cuts)]):
            current[k].append(piece)
    return rows


def typographic(text: str) -> str:
    """``text`` as SmartQuotes educates plain text under Sphinx's defaults (``qDe``, English).

    Every character of a plain cell is text, so its backslashes are escaped for SmartyPants,
    which otherwise reads ``\\"`` as "keep this quote straight" and drops the backslash.
    """
    return "".join(educate_tokens([("plain", text.replace("\\", "\\\\"))], "qDe", "en"))


def squeeze(text: str) -> str:
    # The text writer wraps a cell at its column width, which it counts in display
    # columns while the directive sizes columns in characters: an emoji may wrap.
    return "".join(text.split())


@pytest.fixture(scope="module")
def markup_parser() -> CellMarkupParser:
    settings_ = get_default_settings(Parser)
    return CellMarkupParser(new_document("<cells>", settings_))


@dataclass
class Apps:
    srcdir: Path
    html: SphinxTestApp
    text: SphinxTestApp


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Apps]:
    srcdir = tmp_path_factory.mktemp("cell-properties")
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinx_dftable"]\nexclude_patterns = ["_html", "_text"]\n',
        encoding="utf-8",
    )
    (srcdir / "index.rst").write_text(PAGE, encoding="utf-8")
    pd.DataFrame({"a": [1]}).to_pickle(srcdir / "frame.pkl")
    # The read cache keys on size and mtime, which two examples may share.
    overrides = {"dftable_cache_size": 0}
    html = SphinxTestApp(
        "html", srcdir=srcdir, builddir=srcdir / "_html", freshenv=True, confoverrides=overrides
    )
    # The second app registers the same nodes again: harmless, and said in a warning.
    text = SphinxTestApp(
        "text", srcdir=srcdir, builddir=srcdir / "_text", freshenv=True, confoverrides=overrides
    )
    for app in (html, text):
        # Read the page every time: a new pickle may share the last build's mtime.
        app.connect("env-get-outdated", lambda app, env, added, changed, removed: ["index"])
    try:
        yield Apps(srcdir, html, text)
    finally:
        html.cleanup()
        text.cleanup()


def build(app: SphinxTestApp) -> None:
    app.warning.seek(0)
    app.warning.truncate()
    app.build(force_all=True)
    assert app.warning.getvalue() == ""


# Inline elements reST markup in a cell may make (emphasis, strong, literal, links, roles).
INLINE_TAGS = {"p", "em", "strong", "code", "span", "a", "cite", "sub", "sup"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=frames())
def test_every_cell_is_its_csv_text(
    apps: Apps, markup_parser: CellMarkupParser, frame: pd.DataFrame
) -> None:
    frame.to_pickle(apps.srcdir / "frame.pkl")
    expected = csv_cells(frame)
    is_markup = [[markup_parser.parse(text) is not None for text in row] for row in expected]

    build(apps.html)
    rendered = html_cells(Path(apps.html.outdir) / "index.html")
    assert [len(row) for row in rendered] == [len(row) for row in expected]
    for row, want_row, markup_row in zip(rendered, expected, is_markup, strict=True):
        for cell, want, markup in zip(row, want_row, markup_row, strict=True):
            if markup:
                assert set(cell.tags) <= INLINE_TAGS, (want, cell)
            elif want:
                assert (cell.tags, cell.text) == (["p"], typographic(want))
            else:
                assert (cell.tags, cell.text) == ([], "")

    build(apps.text)
    text_rows = text_cells(Path(apps.text.outdir) / "index.txt")
    assert len(text_rows) == len(expected)
    for row, want_row, markup_row in zip(text_rows, expected, is_markup, strict=True):
        assert len(row) == len(want_row)
        for cell, want, markup in zip(row, want_row, markup_row, strict=True):
            if not markup:
                assert squeeze(cell) == squeeze(want)
