"""Plain cell text gets the page's typographic quotes, dashes and ellipses, as paragraphs do.

The ``roles-quotes`` root has a paragraph for each value of its table (``"FP32, BF16"``,
``don't``, ``a -- b``, ``wait...``, a header ``Model "family"``, a formatted ``15"``), so
every check compares a cell with the same text in a paragraph of the same page, in the
same build: HTML, LaTeX, text and man output, under Sphinx's ``smartquotes``,
``smartquotes_action``, ``smartquotes_excludes`` and ``language``.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from pathlib import Path

import pytest
from docutils import nodes

from sphinx_dftable.table.nodes import dftable_body

MODELS_CSV = Path(__file__).parent / "roots" / "test-roles-quotes" / "models.csv"


def html_texts(outdir: Path) -> tuple[list[str], list[str]]:
    page = (outdir / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<div class="quote-paragraphs docutils container">(.*?)</div>', page, re.S)
    assert found is not None
    table = page[page.index('id="data-types"') : page.index("</table>")]
    cells = re.findall(r"<t[dh][^>]*><p>(.*?)</p></t[dh]>", table, re.S)
    paragraphs = re.findall(r"<p>(.*?)</p>", found.group(1))
    return [html.unescape(p) for p in paragraphs], [html.unescape(c) for c in cells]


def latex_texts(outdir: Path) -> tuple[list[str], list[str]]:
    tex = (outdir / "quotes.tex").read_text(encoding="utf-8")
    start = tex.index(r"\begin{sphinxuseclass}{quote-paragraphs}")
    paragraphs = tex[start : tex.index(r"\end{sphinxuseclass}", start)]
    start = tex.index(r"\label{\detokenize{index:data-types}}")
    table = tex[start : tex.index(r"\end{tabular}", start)]
    first_lines = r"\\sphinxAtStartPar\n(.*)\n"
    return re.findall(first_lines, paragraphs), re.findall(first_lines, table)


def text_texts(outdir: Path) -> tuple[list[str], list[str]]:
    text = (outdir / "index.txt").read_text(encoding="utf-8")
    start = text.index("paragraphs of their own:") + len("paragraphs of their own:")
    paragraphs = text[start : text.index("-[ Data types ]-")].split("\n\n")
    table = text[text.index("+--") :]
    cells = [
        c.strip() for line in table.splitlines() if line.startswith("|") for c in line.split("|")
    ]
    return [p.strip() for p in paragraphs if p.strip()], [c for c in cells if c]


def man_texts(outdir: Path) -> tuple[list[str], list[str]]:
    man = (outdir / "quotes.1").read_text(encoding="utf-8")
    start = man.index("paragraphs of their own:\n") + len("paragraphs of their own:\n")
    paragraphs = man[start : man.index(".TS")].split("\n")
    table = man[man.index(".TS") : man.index(".TE")]
    cells = re.findall(r"T\{\n(.*?)\nT\}", table, re.S)
    return [p for p in paragraphs if p and p != ".sp" and p != "Data types"], cells


TEXTS = {"html": html_texts, "latex": latex_texts, "text": text_texts, "man": man_texts}

CURLY = "“FP32, BF16”"
STRAIGHT = '"FP32, BF16"'

CASES = [
    ("html", {}, CURLY),
    ("html", {"smartquotes": False}, STRAIGHT),
    ("html", {"smartquotes_action": "q"}, CURLY),
    ("html", {"language": "de"}, "„FP32, BF16“"),
    ("html", {"language": "ja"}, STRAIGHT),  # Sphinx's default excludes Japanese
    ("html", {"smartquotes_excludes": {"languages": [], "builders": ["html"]}}, STRAIGHT),
    ("latex", {}, CURLY),
    ("text", {}, STRAIGHT),  # Sphinx's default excludes the text and man builders
    ("text", {"smartquotes_excludes": {"languages": [], "builders": []}}, CURLY),
    ("man", {}, r"\(dqFP32, BF16\(dq"),
]


@pytest.fixture
def make_quotes_app(make_app, rootdir: Path, tmp_path: Path):
    def make(builder: str, **overrides: object):
        srcdir = tmp_path / builder
        shutil.copytree(rootdir / "test-roles-quotes", srcdir)
        return make_app(builder, srcdir=srcdir, confoverrides=overrides)

    return make


@pytest.mark.parametrize(("builder", "overrides", "fp32"), CASES)
def test_plain_cells_follow_the_pages_smartquotes(
    make_quotes_app, builder: str, overrides: dict[str, object], fp32: str
) -> None:
    app = make_quotes_app(builder, **overrides)
    app.build()
    assert app.warning.getvalue() == ""
    paragraphs, cells = TEXTS[builder](Path(app.outdir))
    assert len(paragraphs) == 9
    # Each value renders in its cell exactly as in its paragraph.
    missing = [p for p in paragraphs if p not in cells]
    assert not missing, (missing, cells)
    assert fp32 in paragraphs
    if overrides.get("smartquotes_action") == "q":  # quotes only: dashes and dots stay
        assert {"a -- b", "wait...", "don\N{RIGHT SINGLE QUOTATION MARK}t"} <= set(cells)


@pytest.mark.sphinx("html", testroot="roles-quotes", freshenv=True)
def test_raw_values_kept_for_sorting_search_and_download(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    table = page[page.index('id="data-types"') : page.index("</table>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table[table.index("<tbody") :], re.S)
    cells = [re.findall(r"<td([^>]*)><p>(.*?)</p></td>", row) for row in rows]
    shown = {html.unescape(text): attrs for row in cells for attrs, text in row}
    # A cell SmartQuotes changed sorts by its raw text; the others by what they show.
    assert shown["“FP32, BF16”"] == ' data-sort-value="&quot;FP32, BF16&quot;"'
    assert shown["don\N{RIGHT SINGLE QUOTATION MARK}t"] == ' data-sort-value="don\'t"'
    assert shown["a \N{EN DASH} b"] == ' data-sort-value="a -- b"'
    assert shown["a\\”b"] == ' data-sort-value="a\\&quot;b"'  # the backslash is text
    assert shown["FP16"] == shown["Llama"] == shown["plain"] == ""
    # A formatted column keeps its value as key; its shown text is educated as well.
    assert shown["15”"] == ' data-sort-value="15"'

    # The CSV download holds the data, not the typography.
    (download,) = re.findall(r'href="(_downloads/dftable/[^"]+/models\.csv)"', page)
    offered = (Path(app.outdir) / download).read_text(encoding="utf-8")
    assert list(csv.reader(io.StringIO(offered))) == list(
        csv.reader(io.StringIO(MODELS_CSV.read_text(encoding="utf-8")))
    )

    # The search words are the raw texts; the body node keeps shown and raw texts apart.
    doctree = app.env.get_doctree("index")
    (body,) = doctree.findall(dftable_body)
    words = [child for child in body.children if isinstance(child, nodes.Text)]
    assert '"FP32, BF16"' in words[0] and "don't" in words[0] and "“" not in words[0]
    assert body.rows[0][2:4] == ["“FP32, BF16”", "don\N{RIGHT SINGLE QUOTATION MARK}t"]


LANGUAGE_PAGE = """\
Languages
=========

.. container:: language-de

   "FP32, BF16"

   .. df-table::

      df = pd.DataFrame({'Model Data Type': ['"FP32, BF16"']})

.. df-table::
   :class: language-fr

   df = pd.DataFrame({'Model Data Type': ['"FP32, BF16"']})
"""


def test_a_language_class_sets_the_cells_quotes(make_quotes_app) -> None:
    app = make_quotes_app("html")
    (Path(app.srcdir) / "languages.rst").write_text(LANGUAGE_PAGE, encoding="utf-8")
    app.build()
    page = (Path(app.outdir) / "languages.html").read_text(encoding="utf-8")
    # In a German block, as the block's paragraph; with its own French class, French.
    assert "<p>„FP32, BF16“</p>" in page
    cells = re.findall(r"<td[^>]*><p>(.*?)</p></td>", page)
    assert cells == ["„FP32, BF16“", "«\N{NO-BREAK SPACE}FP32, BF16\N{NO-BREAK SPACE}»"]
