"""Every role renders in a table cell as it does in a paragraph of the same page.

The ``roles`` root has a reST page and a MyST page, each with a paragraph per role (in
the page's own syntax) and a ``df-table`` whose cells hold the same roles as reST text:
Sphinx's standard and domain roles, ``sphinx.ext.extlinks``, sphinx-design's badges and
icons, the page's own ``.. role::``, references that cannot be resolved. Its ``inf2`` page
is shaped like the published Inf2 performance page (tab sets, merged CSVs, a Scripts column
of tutorial ``:ref:`` links and ``:benchmark-pt:`` roles).
"""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

ROLES_CSV = Path(__file__).parent / "roots" / "test-roles" / "roles.csv"
PLAIN_CSV = Path(__file__).parent / "roots" / "test-roles" / "plain.csv"


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def paragraphs(page: str) -> list[str]:
    """The inner HTML of each paragraph in the page's ``role-paragraphs`` container."""
    found = re.search(r'<div class="role-paragraphs docutils container">\n(.*?)</div>', page, re.S)
    assert found is not None
    return re.findall(r"<p>(.*?)</p>", found.group(1), re.S)


def body_cells(page: str, table_id: str | None = None, nth: int = 0) -> list[list[str]]:
    """The inner HTML of each body cell of a table (by id, or the nth table)."""
    if table_id is not None:
        start = page.index(f'id="{table_id}"')
    else:
        start = [m.start() for m in re.finditer(r"<table ", page)][nth]
    opening = re.compile(r"<tbody[^>]*>").search(page, start)  # classes mark its filters
    assert opening is not None
    tbody = page[opening.end() : page.index("</tbody>", start)]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", tbody, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]


def without_index_ids(markup: str) -> str:
    # Index targets are numbered through the page: a cell's differs from its paragraph's.
    return re.sub(r'id="index-\d+"', 'id="index-N"', markup)


def is_role(text: str) -> bool:
    return re.search(r":[\w:-]+:`", text) is not None


def read(app, page: str) -> str:
    return (Path(app.outdir) / page).read_text(encoding="utf-8")


