"""Charts without Sphinx: checking data against options, alt text, tick labels, files."""

from __future__ import annotations

import dataclasses
import math
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sphinx_dftable.chart import svg_titles
from sphinx_dftable.chart.data import ChartData, Note, describe, number_text, repeated_x
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
    assert chart.notes == (Note("1 infinite or too large value(s) in column 'y' not drawn"),)


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
    assert chart == prepare_chart(frame, ChartSpec(xscale="linear"))  # dates to scale
    with pytest.raises(ChartProblem, match="holds dates, so it has no log scale"):
        prepare_chart(frame, ChartSpec(xscale="log"))
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


def test_categorical_x_is_evenly_spaced_in_data_order_or_sorted() -> None:
    frame = pd.DataFrame({"Concurrency": [16, 1, 4, 2, 8], "y": [5.0, 1.0, 3.0, 2.0, 4.0]})
    chart = prepare_chart(frame, ChartSpec(x="Concurrency", xscale="categories"))
    assert chart.categories == ("16", "1", "4", "2", "8")
    assert chart.series[0].x == (0.0, 1.0, 2.0, 3.0, 4.0)  # a line runs left to right
    ordered = prepare_chart(frame, ChartSpec(x="Concurrency", xscale="categories", xorder="sorted"))
    assert ordered.categories == ("1", "2", "4", "8", "16")  # by value, not as text
    assert ordered.series[0].y == (1.0, 2.0, 3.0, 4.0, 5.0)
    names = pd.DataFrame({"Inst": ["inf2.48xlarge", "inf2.8xlarge", "inf2.xlarge"], "y": [1, 2, 3]})
    bars = prepare_chart(names, ChartSpec(kind="bar", xorder="sorted"))
    assert bars.categories == ("inf2.8xlarge", "inf2.48xlarge", "inf2.xlarge")  # natural


def test_log_x_spaces_a_doubling_sweep_evenly() -> None:
    frame = pd.DataFrame({"c": [1, 2, 4, 8, 16], "y": [1.0, 2.0, 3.0, 4.0, 5.0]})
    assert prepare_chart(frame, ChartSpec(xscale="log")).logx
    svg = render(prepare_chart(frame, ChartSpec(xscale="log")), "svg").decode()
    assert "<!-- 1 -->" in svg and "<!-- 10 -->" in svg  # decades, not 0, 5, 10, 15


def test_second_y_axis_series_and_labels(sweep: pd.DataFrame) -> None:
    spec = ChartSpec(
        x="Concurrency", y=("Throughput (tokens/s)",), y2=("TTFT (ms)",), group="Model"
    )
    chart = prepare_chart(sweep, spec)
    assert [(s.label, s.axis, s.value_name) for s in chart.series] == [
        ("a", 0, "Throughput (tokens/s)"),
        ("a", 1, "TTFT (ms)"),
        ("b", 0, "Throughput (tokens/s)"),
        ("b", 1, "TTFT (ms)"),
    ]
    assert (chart.ylabel, chart.y2label) == ("Throughput (tokens/s)", "TTFT (ms)")
    svg = render(chart, "svg").decode()
    assert "<!-- a (right axis) -->" in svg and "<!-- TTFT (ms) -->" in svg
    assert "second y axis" in describe(chart)


def test_facets_make_one_panel_per_value_with_shared_series(sweep: pd.DataFrame) -> None:
    spec = ChartSpec(x="Concurrency", y=("Throughput (tokens/s)",), facet="Model")
    chart = prepare_chart(sweep, spec)
    assert chart.panels == ("a", "b") and chart.facet_title == "Model"
    assert [(s.panel, s.label) for s in chart.series] == [
        (0, "Throughput (tokens/s)"),
        (1, "Throughput (tokens/s)"),
    ]
    assert chart.grid("wide") == (1, 2)
    seven = pd.DataFrame({"p": list("abcdefg"), "x": range(7), "y": range(7)})
    many = prepare_chart(seven, ChartSpec(x="x", y=("y",), facet="p"))
    assert many.grid("wide") == (3, 3) and many.grid("narrow") == (4, 2)
    assert many.drawing_size("wide") == (7.2, round(4.0 * (0.35 + 0.65 * 3), 3))
    svg = render(many, "svg", "narrow").decode()
    assert all(f"<!-- {p} -->" in svg for p in "abcdefg")


