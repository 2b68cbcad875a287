"""Which cell texts are reST inline markup, decided without Sphinx."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docutils import nodes, utils
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser, roles

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


def located_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """A role that places its node, as Sphinx's roles do, and warns about its text."""
    node = nodes.inline(rawtext, text, classes=["located"])
    node.source, node.line = inliner.reporter.get_source_and_line(lineno)
    return [node], [inliner.reporter.warning(f"deprecated value {text!r}", line=lineno)]


def failing_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: Any = None,
    content: Any = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    msg = inliner.reporter.error(f"bad value {text!r}", line=lineno)
    return [inliner.problematic(rawtext, rawtext, msg)], [msg]


@pytest.fixture
def page() -> tuple[nodes.document, io.StringIO]:
    stream = io.StringIO()
    document = utils.new_document("/src/page.rst", get_default_settings(Parser))
    document.reporter = utils.Reporter("/src/page.rst", 2, 5, stream=stream)
    return document, stream


def test_roles_place_nodes_and_messages_at_the_directive(
    page: tuple[nodes.document, io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    document, stream = page
    monkeypatch.setitem(roles._roles, "located", located_role)
    parser = CellMarkupParser(document, "/src/page.rst", 12)
    result = parser.parse(":located:`old`")
    assert result is not None
    (node,) = result
    assert isinstance(node, nodes.inline) and (node.source, node.line) == ("/src/page.rst", 12)
    # A well-formed role that warns still renders; its warning reaches the page's reporter.
    assert stream.getvalue() == "/src/page.rst:12: (WARNING/2) deprecated value 'old'\n"


def test_a_role_that_reports_an_error_is_literal_and_silent(
    page: tuple[nodes.document, io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    document, stream = page
    monkeypatch.setitem(roles._roles, "failing", failing_role)
    parser = CellMarkupParser(document, "/src/page.rst", 12)
    assert parser.parse(":failing:`x`") is None
    assert parser.parse("*x") is None
    assert stream.getvalue() == ""
