"""Every builder renders df-tables: the same cell text in HTML, LaTeX, text, man, texinfo, epub."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from required_tools import latexmk_pdf

# Cell texts of the seed-shaped test page, as each builder must show them somewhere.
CELLS = ["bert-base-cased", "1000.12", "$0.139", "Inf2.48xlarge", "9000.5", "resnet50"]
EPUB_CONF = {"epub_copyright": "2026, tests", "version": "1.0", "project": "seed"}


def output_text(builder: str, outdir: Path) -> str:
    if builder in ("html", "dirhtml", "singlehtml"):
        return (outdir / "index.html").read_text(encoding="utf-8")
    if builder == "epub":
        (book,) = outdir.glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            return archive.read("index.xhtml").decode("utf-8")
    suffix = {"latex": "*.tex", "text": "index.txt", "man": "*.1", "texinfo": "*.texi"}[builder]
    (found,) = outdir.glob(suffix)
    text = found.read_text(encoding="utf-8")
    # LaTeX and roff escape hyphens; undo that so cell texts can be compared
    return text.replace("\\sphinxhyphen{}", "-").replace("\\-", "-")


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "latex", "text", "man", "texinfo", "epub"]
)
def test_builder_renders_the_tables(make_app, rootdir: Path, tmp_path: Path, builder: str) -> None:
    srcdir = tmp_path / "seed"
    shutil.copytree(rootdir / "test-seed", srcdir)
    app = make_app(builder, srcdir=srcdir, confoverrides=EPUB_CONF)
    app.build()
    warnings = [
        line
        for line in app.warning.getvalue().splitlines()
        if "epub.unknown_project_files" not in line  # the epub builder's own note on .doctrees
    ]
    assert warnings == []
    text = output_text(builder, Path(app.outdir))
    for cell in CELLS:
        expected = cell.replace("$", r"\$") if builder == "latex" else cell
        assert expected in text, (builder, cell)
    # markup cells are markup, plain cells with special characters are literal
    if builder in ("html", "dirhtml", "singlehtml", "epub"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert '<em class="benchmark-pt">Benchmark &lt;inf2&gt;</em>' in text
    elif builder == "latex":
        assert r"\sphinxstyleemphasis{Benchmark \textless{}inf2\textgreater{}}" in text
        assert "bert\\_" in text
    elif builder == "text":
        assert "*Benchmark <inf2>*" in text
        assert "<script>alert(1)</script>" in text
    # the compact body node never reaches a writer that does not know it
    assert "dftable_body" not in text


@pytest.mark.latexpdf
def test_long_and_wide_tables_compile_to_pdf(make_app, rootdir: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "latex"
    shutil.copytree(rootdir / "test-latex", srcdir)
    app = make_app("latex", srcdir=srcdir, confoverrides={"numfig": True})
    app.build()
    assert app.warning.getvalue() == ""
    outdir = Path(app.outdir)
    tex = (outdir / "dftable.tex").read_text(encoding="utf-8")
    assert r"\begin{longtable}" in tex  # 120 rows: page breaks, header repeated
    assert r"\begingroup\scriptsize" in tex  # 17 columns: smaller type
    pdf = latexmk_pdf(outdir, "dftable.tex")
    assert pdf.stat().st_size > 10_000
