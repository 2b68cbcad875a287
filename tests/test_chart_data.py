"""Charts without Sphinx: checking data against options, alt text, tick labels, files."""

from __future__ import annotations

import dataclasses
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sphinx_dftable.chart.data import ChartData, Note, describe, number_text
from sphinx_dftable.chart.draw import NumberFormatter, render
from sphinx_dftable.chart.prepare import prepare_chart
from sphinx_dftable.chart.spec import ChartProblem, ChartSpec


@pytest.fixture
def sweep() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Model": ["a", "a", "a", "b", "b", "b"],
            "Concurrency": [4, 1, 16, 1, 4, 16],
            "Throughput (tokens/s)": [3100.25, 1250.5, 5200.0, 640.0, 1800.75, 2950.0],
            "TTFT (ms)": [420, 210, 1900, 380, 760, 3400],
        }
    )


def test_defaults_first_column_on_x_and_every_other_numeric_column_on_y() -> None:
    frame = pd.DataFrame({"Concurrency": [1, 2], "A": [1.0, 2.0], "Name": ["x", "y"], "B": [3, 4]})
    chart = prepare_chart(frame, ChartSpec())
    assert chart.xlabel == "Concurrency"
    assert [s.label for s in chart.series] == ["A", "B"]
    assert chart.ylabel == ""  # several y columns: the legend names them


def test_group_makes_one_series_per_value_in_order_and_lines_run_left_to_right(
    sweep: pd.DataFrame,
) -> None:
    chart = prepare_chart(
        sweep, ChartSpec(x="Concurrency", y=("Throughput (tokens/s)",), group="Model")
    )
    assert [s.label for s in chart.series] == ["a", "b"]
    assert chart.series[0].x == (1.0, 4.0, 16.0)
    assert chart.series[0].y == (1250.5, 3100.25, 5200.0)
    assert chart.legend_title == "Model"
    assert chart.ylabel == "Throughput (tokens/s)"


def test_several_y_columns_with_a_group_name_both_in_the_label(sweep: pd.DataFrame) -> None:
    chart = prepare_chart(
        sweep,
        ChartSpec(x="Concurrency", y=("Throughput (tokens/s)", "TTFT (ms)"), group="Model"),
    )
    assert [s.label for s in chart.series] == [
        "a: Throughput (tokens/s)",
        "a: TTFT (ms)",
        "b: Throughput (tokens/s)",
        "b: TTFT (ms)",
    ]


def test_bars_put_numbers_on_x_as_categories_with_thousands_separators() -> None:
    frame = pd.DataFrame({"Batch": [1000, 1, 1000], "Rate": [1.0, 2.0, 3.0]})
    chart = prepare_chart(frame, ChartSpec(kind="bar"))
    assert chart.categories == ("1,000", "1")
    assert chart.series[0].x == (0.0, 1.0, 0.0)


def test_text_on_x_keeps_the_frames_order_and_scatter_keeps_row_order() -> None:
    frame = pd.DataFrame({"Inst": ["z.large", "a.small"], "Rate": [2.0, 1.0]})
    chart = prepare_chart(frame, ChartSpec(kind="scatter"))
    assert chart.categories == ("z.large", "a.small")
    assert chart.series[0].y == (2.0, 1.0)


def test_missing_values_are_gaps_and_infinities_are_reported() -> None:
    frame = pd.DataFrame({"x": [1, 2, 3, 4], "y": [1.0, np.nan, np.inf, 4.0]})
    chart = prepare_chart(frame, ChartSpec())
    assert chart.series[0].y == (1.0, None, None, 4.0)
    assert chart.notes == (Note("1 infinite value(s) in column 'y' not drawn"),)


def test_nullable_and_object_columns_of_numbers_are_numbers() -> None:
    frame = pd.DataFrame(
        {
            "x": [1, 2, 3],
            "ints": pd.array([1, None, 3], dtype="Int64"),
            "objects": pd.Series([1, 2.5, None], dtype=object),
        }
    )
    chart = prepare_chart(frame, ChartSpec(y=("ints", "objects")))
    assert [s.y for s in chart.series] == [(1.0, None, 3.0), (1.0, 2.5, None)]


