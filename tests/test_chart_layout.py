"""Where a chart's text goes: inside the card, off the panels, at either rendition.

The panels are placed by :mod:`sphinx_dftable.chart.fit` from measured text, not by
matplotlib's constrained layout; these charts have the shapes that stress it (long
labels, a second axis, a grid of panels with an empty place, slanted categories, dates,
a legend of many entries, labelled points at the edge).
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from sphinx_dftable.chart import draw
from sphinx_dftable.chart.data import ChartData, Rendition
from sphinx_dftable.chart.prepare import prepare_chart
from sphinx_dftable.chart.spec import ChartSpec

FRAME = pd.DataFrame(
    {
        "Instance type": ["inf2.xlarge", "inf2.8xlarge", "inf2.24xlarge", "inf2.48xlarge"] * 3,
        "Model": ["Llama-3.1-8B"] * 4 + ["Mistral-7B-Instruct-v0.3"] * 4 + ["Qwen2.5-7B"] * 4,
        "Concurrency": [1, 4, 16, 64] * 3,
        "Throughput of the fleet (tokens/s)": [
            212.5, 805.0, 2950.75, 10420.0, 198.0, 770.5, 2810.0, 9950.25,
            230.0, 840.0, 3100.5, 11020.0,
        ],
        "Time to first token (ms)": [38.0, 61.5, 140.0, 610.0] * 3,
        "Day": pd.to_datetime(["2026-01-05", "2026-03-02", "2026-06-29", "2026-11-30"] * 3),
        "Note": ["", "", "", "peak"] * 3,
    }
)  # fmt: skip
TPS = "Throughput of the fleet (tokens/s)"
TTFT = "Time to first token (ms)"
LONG = "Throughput and first-token latency of every model on every Inf2 size, Neuron SDK 2.21"

SHAPES = {
    "slanted categories": ChartSpec(kind="bar", x="Instance type", y=(TPS,), group="Model"),
    "second axis": ChartSpec(x="Concurrency", y=(TPS,), y2=(TTFT,), group="Model", title=LONG),
    "facets with an empty place": ChartSpec(
        kind="bar", x="Instance type", y=(TPS,), y2=(TTFT,), facet="Model", title=LONG
    ),
    "log axes": ChartSpec(x="Concurrency", y=(TPS,), group="Model", logx=True, logy=True),
    "dates": ChartSpec(kind="scatter", x="Day", y=(TTFT,), group="Model"),
    "labelled points": ChartSpec(x="Concurrency", y=(TPS,), group="Model", labels="Note"),
    "small": ChartSpec(x="Concurrency", y=(TTFT,), group="Model", size=(3.0, 2.2)),
}


Boxes = list[tuple[str, Bbox]]


def _laid_out(chart: ChartData, rendition: Rendition) -> tuple[Boxes, Boxes, list[Bbox], Bbox]:
    """The boxes of the figure's texts and of its points' labels, the panels', the card's."""
    with matplotlib.rc_context(draw.RC):
        parts = draw._build(chart, rendition, draw._Marks(enabled=False))
        draw._dress(parts, chart, rendition)
        figure = parts.figure
        width, height = (float(v) * 72 for v in figure.get_size_inches())
        renderer = RendererAgg(int(width), int(height), 72)
        figure.draw(renderer)  # ticks placed as they are when the file is written
        notes = [t for ax in figure.axes for t in ax.texts]
        # Tick labels are drawn only for ticks in view; the others stay as set.
        drawn, undrawn = [], []
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                low, high = sorted(axis.get_view_interval())
                for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                    shown = low - 1e-9 <= tick.get_loc() <= high + 1e-9
                    (drawn if shown else undrawn).extend([tick.label1, tick.label2])
        texts = [
            t
            for t in figure.findobj(Text)
            if isinstance(t, Text) and t.get_visible() and t.get_text()
            and t not in notes and t not in undrawn
        ]  # fmt: skip
        assert any(t in drawn for t in texts)

        def boxes(found: list[Text]) -> Boxes:
            return [(t.get_text(), t.get_window_extent(renderer)) for t in found]

        panels = [ax.get_window_extent(renderer) for ax in parts.panels]
        return boxes(texts), boxes(notes), panels, Bbox.from_bounds(0, 0, width, height)


@pytest.mark.parametrize("rendition", ["wide", "narrow"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_text_is_on_the_card_and_off_the_panels(shape: str, rendition: Rendition) -> None:
    chart = prepare_chart(FRAME, SHAPES[shape])
    texts, notes, panels, card = _laid_out(chart, rendition)
    assert len(texts) >= 8  # tick labels, axis labels and legend entries were found
    assert len(notes) == (3 if shape == "labelled points" else 0)
    for text, box in texts + notes:
        # Half a point of slack: glyph outlines and measured boxes round differently.
        assert card.x0 - 0.5 <= box.x0 and box.x1 <= card.x1 + 0.5, (text, box)
        assert card.y0 - 0.5 <= box.y0 and box.y1 <= card.y1 + 0.5, (text, box)
    for text, box in texts:  # a point's label stands by its point, on the panel
        for panel in panels:
            inner = Bbox.from_extents(panel.x0 + 1, panel.y0 + 1, panel.x1 - 1, panel.y1 - 1)
            assert not box.overlaps(inner), (text, box, panel)
