"""The drawing workers on their own: real processes, real pipes, real files."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sphinx_dftable.chart.data import ChartData
from sphinx_dftable.chart.draw import render
from sphinx_dftable.chart.drawing import Drawing, drawings_for
from sphinx_dftable.chart.painter import Painter
from sphinx_dftable.chart.prepare import prepare_chart
from sphinx_dftable.chart.spec import ChartSpec


def charts(n: int) -> list[tuple[str, dict]]:
    found = []
    for i in range(n):
        frame = pd.DataFrame({"x": [1, 2, 4], "y": [1.0 + i, 2.0, 3.0], "g": ["a", "b", "a"]})
        chart = prepare_chart(frame, ChartSpec(x="x", y=("y",), group="g", title=f"C{i}"))
        found.append((chart.digest(), chart.to_dict()))
    return found


@pytest.fixture
def finished() -> Iterator[list[Painter]]:
    """Painters to stop after the test, whatever it asserted: no worker outlives it."""
    painters: list[Painter] = []
    yield painters
    for painter in painters:
        painter.finish()


def test_workers_draw_the_same_bytes_as_the_build(tmp_path: Path, finished: list[Painter]) -> None:
    painter = Painter(str(tmp_path), 3, True)
    finished.append(painter)
    drawings = []
    for index, (digest, chart) in enumerate(charts(5)):
        found = drawings_for("html", digest, chart)
        if index % 2:  # a chart's files in one job, as the build hands them out
            painter.submit(found, chart)
        else:  # or one job each: the same bytes
            for drawing in found:
                painter.submit([drawing], chart)
        drawings += [(drawing, chart) for drawing in found]
    for drawing, chart in drawings:
        assert painter.wait(drawing) is None
        data = drawing.cache_path(tmp_path).read_bytes()
        expected = render(ChartData.from_dict(chart), "svg", drawing.rendition)
        assert data == expected
    painter.finish()
    assert len(list((tmp_path / "dftable-charts").glob("*.cache"))) == 10


def test_a_worker_that_dies_fails_its_drawing_and_the_others_go_on(
    tmp_path: Path, finished: list[Painter]
) -> None:
    painter = Painter(str(tmp_path), 2, True)
    finished.append(painter)
    jobs = [(d, c) for digest, c in charts(6) for d in drawings_for("latex", digest, c)]
    for drawing, chart in jobs:
        painter.submit([drawing], chart)
    assert painter._process is not None
    painter._process.kill()  # the first worker, which forked the second
    messages = [painter.wait(drawing) for drawing, _ in jobs]
    painter.finish()  # returns: nothing waits for the dead
    for (drawing, _), message in zip(jobs, messages, strict=True):
        drawn = drawing.cache_path(tmp_path).exists()
        # drawn, or failed with a reason, or left to the writer when no worker was left
        assert drawn or message is None or "its drawing process stopped" in message
        assert not (drawn and message)


def test_a_missing_cache_directory_is_an_error_per_drawing(
    tmp_path: Path, finished: list[Painter]
) -> None:
    blocked = tmp_path / "dftable-charts"
    blocked.write_text("a file where the cache directory goes", encoding="utf-8")
    painter = Painter(str(tmp_path), 2, True)
    finished.append(painter)
    ((digest, chart),) = charts(1)
    drawing = Drawing(digest, "pdf")
    painter.submit([drawing], chart)
    message = painter.wait(drawing)
    painter.finish()
    assert message is not None and message.startswith("drawing the chart failed: ")


def test_one_process_means_the_build_draws_itself(tmp_path: Path) -> None:
    painter = Painter(str(tmp_path), 1, True)
    ((digest, chart),) = charts(1)
    painter.submit([Drawing(digest, "svg")], chart)
    painter.finish()
    assert not (tmp_path / "dftable-charts").exists()  # nothing was handed out


@pytest.mark.parametrize("module", ["sphinx", "docutils", "pandas"])
def test_a_worker_imports_neither_sphinx_nor_pandas(module: str) -> None:
    code = (
        "import sys, sphinx_dftable.chart.worker, sphinx_dftable.chart.draw\n"
        f"print({module!r} in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
