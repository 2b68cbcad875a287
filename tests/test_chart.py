"""df-chart in real Sphinx builds: figures, every builder, no redraws, exact warnings."""

from __future__ import annotations

import re
import shutil
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

from sphinx_dftable.chart import draw as chart_draw
from sphinx_dftable.chart.painter import painter_of

EPUB_CONF = {"epub_copyright": "2026, tests", "version": "1.0", "project": "charts"}
IMG = re.compile(r"<img ([^>]*class=\"dftable-chart\"[^>]*)/>")
ATTR = re.compile(r'(\w+)="([^"]*)"')
SWEEP_ALT = (
    "Throughput by concurrency: line chart of Throughput (tokens/s) by Concurrency, one line "
    "per Model (alpha-7b, beta-13b); 3 points per series; values from 640 to 5,200."
)


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "chart"
    shutil.copytree(rootdir / "test-chart", srcdir)
    return srcdir


class CacheWatch:
    """Which chart files a build drew: a drawn file is written anew into the cache."""

    def __init__(self, project: Path) -> None:
        self.cache = project / "_build" / "doctrees" / "dftable-charts"
        self.seen = self._state()

    def _state(self) -> dict[str, tuple[int, int]]:
        if not self.cache.is_dir():
            return {}
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in self.cache.glob("*.cache")}

    def drawn(self) -> list[str]:
        """The files drawn since the last call, by name (``dftable-chart-<digest>...``)."""
        now = self._state()
        found = sorted(name for name, state in now.items() if self.seen.get(name) != state)
        self.seen = now
        return found


@pytest.fixture
def draws(project: Path) -> CacheWatch:
    return CacheWatch(project)


def add_page(project: Path, name: str, text: str) -> Path:
    """Write ``name`` (with its suffix) and list it in the index's toctree."""
    page = project / name
    page.write_text(text, encoding="utf-8")
    index = project / "index.rst"
    entry = name.rsplit(".", 1)[0]
    index.write_text(
        index.read_text(encoding="utf-8").replace("   more\n", f"   more\n   {entry}\n"),
        encoding="utf-8",
    )
    return page


def build(
    make_app: Callable[..., Any], srcdir: Path, builder: str = "html", **kwargs: Any
) -> tuple[Any, str]:
    app = make_app(builder, srcdir=srcdir, **kwargs)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    app.cleanup()
    return app, warnings


def images(html: str) -> list[dict[str, str]]:
    return [dict(ATTR.findall(found)) for found in IMG.findall(html)]


def test_html_figures(make_app, project: Path) -> None:
    app, warnings = build(make_app, project)
    assert warnings == ""
    outdir = Path(app.outdir)
    html = (outdir / "index.html").read_text(encoding="utf-8")
    found = images(html)
    assert len(found) == 4
    for image in found:
        svg = (outdir / image["src"]).read_bytes()
        assert svg.startswith(b"<?xml") and b"<svg" in svg
        assert image["src"].startswith("_images/dftable-chart-")
    first, bars, stacked, scatter = found
    assert first["alt"] == SWEEP_ALT
    assert (first["width"], first["height"]) == ("691", "384")  # 7.2 x 4 inches
    assert bars["alt"] == "Bars of throughput per instance."
    assert scatter["alt"].startswith("Scatter chart of Time to first token (ms) by Output ")
    assert (stacked["width"], stacked["height"], stacked["style"]) == ("480", "288", "width: 60%")
    # a real figure: numbered, captioned, labelled, with the options' classes
    assert '<figure class="dftable-figure align-default" id="sweep-chart">' in html
    assert '<span class="caption-number">Fig. 1 </span>' in html
    assert "Output throughput of <em>both</em> models." in html
    assert '<span class="std std-numref">Fig. 1</span>' in html
    assert '<figure class="dftable-figure price-bars align-default">' in html
    assert '<figure class="dftable-figure align-center">' in html
    assert "The last paragraph of the page." in html
    texts = {
        0: ["Throughput by concurrency", "Concurrency", "5,000", "Model", "alpha-7b"],
        1: ["5,000 tok/s", "box.small", "Instance", "16"],
        3: ["Output throughput (tokens/s)", "Time to first token (ms)", "1,000", "2,000"],
    }
    for index, expected in texts.items():
        svg_text = (outdir / found[index]["src"]).read_text(encoding="utf-8")
        for text in expected:
            assert f"<!-- {text} -->" in svg_text, (index, text)
    more = (outdir / "more.html").read_text(encoding="utf-8")
    file_chart, dated = images(more)
    assert file_chart["alt"].startswith("beta-13b sweep: line chart of Throughput (tokens/s), ")
    assert dated["alt"] == (
        "Line chart of Cost per 1M tokens ($) by Date; 3 points; values from 0.9 to 1.5."
    )
    dated_svg = (outdir / dated["src"]).read_text(encoding="utf-8")
    assert "<!-- Feb -->" in dated_svg


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml"])
def test_other_html_builders_link_the_drawing(make_app, project: Path, builder: str) -> None:
    app, warnings = build(make_app, project, builder)
    assert warnings == ""
    outdir = Path(app.outdir)
    page = outdir / ("more/index.html" if builder == "dirhtml" else "index.html")
    found = images(page.read_text(encoding="utf-8"))
    assert len(found) == 2 if builder == "dirhtml" else 6
    for image in found:
        assert (page.parent / image["src"]).resolve().is_file()