def test_several_group_columns_make_one_series_per_combination() -> None:
    frame = pd.DataFrame(
        {"Engine": ["tgi", "tgi", "vllm"], "Inst": ["s", "l", "s"], "x": [1, 1, 1], "y": [1, 2, 3]}
    )
    chart = prepare_chart(frame, ChartSpec(x="x", y=("y",), group="Engine, Inst"))
    assert [s.label for s in chart.series] == ["tgi, s", "tgi, l", "vllm, s"]
    assert chart.legend_title == "Engine, Inst"
    assert chart.notes == ()  # each combination has its own x value
    named = pd.DataFrame({"a, b": ["p", "q"], "x": [1, 1], "y": [1, 2]})
    spec = ChartSpec(x="x", y=("y",), group="a, b")  # a column's own name wins over commas
    assert [s.label for s in prepare_chart(named, spec).series] == ["p", "q"]


@pytest.mark.parametrize("kind", ["line", "bar", "scatter"])
def test_repeated_x_values_are_noted_at_the_x_option_and_counted(kind: str) -> None:
    frame = pd.DataFrame(
        {"Inst": ["a", "a", "b"], "y": [1.0, 1.0 if kind == "scatter" else 2.0, 3]}
    )
    chart = prepare_chart(frame, ChartSpec(kind=kind, x="Inst", y=("y",)))  # type: ignore[arg-type]
    (note,) = chart.notes
    assert note.option == "x" and "a (2 rows)" in note.message
    assert "3 points; 2 rows share an x value with another (a (2 rows))" in describe(chart)
    titles = re.findall(r"<title>([^<]*)</title>", render(chart, "svg").decode())
    assert len(titles) == 3  # every row drawn, each with its own title


def test_side_by_side_bars_need_no_warning_and_apply_to_bars_only() -> None:
    frame = pd.DataFrame({"Inst": ["a", "a", "b"], "y": [1.0, 2.0, 3.0]})
    chart = prepare_chart(frame, ChartSpec(kind="bar", repeated="side-by-side"))
    assert chart.notes == () and chart.side_by_side
    with pytest.raises(ChartProblem) as caught:
        prepare_chart(frame, ChartSpec(kind="line", repeated="side-by-side"))
    assert caught.value.option == "repeated"


@pytest.mark.parametrize(
    ("spec", "message", "option"),
    [
        (ChartSpec(kind="bar", stacked=True, y2=("z",)), "do not mix", "y2"),
        (ChartSpec(y2label="ms"), ":y2label: needs :y2: columns", "y2label"),
        (ChartSpec(logy2=True), ":logy2: needs :y2: columns", "logy2"),
        (ChartSpec(kind="bar", xscale="log"), "a bar chart places its x values", "xscale"),
        (ChartSpec(logx=True, xscale="categories"), "contradicts", "logx"),
        (ChartSpec(y2=("name",)), "cannot be drawn on the second y axis", "y2"),
        (ChartSpec(facet="nope"), "no column 'nope' for :facet:", "facet"),
        (ChartSpec(x="name", xscale="linear"), "is not numeric, so it has no linear", "xscale"),
    ],
)
def test_new_option_problems_name_the_option(spec: ChartSpec, message: str, option: str) -> None:
    frame = pd.DataFrame({"x": [1, 2], "y": [1.0, 2.0], "z": [3.0, 4.0], "name": ["p", "q"]})
    with pytest.raises(ChartProblem) as caught:
        prepare_chart(frame, spec)
    assert message in caught.value.message
    assert caught.value.option == option


def test_every_point_and_bar_has_a_title_with_series_x_and_exact_value(
    sweep: pd.DataFrame,
) -> None:
    spec = ChartSpec(kind="bar", x="Concurrency", y=("Throughput (tokens/s)",), group="Model")
    svg = render(prepare_chart(sweep, spec), "svg").decode()
    titles = re.findall(r"<g>\s*<title>([^<]*)</title>", svg)
    assert len(titles) == 6
    assert "a\nConcurrency: 4\nThroughput (tokens/s): 3,100.25" in titles
    assert "<a " not in svg  # the placeholder links are gone
    pdf = render(prepare_chart(sweep, spec), "pdf")
    assert b"/URI" not in pdf  # and were never drawn into the PDF
    with pytest.raises(ValueError, match="placeholder links"):
        svg_titles.insert(b"<svg></svg>", {svg_titles.placeholder(0): "missing"})