def test_log_scale_leaves_out_values_it_cannot_show() -> None:
    frame = pd.DataFrame({"x": [0, 1, 10], "y": [5.0, -1.0, 50.0]})
    chart = prepare_chart(frame, ChartSpec(logx=True, logy=True))
    assert chart.series[0].x == (1.0, 10.0)
    assert chart.series[0].y == (None, 50.0)
    assert chart.notes == (Note("2 value(s) <= 0 not drawn on the log scale"),)


def test_datetimes_on_x() -> None:
    frame = pd.DataFrame({"Date": pd.to_datetime(["2026-01-02", "2026-01-01"]), "y": [2, 1]})
    chart = prepare_chart(frame, ChartSpec())
    assert chart.x_datetime
    assert chart.series[0].x == (
        pd.Timestamp("2026-01-01").timestamp(),
        pd.Timestamp("2026-01-02").timestamp(),
    )


def test_index_and_multiindex_columns_become_plain_names() -> None:
    columns = pd.MultiIndex.from_tuples([("Latency", "p50"), ("Latency", "p99")])
    frame = pd.DataFrame([[1.0, 2.0], [3.0, 4.0]], columns=columns)
    frame.index = pd.Index([1, 8], name="Batch")
    chart = prepare_chart(frame, ChartSpec(x="Batch"))
    assert [s.label for s in chart.series] == ["Latency / p50", "Latency / p99"]
    assert chart.series[0].x == (1.0, 8.0)


@pytest.mark.parametrize(
    ("frame", "spec", "message", "option"),
    [
        (
            pd.DataFrame({"x": [1], "y": [1]}),
            ChartSpec(y=("Latency",)),
            "no column 'Latency' for :y:; the columns are 'x', 'y'",
            "y",
        ),
        (
            pd.DataFrame({"x": [1], "y": [1]}),
            ChartSpec(x="Concurrency"),
            "no column 'Concurrency' for :x:; the columns are 'x', 'y'",
            "x",
        ),
        (
            pd.DataFrame({"x": [1], "y": [1]}),
            ChartSpec(group="Model"),
            "no column 'Model' for :group:; the columns are 'x', 'y'",
            "group",
        ),
        (
            pd.DataFrame({"x": [1, 2], "Model": ["llama", "mistral"]}),
            ChartSpec(y=("Model",)),
            "column 'Model' is not numeric (for example 'llama'), so it cannot be drawn on "
            "the y axis",
            "y",
        ),
        (
            pd.DataFrame({"x": [1, 2], "ok": [True, False]}),
            ChartSpec(y=("ok",)),
            "column 'ok' is not numeric (for example 'True'), so it cannot be drawn on the y axis",
            "y",
        ),
        (
            pd.DataFrame({"x": [1, 2], "y": ["1,200", "5"]}),
            ChartSpec(y=("y",)),
            "column 'y' is not numeric (for example '1,200'), so it cannot be drawn on the y axis",
            "y",
        ),
        (
            pd.DataFrame({"x": [1], "y": [1]}).iloc[0:0],
            ChartSpec(),
            "the DataFrame has no rows; nothing to draw",
            None,
        ),
        (
            pd.DataFrame({"x": [1, 2], "y": [np.nan, np.nan]}),
            ChartSpec(y=("y",)),
            "nothing to draw: no numeric value in 'y'",
            "y",
        ),
        (
            pd.DataFrame({"x": ["a", "b"], "Name": ["c", "d"]}),
            ChartSpec(),
            "no numeric column to draw: name the values with :y:",
            None,
        ),
        (
            pd.DataFrame([[1, 2, 3]], columns=["x", "y", "y"]),
            ChartSpec(y=("y",)),
            "column name 'y' appears 2 times",
            "y",
        ),
        (
            pd.DataFrame({"x": [1], "y": [1]}),
            ChartSpec(stacked=True),
            ":stacked: applies to bar charts only",
            "stacked",
        ),
        (
            pd.DataFrame({"x": ["a"], "y": [1]}),
            ChartSpec(logx=True),
            "x column 'x' is not numeric, so it has no log scale",
            "logx",
        ),
    ],
    ids=[
        "unknown-y",
        "unknown-x",
        "unknown-group",
        "text-y",
        "bool-y",
        "formatted-number-y",
        "empty",
        "all-missing",
        "no-numeric-column",
        "duplicate-name",
        "stacked-line",
        "log-text-x",
    ],
)
def test_problems_name_the_option_to_fix(
    frame: pd.DataFrame, spec: ChartSpec, message: str, option: str | None
) -> None:
    with pytest.raises(ChartProblem) as caught:
        prepare_chart(frame, spec)
    assert caught.value.message == message
    assert caught.value.option == option