def test_epub_carries_the_svg_files(make_app, project: Path) -> None:
    app, warnings = build(make_app, project, "epub", confoverrides=EPUB_CONF)
    assert [w for w in warnings.splitlines() if "epub.unknown_project_files" not in w] == []
    (book,) = Path(app.outdir).glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        svgs = [n for n in names if n.endswith(".svg") and "dftable-chart-" in n]
        assert len(svgs) == 12  # wide and narrow
        opf = archive.read(next(n for n in names if n.endswith(".opf"))).decode()
        page = archive.read("index.xhtml").decode()
    assert all(svg.startswith("_images/") for svg in svgs)
    for svg in svgs:
        assert f'href="{svg}"' in opf
    assert 'media-type="image/svg+xml"' in opf
    assert len(images(page)) == 4


def test_latex_includes_pdf_drawings_in_figures(make_app, project: Path) -> None:
    app, warnings = build(make_app, project, "latex")
    assert warnings == ""
    outdir = Path(app.outdir)
    (tex_file,) = outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    included = re.findall(
        r"\\sphinxincludegraphics(\[[^\]]*\])?\{\{(dftable-chart-\w+)\}\.pdf\}", tex
    )
    assert len(included) == 6
    for _options, stem in included:
        assert (outdir / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    assert "[width=0.600\\linewidth]" in [options for options, _ in included]
    assert r"\begin{figure}" in tex
    assert r"\label{\detokenize{index:sweep-chart}}" in tex
    assert r"Output throughput of \sphinxstyleemphasis{both} models." in tex
    assert r"\ref{\detokenize{index:sweep-chart}}" in tex


@pytest.mark.parametrize("builder", ["text", "man", "texinfo"])
def test_builders_without_images_show_the_alt_text(
    make_app, project: Path, builder: str, draws: CacheWatch
) -> None:
    app, warnings = build(make_app, project, builder)
    assert warnings == ""
    outdir = Path(app.outdir)
    suffix = {"text": "index.txt", "man": "*.1", "texinfo": "*.texi"}[builder]
    (found,) = outdir.glob(suffix)
    text = found.read_text(encoding="utf-8").replace("\\-", "-")
    text = " ".join(text.split())  # the writers wrap long lines
    assert "Throughput by concurrency: line chart of Throughput (tokens/s)" in text
    assert "Bars of throughput per instance." in text
    assert "dftable_chart" not in text
    assert draws.drawn() == []  # nothing is drawn for a builder that shows no images


@pytest.mark.latexpdf
def test_charts_compile_into_the_pdf(make_app, project: Path) -> None:
    app, warnings = build(make_app, project, "latex")
    assert warnings == ""
    outdir = Path(app.outdir)
    (tex_file,) = outdir.glob("*.tex")
    latexmk_pdf(outdir, tex_file.name)
    log = tex_file.with_suffix(".log").read_text(encoding="latin-1")
    assert len(set(re.findall(r"<(?:\./)?(dftable-chart-\w+\.pdf)", log))) == 6


def test_same_sources_give_byte_identical_files(make_app, tmp_path: Path, rootdir: Path) -> None:
    outputs = []
    for name in ("one", "two"):
        srcdir = tmp_path / name
        shutil.copytree(rootdir / "test-chart", srcdir)
        html_app, warnings = build(make_app, srcdir)
        assert warnings == ""
        latex_app, warnings = build(make_app, srcdir, "latex")
        assert warnings == ""
        files = {
            p.name: p.read_bytes()
            for outdir in (Path(html_app.outdir) / "_images", Path(latex_app.outdir))
            for p in outdir.glob("dftable-chart-*")
        }
        assert len(files) == 18  # 6 charts, as wide and narrow SVG and as PDF
        outputs.append(files)
    assert outputs[0] == outputs[1]


def edit(path: Path, text: str) -> None:
    time.sleep(0.01)  # a modification time clearly after the last build's reads
    path.write_text(text, encoding="utf-8")


def test_unchanged_charts_are_never_drawn_again(make_app, project: Path, draws: CacheWatch) -> None:
    build(make_app, project)
    first = draws.drawn()
    assert len(first) == 12  # 6 charts, each drawn wide and narrow
    _, warnings = build(make_app, project)  # nothing changed
    assert (warnings, draws.drawn()) == ("", [])
    # The page is read and written again, but its charts' data and options are the same.
    index = project / "index.rst"
    edit(index, index.read_text(encoding="utf-8") + "\nA new paragraph.\n")
    build(make_app, project)
    assert draws.drawn() == []
    # The output directory is gone: charts are copied from the cache, not drawn.
    shutil.rmtree(project / "_build" / "html")
    app, _ = build(make_app, project, freshenv=True)
    assert draws.drawn() == []
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert all((Path(app.outdir) / i["src"]).is_file() for i in images(html))
    # New data for beta-13b: the five charts that show it are drawn, the dated one is not.
    sweep = project / "sweep.csv"
    edit(sweep, sweep.read_text(encoding="utf-8").replace("2950", "2990"))
    app, _ = build(make_app, project)
    again = draws.drawn()
    assert len(again) == 10 and not set(again) & set(first)
    dated = images((Path(app.outdir) / "more.html").read_text(encoding="utf-8"))[1]
    assert f"{Path(dated['src']).name}.cache" in first


PARALLEL_PAGE = """Page {n}
=======

.. df-chart::
   :x: Concurrency
   :y: Throughput (tokens/s)
   :group: Model
   :title: Page {n}

   df = pd.read_csv("sweep.csv")
   df["Throughput (tokens/s)"] = df["Throughput (tokens/s)"] * {n}
"""


def test_parallel_build_writes_the_same_files(make_app, tmp_path: Path, rootdir: Path) -> None:
    trees = []
    for parallel in (1, 2):
        srcdir = tmp_path / f"j{parallel}"
        shutil.copytree(rootdir / "test-chart", srcdir)
        pages = [f"page{n}" for n in range(8)]
        for n, page in enumerate(pages):
            (srcdir / f"{page}.rst").write_text(PARALLEL_PAGE.format(n=n + 1), encoding="utf-8")
        index = srcdir / "index.rst"
        index.write_text(
            index.read_text(encoding="utf-8").replace(
                "   more\n", "   more\n" + "".join(f"   {page}\n" for page in pages)
            ),
            encoding="utf-8",
        )
        app, warnings = build(make_app, srcdir, parallel=parallel)
        assert warnings == ""
        outdir = Path(app.outdir)
        trees.append(
            {
                str(p.relative_to(outdir)): p.read_bytes()
                for p in outdir.rglob("*")
                if p.is_file() and (p.suffix == ".svg" or p.name.startswith("page"))
            }
        )
    assert len([name for name in trees[0] if name.endswith(".svg")]) == 28  # wide, narrow
    assert trees[0] == trees[1]


# -- errors -------------------------------------------------------------------------------

ERRORS_PAGE = """\
Errors
======

.. df-chart::
   :y: Model

   df = pd.read_csv("sweep.csv")

.. df-chart::
   :x: Concurrency
   :y: Throughput (tokens/s), Latency

   df = pd.read_csv("sweep.csv")

.. df-chart::
   :x: Concurrency

   df = pd.read_csv("sweep.csv").iloc[0:0]

.. df-chart::
   :kind: line
   :stacked:

   df = pd.read_csv("sweep.csv")

.. df-chart::
   :x: Concurrency

   df = pd.read_csv("sweep.csv")
   df = df.merge(prices, on="Instance")

.. df-chart::
   :x: Concurrency
   :y: TTFT P50 (ms)
   :logy:

   df = pd.read_csv("sweep.csv")
   df.loc[0, "TTFT P50 (ms)"] = 0

.. df-chart::
   :group: Region

   df = pd.read_csv("sweep.csv")

The rest of the page.
"""


MERGE_LINE = 'df = df.merge(prices, on="Instance")'


def line_of(text: str, marker: str, occurrence: int = 1) -> int:
    lines = text.splitlines()
    hits = [n + 1 for n, line in enumerate(lines) if line.strip() == marker]
    return hits[occurrence - 1]


def test_errors_warn_at_the_line_to_fix_and_the_page_still_builds(make_app, project: Path) -> None:
    page = add_page(project, "errors.rst", ERRORS_PAGE)
    app, warnings = build(make_app, project)
    where = str(page)
    text = ERRORS_PAGE
    expected = [
        f"{where}:{line_of(text, ':y: Model')}: WARNING: df-chart: column 'Model' is not "
        "numeric (for example 'alpha-7b'), so it cannot be drawn on the y axis [dftable.chart]",
        f"{where}:{line_of(text, ':y: Throughput (tokens/s), Latency')}: WARNING: df-chart: no "
        "column 'Latency' for :y:; the columns are 'Model', 'Instance', 'Concurrency', "
        "'Throughput (tokens/s)', 'TTFT P50 (ms)', 'Hourly price (USD)' [dftable.chart]",
        f"{where}:{line_of(text, '.. df-chart::', 3)}: WARNING: df-chart: the DataFrame is "
        "empty (0 rows x 6 columns); no chart rendered [dftable.empty]",
        f"{where}:{line_of(text, ':stacked:')}: WARNING: df-chart: :stacked: applies to bar "
        "charts only [dftable.chart]",
        f"{where}:{line_of(text, MERGE_LINE)}: WARNING: df-chart: "
        "NameError: name 'prices' is not defined [dftable.exec]",
        f"{where}:{line_of(text, '.. df-chart::', 6)}: WARNING: df-chart: 1 value(s) <= 0 not "
        "drawn on the log scale [dftable.chart]",
        f"{where}:{line_of(text, ':x: Concurrency', 4)}: WARNING: df-chart: rows of one series "
        "share an x value: 4 (2 rows), 16 (2 rows); the line joins them in row order. Name "
        "the column that tells them apart in :group: (several columns may be given), or "
        "give each one its own x value [dftable.chart]",
        f"{where}:{line_of(text, ':group: Region')}: WARNING: df-chart: no column 'Region' for "
        ":group:; the columns are 'Model', 'Instance', 'Concurrency', 'Throughput (tokens/s)', "
        "'TTFT P50 (ms)', 'Hourly price (USD)' [dftable.chart]",
    ]
    assert warnings.splitlines() == expected
    assert "Traceback" not in warnings
    outdir = Path(app.outdir)
    html = (outdir / "errors.html").read_text(encoding="utf-8")
    assert "The rest of the page." in html
    assert len(images(html)) == 1  # the log-scale chart, drawn without the zero
    assert len(images((outdir / "index.html").read_text(encoding="utf-8"))) == 4


MYST_PAGE = """\
# A MyST page

```{df-chart}
:x: Concurrency
:y: Users

df = pd.read_csv("sweep.csv")
```

```{df-chart}
:x: Concurrency

df = pd.read_csv("sweep.csv")
df = df[df["Model"] == missing]
```
"""


def test_myst_pages_warn_at_the_exact_lines_too(make_app, project: Path) -> None:
    add_page(project, "myst.md", MYST_PAGE)
    conf = {"extensions": ["sphinx_dftable", "myst_parser"]}
    _, warnings = build(make_app, project, confoverrides=conf)
    where = project / "myst.md"
    assert warnings.splitlines() == [
        f"{where}:5: WARNING: df-chart: no column 'Users' for :y:; the columns are 'Model', "
        "'Instance', 'Concurrency', 'Throughput (tokens/s)', 'TTFT P50 (ms)', "
        "'Hourly price (USD)' [dftable.chart]",
        f"{where}:14: WARNING: df-chart: NameError: name 'missing' is not defined [dftable.exec]",
    ]


def test_chart_warnings_can_be_suppressed(make_app, project: Path) -> None:
    add_page(project, "errors.rst", ERRORS_PAGE)
    conf = {"suppress_warnings": ["dftable.chart", "dftable.empty"]}
    _, warnings = build(make_app, project, confoverrides=conf)
    assert [w.rsplit(" ", 1)[-1] for w in warnings.splitlines()] == ["[dftable.exec]"]


def test_without_matplotlib_the_chart_is_its_description(
    make_app, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails
    app, warnings = build(make_app, project)
    lines = warnings.splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        f"{project / 'index.rst'}:10: WARNING: df-chart: matplotlib is not installed, so the "
        "chart is shown as its description; to draw it: pip install 'sphinx-dftable[charts]' "
        "[dftable.chart]"
    )
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert f'<p class="dftable-chart-alt">{SWEEP_ALT}</p>' in html
    assert '<span class="caption-number">Fig. 1 </span>' in html  # still a numbered figure
    assert not list(Path(app.outdir).rglob("dftable-chart-*"))


def test_installing_matplotlib_draws_the_charts_on_the_next_incremental_build(
    make_app, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as hidden:
        hidden.setitem(sys.modules, "matplotlib", None)  # not installed
        app, warnings = build(make_app, project)
    assert "matplotlib is not installed" in warnings
    assert not list(Path(app.outdir).rglob("dftable-chart-*.svg"))
    # matplotlib is importable again, as after `pip install`: nothing else changed.
    read: list[str] = []
    app = make_app("html", srcdir=project)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    app.cleanup()
    assert read == ["index", "more"]  # the pages with charts, and only they
    assert "matplotlib is not installed" not in warnings
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert 'class="dftable-chart-alt"' not in html
    assert len(images(html)) >= 1 and list(Path(app.outdir).rglob("dftable-chart-*.svg"))
    # And the next build, with nothing changed, re-reads nothing.
    read.clear()
    app = make_app("html", srcdir=project)
    app.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    app.build()
    app.cleanup()
    assert read == []


def test_a_drawing_failure_is_a_warning_and_the_alt_text(
    make_app, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(chart: Any, image_format: Any, renditions: Any) -> dict[str, bytes]:
        raise RuntimeError("no room for the legend")

    monkeypatch.setattr(chart_draw, "render_all", broken)
    # One process: the build draws each chart itself, with the broken drawing.
    app, warnings = build(make_app, project, confoverrides={"dftable_chart_processes": 1})
    lines = warnings.splitlines()
    assert len(lines) == 6
    assert lines[0] == (
        f"{project / 'index.rst'}:10: WARNING: df-chart: drawing the chart failed: "
        "RuntimeError: no room for the legend [dftable.chart]"
    )
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert f'<p class="dftable-chart-alt">{SWEEP_ALT}</p>' in html
    assert "The last paragraph of the page." in html


def test_a_failure_in_a_drawing_process_is_a_warning_at_its_chart(make_app, project: Path) -> None:
    # The workers cannot write into the cache: a file stands where its directory goes.
    cache = project / "_build" / "doctrees" / "dftable-charts"
    cache.parent.mkdir(parents=True)
    cache.write_text("not a directory", encoding="utf-8")
    app, warnings = build(make_app, project, confoverrides={"dftable_chart_processes": 2})
    lines = warnings.splitlines()
    assert len(lines) == 6  # one per chart: the narrow drawing is not tried without the wide
    assert lines[0].startswith(
        f"{project / 'index.rst'}:10: WARNING: df-chart: drawing the chart failed: "
        "FileExistsError: "
    )
    assert all(line.endswith("[dftable.chart]") for line in lines)
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert f'<p class="dftable-chart-alt">{SWEEP_ALT}</p>' in html
    assert "The last paragraph of the page." in html


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (":kind: pie", '"pie" unknown; choose from "line", "bar", or "scatter"'),
        (":size: big", "expected WIDTH x HEIGHT in inches, like 7.2 x 4, not 'big'"),
        (":size: 100 x 2", "100.0 x 2.0 inches: each side must be 1 to 40"),
        (":yformat: {:%Y}", "'{:%Y}' is not a str.format pattern for one number"),
        (":yformat: USD", "'USD' has no {} field for the value"),
        (":y: ,", "give at least one column name"),
        (":align: middle", '"middle" unknown; choose from "left", "center", or "right"'),
    ],
)
def test_bad_chart_options_are_reported_at_the_directive(
    make_app, tmp_path: Path, option: str, message: str
) -> None:
    srcdir = tmp_path / "bad"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_dftable"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text(
        f"Bad\n===\n\n.. df-chart::\n   {option}\n\n   df = pd.DataFrame({{'a': [1]}})\n\nAfter.\n",
        encoding="utf-8",
    )
    app, warnings = build(make_app, srcdir)
    assert f"{srcdir / 'index.rst'}:4:" in warnings
    assert message in warnings
    assert "After." in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def started_before_reading(app: Any) -> list[tuple[bool, int]]:
    """Whether the drawing workers were running once the pages to read were known, and
    how many pages there were."""
    seen: list[tuple[bool, int]] = []

    def before_reading(app: Any, env: Any, docnames: list[str]) -> None:
        seen.append((painter_of(app)._process is not None, len(docnames)))

    app.connect("env-before-read-docs", before_reading, priority=900)  # after the extension
    return seen


