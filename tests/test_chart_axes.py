"""Second y axes, facets, categorical and log x, repeated x values: in real builds."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from required_tools import latexmk_pdf
from sphinx.util.console import strip_colors

EPUB_CONF = {"epub_copyright": "2026, tests", "version": "1.0", "project": "axes"}
PICTURE = re.compile(r"<picture class=\"dftable-chart\">(.*?)</picture>", re.S)
ATTR = re.compile(r'([\w-]+)="([^"]*)"')
TITLE = re.compile(r"<title>([^<]*)</title>")
Y2_ALT = (
    "Throughput and time to first token: line chart of Throughput (tokens/s) by Concurrency, "
    "one line per Engine (tgi, vllm), with TTFT P50 (ms) on a second y axis; 5 points per "
    "series; values from 16.25 to 7,539."
)
FACET_ALT = (
    "Throughput by instance, one panel per engine: bar chart of Throughput (tokens/s) by "
    "Concurrency, one bar per Instance (box.small, box.large), in 2 panels by Engine (tgi, "
    "vllm); 3 to 5 points per series; values from 16.25 to 300.5."
)


@pytest.fixture
def project(tmp_path: Path, rootdir: Path) -> Path:
    srcdir = tmp_path / "axes"
    shutil.copytree(rootdir / "test-chart-axes", srcdir)
    return srcdir


def build(
    make_app: Callable[..., Any], srcdir: Path, builder: str = "html", **kwargs: Any
) -> tuple[Any, str]:
    app = make_app(builder, srcdir=srcdir, **kwargs)
    app.build()
    warnings = strip_colors(app.warning.getvalue())
    app.cleanup()
    return app, warnings


def pictures(html: str) -> list[dict[str, dict[str, str]]]:
    """Each chart's <source> and <img> attributes."""
    found = []
    for inner in PICTURE.findall(html):
        parts = {}
        for tag, attributes in re.findall(r"<(source|img) ([^>]*)/>", inner):
            parts[tag] = dict(ATTR.findall(attributes))
        found.append(parts)
    return found


def test_html_pictures_pick_the_narrow_drawing_on_small_screens(make_app, project: Path) -> None:
    app, warnings = build(make_app, project)
    assert warnings == ""
    outdir = Path(app.outdir)
    html = (outdir / "index.html").read_text(encoding="utf-8")
    y2, facet, log, natural = pictures(html)
    assert y2["img"]["alt"] == Y2_ALT
    assert facet["img"]["alt"] == FACET_ALT
    assert (y2["img"]["width"], y2["img"]["height"]) == ("691", "384")
    assert y2["source"]["media"] == "(max-width: 640px)"
    assert (y2["source"]["width"], y2["source"]["height"]) == ("422", "326")
    narrow = outdir / y2["source"]["srcset"]
    assert narrow.name.endswith("-narrow.svg")
    assert b'width="316.8pt"' in narrow.read_bytes()  # 4.4 inches
    assert "source" not in natural  # 4 inches wide: small enough for any screen
    assert "log" in log["img"]["alt"] or log["img"]["alt"].startswith("Throughput on a log")
    for chart in (y2, facet, log, natural):
        for part in chart.values():
            path = outdir / part.get("src", part.get("srcset", ""))
            assert path.read_bytes().startswith(b"<?xml")
    svg = (outdir / y2["img"]["src"]).read_text(encoding="utf-8")
    for text in ("Concurrency", "TTFT P50 (ms)", "6,000 ms", "16", "tgi (right axis)"):
        assert f"<!-- {text} -->" in svg, text
    # evenly spaced categories: 1, 2, 4, 8, 16 as labels, not to scale
    assert TITLE.findall(svg)[:2] == [
        "tgi\nConcurrency: 1\nThroughput (tokens/s): 16.25",
        "tgi\nConcurrency: 2\nThroughput (tokens/s): 29.5",
    ]
    facet_svg = (outdir / facet["img"]["src"]).read_text(encoding="utf-8")
    assert "<!-- tgi -->" in facet_svg and "<!-- vllm -->" in facet_svg  # panel titles
    assert "Engine: vllm\nbox.small\nConcurrency: 16\nThroughput (tokens/s): 170.25" in (
        TITLE.findall(facet_svg)
    )
    natural_svg = (outdir / natural["img"]["src"]).read_text(encoding="utf-8")
    labels = re.findall(r"<!-- (box\.\w+) -->", natural_svg)
    assert labels == ["box.large", "box.small"]  # sorted, not in data order
    assert len(TITLE.findall(natural_svg)) == 3  # two bars side by side at box.small


