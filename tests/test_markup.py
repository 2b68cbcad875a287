"""Which cell texts are reST inline markup, decided without Sphinx."""

from __future__ import annotations

import pytest
from docutils import nodes, utils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser

from sphinx_dftable.table.markup import CellMarkupParser, maybe_markup


@pytest.fixture
def parser() -> CellMarkupParser:
    settings = get_default_settings(Parser)
    return CellMarkupParser(utils.new_document("page.rst", settings))


@pytest.mark.parametrize(
    ("text", "node_type"),
    [
        ("*x*", nodes.emphasis),
        ("**x**", nodes.strong),
        ("``x``", nodes.literal),
        (":emphasis:`Benchmark`", nodes.emphasis),
        ("`docs <https://example.org>`_", nodes.reference),
        ("`docs <https://example.org>`__", nodes.reference),
        ("https://example.org/x", nodes.reference),
    ],
)
def test_markup_renders_as_markup(parser: CellMarkupParser, text: str, node_type: type) -> None:
    result = parser.parse(text)
    assert result is not None
    assert isinstance(result[0], node_type)
    # the embedded-URI link's target is dropped: its name would clash across cells
    assert not any(isinstance(n, nodes.target) for n in result)


@pytest.mark.parametrize(
    "text",
    [
        "bert_",
        "x__",
        "*x",
        "a|b",
        "|sub|",
        "<script>",
        "[1]_",
        ":nope:`x`",
        "_`target`",
        "plain",
        "1.5",
        "a\\b",
        "`unclosed",
    ],
)
def test_plain_values_stay_literal(parser: CellMarkupParser, text: str) -> None:
    assert parser.parse(text) is None


def test_the_page_document_is_untouched(parser: CellMarkupParser) -> None:
    settings = get_default_settings(Parser)
    document = utils.new_document("page.rst", settings)
    own = CellMarkupParser(document)
    for text in ("bert_", "x__", "`a <https://x.y>`_", "_`t`"):
        own.parse(text)
    assert document.refnames == {}
    assert document.nameids == {} and len(document.children) == 0


def test_prefilter_skips_ordinary_values() -> None:
    assert not maybe_markup("Inf2.48xlarge")
    assert not maybe_markup("1234.5")
    assert maybe_markup("a_b")