def test_alt_text_describes_the_chart_in_one_line(sweep: pd.DataFrame) -> None:
    spec = ChartSpec(x="Concurrency", y=("Throughput (tokens/s)",), group="Model")
    assert describe(prepare_chart(sweep, spec)) == (
        "Line chart of Throughput (tokens/s) by Concurrency, one line per Model (a, b); "
        "3 points per series; values from 640 to 5,200."
    )
    titled = dataclasses.replace(spec, kind="bar", stacked=True, title="Sweep")
    assert describe(prepare_chart(sweep, titled)) == (
        "Sweep: stacked bar chart of Throughput (tokens/s) by Concurrency, one bar per "
        "Model (a, b); 3 points per series; values from 640 to 5,200."
    )
    single = ChartSpec(kind="scatter", x="Throughput (tokens/s)", y=("TTFT (ms)",))
    assert describe(prepare_chart(sweep, single)) == (
        "Scatter chart of TTFT (ms) by Throughput (tokens/s); 6 points; values from 210 to 3,400."
    )
    many = pd.DataFrame({"g": list("abcdefg"), "x": range(7), "y": range(7)})
    text = describe(prepare_chart(many, ChartSpec(x="x", y=("y",), group="g")))
    assert "(a, b, c, d, e and 2 more)" in text
    assert "\n" not in text


@pytest.mark.parametrize(
    ("value", "text"),
    [(5200.0, "5,200"), (0.000123, "0.000123"), (1234.5678, "1,235"), (16.234, "16.23")],
)
def test_numbers_in_sentences(value: float, text: str) -> None:
    assert number_text(value) == text


@pytest.mark.parametrize(
    ("locs", "spec", "log", "labels"),
    [
        ([0, 2000, 4000, 6000], None, False, ["0", "2,000", "4,000", "6,000"]),
        ([0.0, 0.25, 0.5], None, False, ["0.00", "0.25", "0.50"]),
        ([-1.0, -0.0, 1.0], None, False, ["-1", "0", "1"]),
        ([0.01, 1, 1000], None, True, ["0.01", "1", "1,000"]),
        ([0, 1.5], "${:,.2f}", False, ["$0.00", "$1.50"]),
        ([1.0, 2.0], "{:d} ms", False, ["1 ms", "2 ms"]),  # whole numbers for {:d}
        ([1.5, 2.0], "{:d} ms", False, ["1.5", "2 ms"]),  # otherwise the default
    ],
)
def test_tick_labels_use_thousands_separators_and_few_decimals(
    locs: list[float], spec: str | None, log: bool, labels: list[str]
) -> None:
    formatter = NumberFormatter(spec, log=log)
    formatter.set_locs(locs)
    assert [formatter(v) for v in locs] == labels


def test_data_survive_the_round_trip_through_the_doctree(sweep: pd.DataFrame) -> None:
    spec = ChartSpec(x="Concurrency", group="Model", labels="Model", size=(5.0, 3.0))
    chart = prepare_chart(sweep, spec)
    again = ChartData.from_dict(chart.to_dict())
    assert again == chart
    assert again.digest("1") == chart.digest("1") != chart.digest("2")


OPTION_CHANGES = {
    "kind": {"kind": "scatter"},
    "x": {"x": "TTFT (ms)"},
    "y": {"y": ("TTFT (ms)",)},
    "group": {"group": "Model"},
    "labels": {"labels": "Model"},
    "stacked": {"kind": "bar", "stacked": True},
    "title": {"title": "A title"},
    "xlabel": {"xlabel": "Users"},
    "ylabel": {"ylabel": "Rate"},
    "logx": {"logx": True},
    "logy": {"logy": True},
    "xformat": {"xformat": "{:,.1f}"},
    "yformat": {"yformat": "${:,.2f}"},
    "size": {"size": (5.0, 3.0)},
}


@pytest.mark.parametrize("option", list(OPTION_CHANGES))
def test_every_option_changes_the_drawing(sweep: pd.DataFrame, option: str) -> None:
    base = ChartSpec(x="Concurrency", y=("Throughput (tokens/s)",))
    if option == "stacked":
        base = dataclasses.replace(base, kind="bar")
    changed = dataclasses.replace(base, **OPTION_CHANGES[option])
    before, after = prepare_chart(sweep, base), prepare_chart(sweep, changed)
    assert before.digest() != after.digest()
    assert render(before, "svg") != render(after, "svg")