def test_the_narrow_rendition_is_narrow_and_only_for_wide_charts(sweep: pd.DataFrame) -> None:
    chart = prepare_chart(sweep, ChartSpec(x="Concurrency", group="Model"))
    assert chart.has_narrow() and chart.drawing_size("narrow") == (4.4, 3.4)
    assert b'width="316.8pt"' in render(chart, "svg", "narrow")
    small = prepare_chart(sweep, ChartSpec(x="Concurrency", size=(4.5, 3.0)))
    assert not small.has_narrow()


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
    "xscale": {"xscale": "categories"},
    "xorder": {"xscale": "categories", "xorder": "sorted"},
    "y2": {"y2": ("TTFT (ms)",)},
    "y2label": {"y2": ("TTFT (ms)",), "y2label": "Milliseconds"},
    "y2format": {"y2": ("TTFT (ms)",), "y2format": "{:,.0f} ms"},
    "logy2": {"y2": ("TTFT (ms)",), "logy2": True},
    "facet": {"facet": "Model"},
    # stacked: repeated rows stack unless asked to stand side by side
    "repeated": {"kind": "bar", "stacked": True, "repeated": "side-by-side"},
}


@pytest.mark.parametrize("option", list(OPTION_CHANGES))
def test_every_option_changes_the_drawing(sweep: pd.DataFrame, option: str) -> None:
    base = ChartSpec(x="Concurrency", y=("Throughput (tokens/s)",))
    if option in ("stacked", "repeated"):
        base = dataclasses.replace(base, kind="bar", stacked=option == "repeated")
    if option in ("y2label", "y2format", "logy2", "xorder"):
        first = next(iter(OPTION_CHANGES[option].items()))
        base = dataclasses.replace(base, **dict([first]))
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
both = ChartSpec(x="x", y=("y",), y2=("x",), facet="g", xscale="categories")
sys.stdout.buffer.write(render(prepare_chart(frame, both), sys.argv[1], "narrow"))
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
NAMES = ["x", "y", "z", "g", "r"]
#: Few distinct values: rows that share an x value (or a facet, or a group) are common.
REPEATING = st.lists(st.sampled_from([1, 2, 2, 4]), min_size=4, max_size=4)


@st.composite
def frames_and_specs(draw: st.DrawFn) -> tuple[pd.DataFrame, ChartSpec]:
    columns = {name: draw(COLUMN_VALUES) for name in NAMES[:-1]}
    columns["r"] = draw(REPEATING)
    rows = draw(st.integers(0, 4))
    frame = pd.DataFrame({name: values[:rows] for name, values in columns.items()})
    maybe = st.one_of(st.none(), st.sampled_from([*NAMES, "missing"]))
    kind = draw(st.sampled_from(["line", "bar", "scatter"]))
    spec = ChartSpec(
        kind=kind,
        x=draw(st.one_of(maybe, st.just("r"))),
        y=tuple(draw(st.lists(st.sampled_from([*NAMES, "missing"]), max_size=2))),
        group=draw(maybe),
        labels=draw(maybe),
        stacked=kind == "bar" and draw(st.booleans()),
        logx=draw(st.booleans()),
        logy=draw(st.booleans()),
        size=(3.0, 2.0) if draw(st.booleans()) else (5.0, 2.0),  # 5 inches: a narrow one too
        xscale=draw(st.sampled_from([None, "linear", "log", "categories"])),
        xorder=draw(st.sampled_from(["data", "sorted"])),
        y2=tuple(draw(st.lists(st.sampled_from(NAMES), max_size=1))),
        logy2=draw(st.booleans()),
        facet=draw(st.one_of(st.none(), st.sampled_from(["g", "r"]))),
        repeated=draw(st.sampled_from(["warn", "side-by-side"])),
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
    svg = render(chart, "svg")
    assert svg.startswith(b"<?xml")
    # Nothing hidden: every value drawn has its own mark (and title); repeats are noted.
    drawn = sum(1 for s in chart.series for v in s.y if v is not None)
    assert svg.count(b"<title>") == drawn
    if repeated_x(chart) and not chart.side_by_side:
        assert [
            n.option
            for n in chart.notes
            if "share an x value" in n.message or "lie exactly" in n.message
        ] == ["x"]
    if chart.has_narrow():
        assert render(chart, "svg", "narrow").count(b"<title>") == drawn