@pytest.mark.parametrize(
    ("builder", "parallel", "started"),
    [
        ("html", 1, True),
        ("html", 2, True),  # started in the build's process, before the readers are forked
        ("latex", 1, True),
        ("text", 1, False),  # a text build draws nothing
    ],
)
def test_the_workers_start_before_the_pages_are_read(
    make_app, project: Path, builder: str, parallel: int, started: bool
) -> None:
    app = make_app(
        builder, srcdir=project, parallel=parallel, confoverrides={"dftable_chart_processes": 2}
    )
    seen = started_before_reading(app)
    app.build()
    app.cleanup()
    assert seen == [(started, 2)]
    assert strip_colors(app.warning.getvalue()) == ""
    # Every page read again, every chart's files in the cache: no worker is needed.
    for page in project.glob("*.rst"):
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
    again = make_app(
        builder, srcdir=project, parallel=parallel, confoverrides={"dftable_chart_processes": 2}
    )
    seen = started_before_reading(again)
    again.build()
    again.cleanup()
    assert seen == [(False, 2)]


def test_no_worker_starts_for_pages_without_a_chart(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "tables"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinx_dftable"]\n', encoding="utf-8")
    (srcdir / "index.rst").write_text("Tables\n======\n\nNo chart here.\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, confoverrides={"dftable_chart_processes": 2})
    seen = started_before_reading(app)
    app.build()
    app.cleanup()
    assert seen == [(False, 1)]
