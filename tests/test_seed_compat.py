"""Pages written for the original df-table build unchanged and show the same cell text."""

from __future__ import annotations

import contextlib
import csv
import io
import re
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from html_tables import dftables


def snippets(page: Path) -> list[str]:
    """The body of each df-table directive on ``page``, dedented."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.strip() != ".. df-table::":
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        for following in lines[i + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        code = [b for b in body if not b.strip().startswith(":")]
        found.append(textwrap.dedent("\n".join(code)).strip())
    return found


def expected_frame(srcdir: Path, snippet: str) -> pd.DataFrame:
    """What the original directive computed: the snippet run with the page's directory as cwd."""
    namespace: dict[str, object] = {"pd": pd}
    code = snippet.replace("pd.read_csv('", f"pd.read_csv('{srcdir}/")
    # The seed page uses astype(copy=True), which pandas 3 deprecates (pandas 2 does not).
    pandas_3 = int(pd.__version__.split(".")[0]) >= 3
    with pytest.warns(DeprecationWarning) if pandas_3 else contextlib.nullcontext():
        exec(code, namespace)
    frame = namespace["df"]
    assert isinstance(frame, pd.DataFrame)
    return frame


def csv_texts(frame: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(frame.to_csv(index=False))))
    return rows[0], rows[1:]


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_seed_page_builds_without_warnings(app) -> None:
    app.build()
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_cells_equal_to_csv_text(app) -> None:
    app.build()
    page = Path(app.srcdir) / "index.rst"
    built = dftables(Path(app.outdir) / "index.html")
    expected = [expected_frame(Path(app.srcdir), s) for s in snippets(page)]
    assert len(built) == len(expected) == 4
    for table, frame in zip(built, expected, strict=True):
        header, body = csv_texts(frame)
        assert table.header_texts == [header]
        assert len(table.body) == len(body)
        for row_cells, row_text in zip(table.body, body, strict=True):
            for cell, text, column in zip(row_cells, row_text, header, strict=True):
                if column == "Scripts" and text.startswith(":benchmark-pt:"):
                    # reST markup renders as markup: the role's text inside <em>
                    assert cell.html == '<p><em class="benchmark-pt">Benchmark <inf2></em></p>'
                elif text.startswith(":ref:"):
                    # Sphinx's roles resolve in cells as in a paragraph
                    assert cell.html == (
                        '<p><a class="reference internal" href="src/examples/pytorch/'
                        "bert_tutorial/tutorial_pretrained_bert.html#src-examples-pytorch-"
                        'bert-tutorial-tutorial-pretrained-bert-ipynb"><span class="std std-ref">'
                        "HuggingFace Pretrained BERT</span></a></p>"
                    )
                elif text.startswith("`docs <"):
                    assert cell.html == (
                        '<p><a class="reference external" href="https://example.org/bert">'
                        "docs</a></p>"
                    )
                else:
                    assert cell.text == text, (column, cell.html)


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_plain_values_with_special_characters_render_literally(app) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    vision = dftables(Path(app.outdir) / "index.html")[3]
    scripts = [row[2] for row in vision.body]
    assert {c.text for c in scripts} == {"a|b", "<script>alert(1)</script>", "bert_"}
    # one paragraph of text each: no element was made from the cell's content
    assert all(c.html == f"<p>{c.text}</p>" for c in scripts)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_tables_sit_in_their_tabs(app) -> None:
    app.build()
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    tab_contents = re.findall(
        r'<div class="sd-tab-content[^"]*"[^>]*>(.*?)</div>\s*(?=<input|</div>)', html, re.S
    )
    assert len(tab_contents) == 4
    assert all('class="dftable' in content for content in tab_contents)


@pytest.mark.sphinx("html", testroot="seed", freshenv=True)
def test_plain_cells_are_in_the_search_index(app) -> None:
    app.build()
    index = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    # words that appear only in table cells, never in the page's prose
    assert '"resnet50"' in index
    assert '"matmult"' in index
