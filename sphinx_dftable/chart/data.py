"""From a DataFrame and a chart's options to the plain data a chart is drawn from.

No Sphinx and no matplotlib here: the directive checks the data when the page is read
(so a bad column is a warning at the option's line, even where matplotlib is missing),
and the writer draws later from this JSON-ready description, which also names the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sphinx_dftable.chart.spec import STYLE_VERSION, ChartKind, ChartProblem, ChartSpec


@dataclass(frozen=True)
class Series:
    label: str
    #: Positions on the x axis: numbers, or indexes into ``ChartData.categories``.
    x: tuple[float, ...]
    #: None where there is no value (drawn as a gap).
    y: tuple[float | None, ...]
    point_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChartData:
    """Everything the drawing needs, and nothing it does not."""

    kind: ChartKind
    series: tuple[Series, ...]
    xlabel: str
    ylabel: str
    #: Tick labels when x is categorical (bars, or text on the x axis); empty otherwise.
    categories: tuple[str, ...] = ()
    #: x values are datetimes, as seconds since the epoch.
    x_datetime: bool = False
    title: str = ""
    stacked: bool = False
    logx: bool = False
    logy: bool = False
    xformat: str | None = None
    yformat: str | None = None
    size: tuple[float, float] = (7.2, 4.0)
    legend_title: str = ""
    notes: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        del data["notes"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChartData:
        values = dict(data)
        values["series"] = tuple(
            Series(
                label=s["label"],
                x=tuple(s["x"]),
                y=tuple(s["y"]),
                point_labels=tuple(s["point_labels"]),
            )
            for s in data["series"]
        )
        values["categories"] = tuple(data["categories"])
        values["size"] = tuple(data["size"])
        return cls(**values)

    def digest(self, *versions: str) -> str:
        """A name for the drawn file: equal data, options and versions give equal names."""
        text = json.dumps([self.to_dict(), STYLE_VERSION, *versions], sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def prepare_chart(frame: pd.DataFrame, spec: ChartSpec) -> ChartData:
    """Check ``frame`` against ``spec`` and collect the series to draw."""
    if spec.stacked and spec.kind != "bar":
        raise ChartProblem(":stacked: applies to bar charts only", "stacked")
    frame = _flat(frame)
    if frame.shape[0] == 0:
        raise ChartProblem("the DataFrame has no rows; nothing to draw")
    x = spec.x if spec.x is not None else str(frame.columns[0])
    for column, option in ((x, "x"), (spec.group, "group"), (spec.labels, "labels")):
        if column is not None:
            _column(frame, column, option)
    y_names = list(spec.y) or _default_y(frame, x, spec.group, spec.labels)
    if not y_names:
        raise ChartProblem(
            "no numeric column to draw: name the values with :y:", "y" if spec.y else None
        )
    notes: list[str] = []
    y_values: dict[str, list[float | None]] = {}
    for name in y_names:
        y_values[name], infinite = _numeric(frame, name)
        if infinite:
            notes.append(f"{infinite} infinite value(s) in column {name!r} not drawn")
    axis = _x_axis(_column(frame, x, "x"), x, spec)
    point_labels = (
        [_category_text(v) for v in _column(frame, spec.labels, "labels")]
        if spec.labels is not None
        else None
    )
    series, dropped_log = _series(
        _groups(frame, spec.group), y_names, y_values, axis, point_labels, spec
    )
    if dropped_log:
        notes.append(f"{dropped_log} value(s) <= 0 not drawn on the log scale")
    if all(v is None for s in series for v in s.y):
        raise ChartProblem(
            f"nothing to draw: no numeric value in {_names(y_names)}", "y" if spec.y else None
        )
    return ChartData(
        kind=spec.kind,
        series=tuple(series),
        xlabel=spec.xlabel if spec.xlabel is not None else x,
        ylabel=spec.ylabel if spec.ylabel is not None else _default_ylabel(y_names),
        categories=axis.categories,
        x_datetime=axis.datetime,
        title=spec.title,
        stacked=spec.stacked,
        logx=spec.logx,
        logy=spec.logy,
        xformat=spec.xformat,
        yformat=spec.yformat,
        size=spec.size,
        legend_title=spec.group or "",
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class _XAxis:
    """Each row's position on the x axis, and what kind of axis that is."""

    positions: list[float]
    categorical: bool
    datetime: bool = False
    categories: tuple[str, ...] = ()


def _x_axis(x_column: pd.Series, x: str, spec: ChartSpec) -> _XAxis:
    if pd.api.types.is_datetime64_any_dtype(x_column) and spec.kind != "bar":
        stamps = pd.to_datetime(x_column)
        positions = [math.nan if pd.isna(t) else t.timestamp() for t in stamps]
        return _XAxis(positions, categorical=False, datetime=True)
    numeric = pd.api.types.is_numeric_dtype(x_column) and not pd.api.types.is_bool_dtype(x_column)
    if spec.kind != "bar" and numeric:
        return _XAxis([float(v) for v in x_column.astype("float64")], categorical=False)
    if spec.logx:
        raise ChartProblem(f"x column {x!r} is not numeric, so it has no log scale", "logx")
    texts = [_category_text(v) for v in x_column]
    categories = list(dict.fromkeys(texts))
    positions = [float(categories.index(t)) for t in texts]
    return _XAxis(positions, categorical=True, categories=tuple(categories))


def _groups(frame: pd.DataFrame, group: str | None) -> list[tuple[str, list[int]]]:
    """(series name, row numbers) per value of the group column, in order of appearance."""
    if group is None:
        return [("", list(range(frame.shape[0])))]
    keys = [_category_text(v) for v in _column(frame, group, "group")]
    order = list(dict.fromkeys(keys))
    return [(g, [i for i, k in enumerate(keys) if k == g]) for g in order]