def test_the_data_as_a_table_for_readers_who_cannot_see_the_chart(make_app, project: Path) -> None:
    app, _ = build(make_app, project)
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    tables = re.findall(r'<details class="dftable-chart-data">(.*?)</details>', html, re.S)
    assert len(tables) == 4
    y2 = tables[0]
    assert "<summary>The chart&#39;s data as a table</summary>" in y2 or (
        "<summary>The chart's data as a table</summary>" in y2
    )
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", y2)
    assert heads == ["Engine", "Concurrency", "Measure", "Value"]
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", y2)
    assert "tgi</td><td>4</td><td>TTFT P50 (ms)</td><td>3,732.75" in rows
    assert len(rows) == 20  # 2 engines x 5 concurrencies x 2 measures
    facet_heads = re.findall(r"<th[^>]*>([^<]*)</th>", tables[1])
    assert facet_heads == ["Engine", "Instance", "Concurrency", "Throughput (tokens/s)"]


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "epub", "latex", "text", "man", "texinfo"]
)
def test_second_axes_and_facets_in_every_builder(make_app, project: Path, builder: str) -> None:
    conf = EPUB_CONF if builder == "epub" else {}
    app, warnings = build(make_app, project, builder, confoverrides=conf)
    assert [w for w in warnings.splitlines() if "epub.unknown_project_files" not in w] == []
    outdir = Path(app.outdir)
    if builder in ("html", "dirhtml", "singlehtml"):
        html = (outdir / "index.html").read_text(encoding="utf-8")
        found = pictures(html)
        assert [c["img"]["alt"] for c in found[:2]] == [Y2_ALT, FACET_ALT]
        for chart in found:
            for part in chart.values():
                assert (outdir / part.get("src", part.get("srcset", ""))).is_file()
    elif builder == "epub":
        (book,) = outdir.glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            svgs = [n for n in archive.namelist() if n.endswith(".svg")]
            page = archive.read("index.xhtml").decode()
        assert len(svgs) == 7  # three charts wide and narrow, one only wide
        assert len(pictures(page)) == 4
    elif builder == "latex":
        (tex_file,) = outdir.glob("*.tex")
        stems = re.findall(
            r"\\sphinxincludegraphics\{\{(dftable-chart-\w+)\}\.pdf\}", tex_file.read_text()
        )
        assert len(stems) == 4
        assert all((outdir / f"{s}.pdf").read_bytes().startswith(b"%PDF") for s in stems)
        assert r"\label{\detokenize{index:y2-chart}}" in tex_file.read_text()
    else:
        suffix = {"text": "index.txt", "man": "*.1", "texinfo": "*.texi"}[builder]
        (found_file,) = outdir.glob(suffix)
        text = " ".join(found_file.read_text(encoding="utf-8").replace("\\-", "-").split())
        assert "with TTFT P50 (ms) on a second y axis" in text
        assert "in 2 panels by Engine (tgi, vllm)" in text


@pytest.mark.latexpdf
def test_second_axes_and_facets_compile_into_the_pdf(make_app, project: Path) -> None:
    app, warnings = build(make_app, project, "latex")
    assert warnings == ""
    (tex_file,) = Path(app.outdir).glob("*.tex")
    latexmk_pdf(Path(app.outdir), tex_file.name)


REPEATED_PAGE = """\
Repeated
========

.. df-chart::
   :kind: {kind}
   :x: Inst. Type
   :y: Throughput

   df = pd.DataFrame({{"Inst. Type": ["Inf2.xlarge", "Inf2.xlarge", "Inf2.8xlarge"],
                      "Throughput": [10.0, {second}, 30.0]}})
"""


@pytest.mark.parametrize(
    ("kind", "second", "warning", "alt"),
    [
        (
            "bar",
            12.5,
            "rows of one series share an x value: Inf2.xlarge (2 rows); their bars are drawn "
            "side by side. Name the column that tells them apart in :group: (several columns "
            "may be given), or draw them so without this warning with :repeated: side-by-side",
            "Bar chart of Throughput by Inst. Type; 3 points; 2 rows share an x value with "
            "another (Inf2.xlarge (2 rows)); values from 10 to 30.",
        ),
        (
            "line",
            12.5,
            "rows of one series share an x value: Inf2.xlarge (2 rows); the line joins them in "
            "row order. Name the column that tells them apart in :group: (several columns may "
            "be given), or give each one its own x value",
            "Line chart of Throughput by Inst. Type; 3 points; 2 rows share an x value with "
            "another (Inf2.xlarge (2 rows)); values from 10 to 30.",
        ),
        (
            "scatter",
            10.0,  # the same point twice: one would hide the other
            "points of one series lie exactly on each other at x = Inf2.xlarge (2 rows); name "
            "the column that tells them apart in :group: (several columns may be given)",
            "Scatter chart of Throughput by Inst. Type; 3 points; 2 rows share an x value with "
            "another (Inf2.xlarge (2 rows)); values from 10 to 30.",
        ),
    ],
)
def test_repeated_x_values_are_drawn_and_warned_at_the_x_option(
    make_app, project: Path, kind: str, second: float, warning: str, alt: str
) -> None:
    page = project / "repeated.rst"
    page.write_text(REPEATED_PAGE.format(kind=kind, second=second), encoding="utf-8")
    (project / "index.rst").write_text(
        "Index\n=====\n\n.. toctree::\n\n   repeated\n", encoding="utf-8"
    )
    app, warnings = build(make_app, project)
    assert warnings.splitlines() == [f"{page}:6: WARNING: df-chart: {warning} [dftable.chart]"]
    html = (Path(app.outdir) / "repeated.html").read_text(encoding="utf-8")
    (chart,) = pictures(html)
    assert chart["img"]["alt"] == alt
    svg = (Path(app.outdir) / chart["img"]["src"]).read_text(encoding="utf-8")
    titles = TITLE.findall(svg)
    assert titles == [
        f"Inst. Type: Inf2.xlarge\nThroughput: {10 if kind == 'scatter' else 12.5:g}".replace(
            "12.5", "10"
        ),
        f"Inst. Type: Inf2.xlarge\nThroughput: {second:g}",
        "Inst. Type: Inf2.8xlarge\nThroughput: 30",
    ]


def test_drawing_in_workers_or_in_the_build_gives_the_same_files(
    make_app, tmp_path: Path, rootdir: Path
) -> None:
    outputs = []
    for processes in (1, 2):
        srcdir = tmp_path / f"p{processes}"
        shutil.copytree(rootdir / "test-chart-axes", srcdir)
        app, warnings = build(
            make_app, srcdir, confoverrides={"dftable_chart_processes": processes}
        )
        assert warnings == ""
        images = Path(app.outdir) / "_images"
        outputs.append({p.name: p.read_bytes() for p in images.glob("dftable-chart-*")})
    assert len(outputs[0]) == 7
    assert outputs[0] == outputs[1]