def line_of(path: Path, text: str, start: int = 0) -> int:
    """The 1-based number of the first line from ``start`` that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i + 1 for i, line in enumerate(lines) if i >= start and text in line)


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_role_cells_render_as_in_a_paragraph(app) -> None:
    app.build()
    rows = csv_rows(ROLES_CSV)
    role_cells = [text for _kind, text in rows if is_role(text)]
    assert len(role_cells) >= 28
    rendered: dict[str, list[str]] = {}
    for page, table_id in (("roles.html", "role-cells"), ("myst.html", "myst-role-cells")):
        text = read(app, page)
        expected = paragraphs(text)
        cells = body_cells(text, table_id)
        assert len(cells) == len(expected) == len(rows)
        for (kind, source), cell, paragraph in zip(rows, cells, expected, strict=True):
            assert cell[0] == f"<p>{kind}</p>"
            assert without_index_ids(cell[1]) == without_index_ids(f"<p>{paragraph}</p>"), kind
            assert html.escape(source, quote=False) not in cell[1], kind  # never the source
        rendered[page] = [cell[1] for cell in cells]
    # MyST pages parse cells as reST, as the original did: the same cells as on the reST page.
    assert [without_index_ids(c) for c in rendered["myst.html"]] == [
        without_index_ids(c) for c in rendered["roles.html"]
    ]


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_references_resolve_like_a_paragraphs(app) -> None:
    app.build()
    roles = read(app, "roles.html")
    cells = {row[0]: row[1] for row in body_cells(roles, "role-cells")}
    tutorial = "src/examples/pytorch/bert_tutorial/tutorial_pretrained_bert.html"
    assert cells["<p>ref to a notebook</p>"] == (
        f'<p><a class="reference internal" href="{tutorial}#src-examples-pytorch-bert-tutorial-'
        'tutorial-pretrained-bert-ipynb"><span class="std std-ref">HuggingFace Pretrained BERT'
        "</span></a></p>"
    )
    assert cells["<p>numref</p>"] == (
        '<p><a class="reference internal" href="other.html#fig-throughput">'
        '<span class="std std-numref">Fig. 1</span></a></p>'
    )
    # The file beside the page is copied, as for a paragraph's :download:.
    (download,) = re.findall(r'href="(_downloads/[^"]+/data\.csv)"', cells["<p>download</p>"])
    assert (Path(app.outdir) / download).read_text(encoding="utf-8").startswith("Model,")
    # An unresolved reference shows its title, never the role's source.
    assert cells["<p>unresolved ref</p>"] == (
        '<p><span class="xref std std-ref">Missing tutorial</span></p>'
    )
    assert cells["<p>unresolved doc</p>"] == (
        '<p><span class="xref std std-doc">no-such-page</span></p>'
    )
    # Index entries made by roles in cells (:envvar:, :pep:) point into the table.
    index_ids = re.findall(r'id="(index-\d+)"', "".join(cells.values()))
    genindex = read(app, "genindex.html")
    assert index_ids and all(f"roles.html#{id_}" in genindex for id_ in index_ids)


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_unresolved_references_warn_as_in_a_paragraph(app) -> None:
    app.build()
    src = Path(app.srcdir)
    rst, md = src / "roles.rst", src / "myst.md"
    expected = []
    for page, directive in (
        (rst, ".. df-table:: Roles in cells"),
        (md, "{df-table} Roles in cells"),
    ):
        at_table = line_of(page, directive)
        for target, message in (
            ("no-such-label>", "undefined label: 'no-such-label' [ref.ref]"),
            ("`no-such-page`", "unknown document: 'no-such-page' [ref.doc]"),
        ):
            # The paragraph warns at its line; the cell at the directive's line.
            expected.append(f"{page}:{line_of(page, target)}: WARNING: {message}")
            expected.append(f"{page}:{at_table}: WARNING: {message}")
    warnings = strip_colors(app.warning.getvalue()).splitlines()
    assert sorted(warnings) == sorted(expected)


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_plain_values_stay_literal(app) -> None:
    app.build()
    roles = read(app, "roles.html")
    plain = csv_rows(PLAIN_CSV)
    cells = body_cells(roles, nth=1)
    assert len(cells) == len(plain)
    for cell, (_model, value) in zip(cells, plain, strict=True):
        text = re.fullmatch(r"<p>([^<]*)</p>", cell[1])  # one paragraph of text, no element
        assert text is not None and html.unescape(text.group(1)) == value, cell
    assert "<script>alert" not in roles
    # No warning names the plain table (the page's only warnings are its unresolved refs).
    assert not [w for w in app.warning.getvalue().splitlines() if "nope" in w or "sub" in w]


@pytest.mark.sphinx("html", testroot="roles", freshenv=True)
def test_inf2_page_scripts_column(app) -> None:
    app.build()
    page = read(app, "inf2.html")
    tutorial, benchmark = paragraphs(page)
    assert 'href="src/examples/pytorch/bert_tutorial/tutorial_pretrained_bert.html#' in tutorial
    assert benchmark == '<em class="benchmark-pt">Benchmark &lt;inf2&gt;</em>'
    scripts = [row[1] for nth in (0, 1) for row in body_cells(page, nth=nth)]
    assert len(scripts) == 5
    assert sorted(set(scripts)) == sorted({f"<p>{tutorial}</p>", f"<p>{benchmark}</p>"})
    assert app.warning.getvalue().count("inf2.rst") == 0


def build(make_app, rootdir: Path, tmp_path: Path, name: str, parallel: int):
    srcdir = tmp_path / name
    shutil.copytree(rootdir / "test-roles", srcdir)
    app = make_app("html", srcdir=srcdir, parallel=parallel)
    app.build()
    app.cleanup()
    return app, srcdir


def test_parallel_build_renders_cells_like_a_serial_one(
    make_app, rootdir: Path, tmp_path: Path
) -> None:
    serial, serial_src = build(make_app, rootdir, tmp_path, "serial", 1)
    parallel, parallel_src = build(make_app, rootdir, tmp_path, "parallel", 2)
    assert parallel.is_parallel_allowed("read") and parallel.is_parallel_allowed("write")
    # Pages were read in chunks by worker processes ("reading sources... [ 50%] a .. c").
    status = strip_colors(parallel.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", status), status
    for page in ("roles.html", "myst.html", "inf2.html", "genindex.html"):
        assert read(serial, page) == read(parallel, page), page

    def warnings(app, srcdir: Path) -> list[str]:
        text = strip_colors(app.warning.getvalue()).replace(str(srcdir), "<src>")
        return sorted(text.splitlines())

    assert warnings(serial, serial_src) == warnings(parallel, parallel_src)
    assert len(warnings(parallel, parallel_src)) == 8


def text_grid_cells(text: str) -> list[list[str]]:
    """The cells of a text-builder grid table, each cell's wrapped lines joined."""
    rows: list[list[list[str]]] = []
    for line in text.splitlines():
        if line.startswith("+") or set(line) <= set("|=+"):  # a border or the header rule
            rows.append([])
        elif line.startswith("|") and rows:
            pieces = [piece.strip() for piece in line.strip("|").split("|")]
            if not rows[-1]:
                rows[-1] = [[] for _ in pieces]
            for cell, piece in zip(rows[-1], pieces, strict=True):
                cell.append(piece)
    return [[" ".join(" ".join(c).split()) for c in row] for row in rows if row]


@pytest.mark.sphinx("text", testroot="roles", freshenv=True)
def test_role_cells_in_text_output(app) -> None:
    app.build()
    text = read(app, "roles.txt")
    start = text.index("Each role of the table below")
    blocks = text[start : text.index("The same roles as table cells")].split("\n\n")[1:]
    expected = [" ".join(block.split()) for block in blocks if block.strip()]
    table = text[text.index("Roles in cells") : text.index("Plain values")]
    cells = text_grid_cells(table)[1:]  # the header row is read as a row too
    # An icon is HTML only: its paragraph and its cell are both empty in text.
    assert [kind for kind, cell in cells if not cell] == ["octicon"]
    assert [cell for _kind, cell in cells if cell] == expected
    assert "Tuning guide" in expected and "HuggingFace Pretrained BERT" in expected
    assert not re.search(r":[\w:-]+:`", table)  # no role is shown as its source


@pytest.mark.sphinx("latex", testroot="roles", freshenv=True)
def test_role_cells_in_latex_output(app) -> None:
    app.build()
    (tex,) = Path(app.outdir).glob("*.tex")
    text = tex.read_text(encoding="utf-8")
    start = text.index(r"\label{\detokenize{roles:role-cells}}")
    table = text[start : text.index(r"\end{longtable}", start)]
    assert r"\hyperref[\detokenize{other:target-label}]" in table
    assert r"\sphinxhref{https://github.com/aws-neuron/aws-neuron-sdk/issues/123}" in table
    assert r"\sphinxguilabel{\sphinxaccelerator{C}ancel}" in table
    assert not re.search(r":[\w:-]+:`", table)


@pytest.mark.latexpdf
@pytest.mark.sphinx("latex", testroot="roles", freshenv=True)
def test_role_cells_compile_to_pdf(app) -> None:
    app.build()
    (tex,) = Path(app.outdir).glob("*.tex")
    pdf = latexmk_pdf(Path(app.outdir), tex.name)
    assert pdf.stat().st_size > 10_000
