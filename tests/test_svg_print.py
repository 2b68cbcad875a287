"""The chart's SVG printer writes the bytes matplotlib's SVG canvas writes (svg_print.py)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

pytest.importorskip("matplotlib")

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from sphinx_dftable.chart import svg_print

METADATA = {"Date": None}


@pytest.fixture(autouse=True)
def fixed_ids() -> Iterator[None]:
    import matplotlib

    # Without a salt, each file's ids are random; the charts are drawn with one.
    with matplotlib.rc_context({"svg.hashsalt": "test"}):
        yield


def canvas_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata=METADATA)  # type: ignore[no-untyped-call]
    return buffer.getvalue()


def figure_with_text(title: str, *, size: tuple[float, float] = (6, 4)) -> Figure:
    figure = Figure(figsize=size, dpi=72)
    ax = figure.subplots()
    ax.plot([1, 2, 4, 8, 16], [3.5, 120.25, 980.0, 45.0, 7.0], marker="o")
    ax.set_yscale("log")
    ax.set_title(title, loc="left", fontweight="bold")
    ax.set_xlabel("Concurrency\n(requests in flight)")
    ax.set_ylabel(r"Latency $\mu$s (p$_{99}$)")  # mathtext: measured by matplotlib
    ax.annotate("Inf2.xlarge \u2013 1,234.5", (4, 980.0), rotation=30, fontsize=9)
    figure.suptitle("Throughput, ünïcode & <markup>", ha="left", x=0.02)
    return figure


def test_same_bytes_as_the_canvas_for_text_of_every_kind() -> None:
    for title in ("Llama-3-8B", "Llama-3-8B", "Mistral-7B-Instruct-v0.3"):  # warm and cold
        ours = svg_print.print_svg(figure_with_text(title), METADATA)
        assert ours == canvas_bytes(figure_with_text(title))


def test_same_bytes_after_a_figure_is_resized_and_printed_again() -> None:
    ours, theirs = figure_with_text("Wide"), figure_with_text("Wide")
    assert svg_print.print_svg(ours, METADATA) == canvas_bytes(theirs)
    for figure in (ours, theirs):  # the narrow rendition is drawn this way
        figure.set_size_inches(4.2, 3.2)
    assert svg_print.print_svg(ours, METADATA) == canvas_bytes(theirs)


def test_font_properties_changed_in_place_are_measured_again() -> None:
    figure = figure_with_text("Same text")
    label = figure.axes[0].xaxis.label
    small = svg_print.print_svg(figure, METADATA)
    # The same FontProperties object, grown in place: a cache keyed by the object itself
    # would return the small size's metrics and place the text as if it were small.
    label.get_fontproperties().set_size(30)
    large = svg_print.print_svg(figure, METADATA)
    other = figure_with_text("Same text")
    other.axes[0].xaxis.label.get_fontproperties().set_size(30)
    assert large == canvas_bytes(other)
    assert large != small