def _series(
    groups: list[tuple[str, list[int]]],
    y_names: list[str],
    y_values: dict[str, list[float | None]],
    axis: _XAxis,
    point_labels: list[str] | None,
    spec: ChartSpec,
) -> tuple[list[Series], int]:
    """One series per group and y column, and how many values a log scale dropped."""
    series: list[Series] = []
    dropped_log = 0
    positions = axis.positions
    for group_name, rows in groups:
        for name in y_names:
            values = y_values[name]
            picked = [
                (positions[i], values[i], point_labels[i] if point_labels else "")
                for i in rows
                if not math.isnan(positions[i])
            ]
            if spec.kind == "line" and not axis.categorical:
                picked.sort(key=lambda p: p[0])  # a line runs left to right
            if spec.logy:
                dropped_log += sum(1 for _, v, _ in picked if v is not None and v <= 0)
                picked = [(p, v if v is None or v > 0 else None, t) for p, v, t in picked]
            if spec.logx:
                dropped_log += sum(1 for p, _, _ in picked if p <= 0)
                picked = [item for item in picked if item[0] > 0]
            label = _series_label(group_name, name, len(y_names), spec.group is not None)
            series.append(
                Series(
                    label=label,
                    x=tuple(p for p, _, _ in picked),
                    y=tuple(v for _, v, _ in picked),
                    point_labels=tuple(t for _, _, t in picked) if point_labels else (),
                )
            )
    return series, dropped_log


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """One level of string column names; a meaningful index becomes columns."""
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    if isinstance(frame.columns, pd.MultiIndex):
        names = [" / ".join(str(p) for p in parts if str(p)) for parts in frame.columns]
    else:
        names = [str(c) for c in frame.columns]
    frame = frame.copy(deep=False)
    frame.columns = pd.Index(names, dtype=object)
    return frame


def _column(frame: pd.DataFrame, name: str, option: str) -> pd.Series:
    matches = [i for i, c in enumerate(frame.columns) if c == name]
    if not matches:
        raise ChartProblem(
            f"no column {name!r} for :{option}:; the columns are {_names(frame.columns)}",
            option,
        )
    if len(matches) > 1:
        raise ChartProblem(f"column name {name!r} appears {len(matches)} times", option)
    return frame.iloc[:, matches[0]]


def _numeric(frame: pd.DataFrame, name: str) -> tuple[list[float | None], int]:
    """The column's finite numbers (None where it has none), and how many were infinite."""
    column = _column(frame, name, "y")
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        converted = pd.to_numeric(column, errors="coerce")
        bad = column[converted.isna() & column.notna()]
        if pd.api.types.is_bool_dtype(column) or len(bad):
            example = bad.iloc[0] if len(bad) else column.iloc[0]
            raise ChartProblem(
                f"column {name!r} is not numeric (for example {str(example)!r}), "
                "so it cannot be drawn on the y axis",
                "y",
            )
        column = converted
    raw = [None if pd.isna(v) else float(v) for v in column]
    infinite = sum(1 for v in raw if v is not None and math.isinf(v))
    return [v if v is not None and math.isfinite(v) else None for v in raw], infinite


def _default_y(frame: pd.DataFrame, x: str, group: str | None, labels: str | None) -> list[str]:
    taken = {x, group, labels}
    return [
        str(c)
        for c in frame.columns
        if c not in taken
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def _category_text(value: object) -> str:
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{int(value):,}" if value.is_integer() else str(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _series_label(group: str, y_name: str, n_y: int, grouped: bool) -> str:
    if not grouped:
        return y_name
    return group if n_y == 1 else f"{group}: {y_name}"


def _default_ylabel(y_names: Sequence[str]) -> str:
    return y_names[0] if len(y_names) == 1 else ""


def _names(names: Sequence[object] | pd.Index) -> str:
    return ", ".join(repr(str(n)) for n in names)


def number_text(value: float) -> str:
    """A number for a sentence: thousands separators, four significant digits."""
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def describe(chart: ChartData) -> str:
    """A one-line description of the chart for readers who cannot see it (its alt text)."""
    kind = f"{'Stacked bar' if chart.stacked else chart.kind.capitalize()} chart"
    ylabel = chart.ylabel or ", ".join(s.label for s in chart.series)
    if chart.legend_title:
        what = f"{ylabel} by {chart.xlabel}, one {_mark(chart)} per {chart.legend_title}"
        labels = [s.label for s in chart.series]
        shown = ", ".join(labels[:5]) + (f" and {len(labels) - 5} more" if len(labels) > 5 else "")
        what += f" ({shown})"
    elif len(chart.series) > 1:
        what = f"{', '.join(s.label for s in chart.series)} by {chart.xlabel}"
    else:
        what = f"{ylabel} by {chart.xlabel}"
    values = [v for s in chart.series for v in s.y if v is not None]
    points = max(len(s.x) for s in chart.series)
    sentence = f"{kind} of {what}; {points} point{'s' if points != 1 else ''}"
    if chart.legend_title or len(chart.series) > 1:
        sentence += " per series"
    if values:
        low, high = min(values), max(values)
        sentence += f"; values from {number_text(low)} to {number_text(high)}"
    sentence += "."
    return f"{chart.title}: {sentence[0].lower()}{sentence[1:]}" if chart.title else sentence


def _mark(chart: ChartData) -> str:
    return {"line": "line", "bar": "bar", "scatter": "set of points"}[chart.kind]