def test_the_svg_carries_the_texts_and_the_colour_blind_palette(sweep: pd.DataFrame) -> None:
    spec = ChartSpec(
        x="Concurrency", y=("Throughput (tokens/s)",), group="Model", title="The sweep"
    )
    svg = render(prepare_chart(sweep, spec), "svg").decode()
    # Text is drawn as paths (the same glyphs everywhere); matplotlib names it in comments.
    for text in ("The sweep", "Concurrency", "Throughput (tokens/s)", "5,000", "Model"):
        assert f"<!-- {text} -->" in svg
    assert "#0072b2" in svg and "#e69f00" in svg  # Okabe-Ito blue, then orange
    assert "<dc:date>" not in svg


SCRIPT = """
import sys, pandas as pd
from sphinx_dftable.chart.prepare import prepare_chart
from sphinx_dftable.chart.spec import ChartSpec
from sphinx_dftable.chart.draw import render
frame = pd.DataFrame({"x": [1, 2, 3], "y": [1.5, 2.5, 0.5], "g": ["a", "b", "a"]})
chart = prepare_chart(frame, ChartSpec(kind="bar", group="g", y=("y",), title="T"))
sys.stdout.buffer.write(render(chart, sys.argv[1]))
"""


@pytest.mark.parametrize("image_format", ["svg", "pdf"])
def test_files_are_byte_identical_across_processes(image_format: str) -> None:
    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": ""}
        env.pop("SOURCE_DATE_EPOCH")
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, image_format], env=env, capture_output=True, check=True
        )
        outputs.add(result.stdout)
    (data,) = outputs
    if image_format == "pdf":
        assert data.startswith(b"%PDF")
        assert b"CreationDate" not in data and b"ModDate" not in data
    else:
        assert data.startswith(b"<?xml")


def test_nan_positions_are_left_out() -> None:
    frame = pd.DataFrame({"x": [1.0, math.nan, 3.0], "y": [1.0, 2.0, 3.0]})
    chart = prepare_chart(frame, ChartSpec())
    assert chart.series[0].x == (1.0, 3.0)


# -- property: any frame and any options give a chart or a ChartProblem, never a crash ----

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

COLUMN_VALUES = st.one_of(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=4, max_size=4),
    st.lists(st.integers(-(10**12), 10**12), min_size=4, max_size=4),
    st.lists(st.sampled_from(["a", "b", "é", "🚀", "", "1,200", "<b>"]), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.lists(
        st.datetimes(min_value=pd.Timestamp("1990-01-01"), max_value=pd.Timestamp("2100-01-01")),
        min_size=4,
        max_size=4,
    ),
)
NAMES = ["x", "y", "z", "g"]


@st.composite
def frames_and_specs(draw: st.DrawFn) -> tuple[pd.DataFrame, ChartSpec]:
    columns = {name: draw(COLUMN_VALUES) for name in NAMES}
    rows = draw(st.integers(0, 4))
    frame = pd.DataFrame({name: values[:rows] for name, values in columns.items()})
    maybe = st.one_of(st.none(), st.sampled_from([*NAMES, "missing"]))
    kind = draw(st.sampled_from(["line", "bar", "scatter"]))
    spec = ChartSpec(
        kind=kind,
        x=draw(maybe),
        y=tuple(draw(st.lists(st.sampled_from([*NAMES, "missing"]), max_size=2))),
        group=draw(maybe),
        labels=draw(maybe),
        stacked=kind == "bar" and draw(st.booleans()),
        logx=draw(st.booleans()),
        logy=draw(st.booleans()),
        size=(3.0, 2.0),
    )
    return frame, spec


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames_and_specs())
def test_any_frame_and_options_give_a_drawing_or_a_clear_problem(
    case: tuple[pd.DataFrame, ChartSpec],
) -> None:
    frame, spec = case
    try:
        chart = prepare_chart(frame, spec)
    except ChartProblem as problem:
        assert problem.message and "\n" not in problem.message
        return
    text = describe(chart)
    assert text.endswith(".") and "\n" not in text
    assert ChartData.from_dict(chart.to_dict()) == chart
    assert render(chart, "svg").startswith(b"<?xml")
