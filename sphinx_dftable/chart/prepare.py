"""From a DataFrame and a chart's options to the :class:`ChartData` it is drawn from.

No Sphinx and no matplotlib here: the directive checks the data when the page is read, so
a bad column is a warning at the option's line, even where matplotlib is missing.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from sphinx_dftable.chart.data import ChartData, Note, Series, repeated_listing, repeated_x
from sphinx_dftable.chart.spec import ChartProblem, ChartSpec

#: Larger values (near the float limits) overflow matplotlib's tick and axis arithmetic.
LARGEST = 1e300


def prepare_chart(frame: pd.DataFrame, spec: ChartSpec) -> ChartData:
    """Check ``frame`` against ``spec`` and collect the series to draw."""
    _check_options(spec)
    frame = _flat(frame)
    if frame.shape[0] == 0:
        raise ChartProblem("the DataFrame has no rows; nothing to draw")
    x = spec.x if spec.x is not None else str(frame.columns[0])
    group = _group_columns(frame, spec.group)
    for column, option in ((x, "x"), (spec.labels, "labels"), (spec.facet, "facet")):
        if column is not None:
            _column(frame, column, option)
    taken = {x, *group, spec.labels, spec.facet, *spec.y2}
    y_names = list(spec.y) or _default_y(frame, taken)
    if not y_names:
        raise ChartProblem(
            "no numeric column to draw: name the values with :y:", "y" if spec.y else None
        )
    notes: list[Note] = []
    y_values: dict[str, list[float | None]] = {}
    for name, option in [*((n, "y") for n in y_names), *((n, "y2") for n in spec.y2)]:
        y_values[name], infinite = _numeric(frame, name, option)
        if infinite:
            notes.append(
                Note(f"{infinite} infinite or too large value(s) in column {name!r} not drawn")
            )
    axis = _x_axis(_column(frame, x, "x"), x, spec)
    too_large = sum(1 for p in axis.positions if abs(p) > LARGEST)
    if too_large:
        axis.positions[:] = [math.nan if abs(p) > LARGEST else p for p in axis.positions]
        notes.append(Note(f"{too_large} row(s) with an x value beyond ±1e300 not drawn", "x"))
    point_labels = (
        [_category_text(v) for v in _column(frame, spec.labels, "labels")]
        if spec.labels is not None
        else None
    )
    panels = _panels(frame, spec.facet)
    columns = [(name, 0) for name in y_names] + [(name, 1) for name in spec.y2]
    groups = _groups(frame, group)
    series, dropped_log = _series(
        panels, groups, bool(group), columns, y_values, axis, point_labels, spec
    )
    if dropped_log:
        notes.append(Note(f"{dropped_log} value(s) <= 0 not drawn on the log scale"))
    if all(v is None for s in series for v in s.y):
        raise ChartProblem(
            f"nothing to draw: no numeric value in {_names(y_names + list(spec.y2))}",
            "y" if spec.y else None,
        )
    chart = ChartData(
        kind=spec.kind,
        series=tuple(series),
        xlabel=spec.xlabel if spec.xlabel is not None else x,
        ylabel=spec.ylabel if spec.ylabel is not None else _default_ylabel(y_names),
        categories=axis.categories,
        x_datetime=axis.datetime,
        title=spec.title,
        stacked=spec.stacked,
        logx=spec.logx or spec.xscale == "log",
        logy=spec.logy,
        xformat=spec.xformat,
        yformat=spec.yformat,
        size=spec.size,
        legend_title=", ".join(group),
        y2label=spec.y2label if spec.y2label is not None else _default_ylabel(list(spec.y2)),
        y2format=spec.y2format,
        logy2=spec.logy2,
        panels=tuple(name for name, _ in panels) if spec.facet is not None else (),
        facet_title=spec.facet or "",
        side_by_side=spec.repeated == "side-by-side",
    )
    repeated = repeated_x(chart)
    if repeated and not chart.side_by_side:
        notes.append(Note(_repeated_message(chart, repeated), "x"))
    return dataclasses.replace(chart, notes=tuple(notes))


def _check_options(spec: ChartSpec) -> None:
    if spec.stacked and spec.kind != "bar":
        raise ChartProblem(":stacked: applies to bar charts only", "stacked")
    if spec.repeated == "side-by-side" and spec.kind != "bar":
        raise ChartProblem(":repeated: side-by-side applies to bar charts only", "repeated")
    if spec.stacked and spec.y2:
        raise ChartProblem(":y2: and :stacked: do not mix: bars on two axes cannot stack", "y2")
    if spec.logx and spec.xscale not in (None, "log"):
        raise ChartProblem(f":logx: contradicts :xscale: {spec.xscale}", "logx")
    if spec.kind == "bar" and (spec.logx or spec.xscale in ("log", "linear")):
        option = "logx" if spec.logx else "xscale"
        raise ChartProblem(
            "a bar chart places its x values as categories; a log or linear x axis "
            "applies to line and scatter charts",
            option,
        )
    for option, name in (("y2label", spec.y2label), ("y2format", spec.y2format)):
        if name is not None and not spec.y2:
            raise ChartProblem(f":{option}: needs :y2: columns", option)
    if spec.logy2 and not spec.y2:
        raise ChartProblem(":logy2: needs :y2: columns", "logy2")


def _repeated_message(chart: ChartData, repeated: dict[str, int]) -> str:
    listing = repeated_listing(repeated)
    if chart.kind == "scatter":
        return (
            f"points of one series lie exactly on each other at x = {listing}; name the "
            "column that tells them apart in :group: (several columns may be given)"
        )
    if chart.kind == "bar":
        drawn = f"their bars are {'stacked' if chart.stacked else 'drawn side by side'}"
        fix = "or draw them so without this warning with :repeated: side-by-side"
    else:
        drawn = "the line joins them in row order"
        fix = "or give each one its own x value"
    return (
        f"rows of one series share an x value: {listing}; {drawn}. Name the column that "
        f"tells them apart in :group: (several columns may be given), {fix}"
    )


@dataclass(frozen=True)
class _XAxis:
    """Each row's position on the x axis, and what kind of axis that is."""

    positions: list[float]
    categorical: bool
    datetime: bool = False
    categories: tuple[str, ...] = ()


def _x_axis(x_column: pd.Series, x: str, spec: ChartSpec) -> _XAxis:
    as_categories = spec.kind == "bar" or spec.xscale == "categories"
    if pd.api.types.is_datetime64_any_dtype(x_column) and not as_categories:
        if spec.logx or spec.xscale == "log":  # dates are placed to scale, never on a log
            raise ChartProblem(
                f"x column {x!r} holds dates, so it has no log scale",
                "xscale" if spec.xscale else "logx",
            )
        stamps = pd.to_datetime(x_column)
        positions = [math.nan if pd.isna(t) else t.timestamp() for t in stamps]
        return _XAxis(positions, categorical=False, datetime=True)
    numeric = pd.api.types.is_numeric_dtype(x_column) and not pd.api.types.is_bool_dtype(x_column)
    if not as_categories and numeric:
        return _XAxis([float(v) for v in x_column.astype("float64")], categorical=False)
    if spec.logx or spec.xscale in ("log", "linear"):
        option = "xscale" if spec.xscale else "logx"
        scale = spec.xscale or "log"
        raise ChartProblem(f"x column {x!r} is not numeric, so it has no {scale} scale", option)
    texts = [_category_text(v) for v in x_column]
    present = [t for t, v in zip(texts, x_column, strict=True) if not _missing(v)]
    categories = list(dict.fromkeys(present))
    if spec.xorder == "sorted":
        categories = _sorted_categories(x_column, texts, categories)
    index = {text: float(i) for i, text in enumerate(categories)}
    positions = [
        math.nan if _missing(v) else index[t] for t, v in zip(texts, x_column, strict=True)
    ]
    return _XAxis(positions, categorical=True, categories=tuple(categories))


def _sorted_categories(column: pd.Series, texts: list[str], categories: list[str]) -> list[str]:
    """Numbers and dates by value, text in natural order (``8xlarge`` before ``24xlarge``)."""
    kind = column.dtype
    numeric = pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
    if numeric or pd.api.types.is_datetime64_any_dtype(kind):
        first: dict[str, Any] = {}
        for text, value in zip(texts, column, strict=True):
            if not _missing(value):
                first.setdefault(text, value)
        return sorted(categories, key=lambda t: first[t])
    return sorted(categories, key=_natural_key)


def _natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    parts = re.split(r"(\d+)", text.casefold())
    return tuple((0, int(p)) if i % 2 else (1, p) for i, p in enumerate(parts) if p)


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(cast(Any, value)))
    except (TypeError, ValueError):
        return False


def _group_columns(frame: pd.DataFrame, group: str | None) -> list[str]:
    """The ``:group:`` column, or its columns when several are named with commas."""
    if group is None:
        return []
    if group in frame.columns:
        return [_column_name(frame, group, "group")]
    parts = [p.strip() for p in (group.splitlines() if "\n" in group else group.split(","))]
    names = [p for p in parts if p]
    for name in names:
        _column(frame, name, "group")
    return names


def _column_name(frame: pd.DataFrame, name: str, option: str) -> str:
    _column(frame, name, option)
    return name


def _panels(frame: pd.DataFrame, facet: str | None) -> list[tuple[str, list[int]]]:
    """(panel title, row numbers) per value of the facet column, in order of appearance."""
    if facet is None:
        return [("", list(range(frame.shape[0])))]
    keys = [_category_text(v) for v in _column(frame, facet, "facet")]
    order = list(dict.fromkeys(keys))
    return [(p, [i for i, k in enumerate(keys) if k == p]) for p in order]


def _groups(frame: pd.DataFrame, group: list[str]) -> list[tuple[str, list[int]]]:
    """(series name, row numbers) per value of the group columns, in order of appearance."""
    if not group:
        return [("", list(range(frame.shape[0])))]
    columns = [[_category_text(v) for v in _column(frame, g, "group")] for g in group]
    keys = [", ".join(parts) for parts in zip(*columns, strict=True)]
    order = list(dict.fromkeys(keys))
    return [(g, [i for i, k in enumerate(keys) if k == g]) for g in order]


def _series(
    panels: list[tuple[str, list[int]]],
    groups: list[tuple[str, list[int]]],
    grouped: bool,
    columns: list[tuple[str, int]],
    y_values: dict[str, list[float | None]],
    axis: _XAxis,
    point_labels: list[str] | None,
    spec: ChartSpec,
) -> tuple[list[Series], int]:
    """One series per panel, group and y column, and how many values a log scale dropped."""
    series: list[Series] = []
    dropped_log = 0
    positions = axis.positions
    for panel, (_, panel_rows) in enumerate(panels):
        in_panel = set(panel_rows)
        for group_name, group_rows in groups:
            rows = [i for i in group_rows if i in in_panel]
            if not rows and spec.facet is not None:
                continue  # this group has no row in this panel
            for name, y_axis in columns:
                values = y_values[name]
                picked = [
                    (positions[i], values[i], point_labels[i] if point_labels else "")
                    for i in rows
                    if not math.isnan(positions[i])
                ]
                if spec.kind == "line":
                    picked.sort(key=lambda p: p[0])  # a line runs left to right
                if spec.logy2 if y_axis else spec.logy:
                    dropped_log += sum(1 for _, v, _ in picked if v is not None and v <= 0)
                    picked = [(p, v if v is None or v > 0 else None, t) for p, v, t in picked]
                if spec.logx or spec.xscale == "log":
                    dropped_log += sum(1 for p, _, _ in picked if p <= 0)
                    picked = [item for item in picked if item[0] > 0]
                same_axis = sum(1 for _, a in columns if a == y_axis)
                label = _series_label(group_name, name, same_axis, grouped)
                series.append(
                    Series(
                        label=label,
                        x=tuple(p for p, _, _ in picked),
                        y=tuple(v for _, v, _ in picked),
                        point_labels=tuple(t for _, _, t in picked) if point_labels else (),
                        value_name=name,
                        axis=y_axis,
                        panel=panel,
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


def _numeric(frame: pd.DataFrame, name: str, option: str) -> tuple[list[float | None], int]:
    """The column's drawable numbers (None where it has none), and how many were infinite
    or too large to draw."""
    column = _column(frame, name, option)
    if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
        converted = pd.to_numeric(column, errors="coerce")
        bad = column[converted.isna() & column.notna()]
        if pd.api.types.is_bool_dtype(column) or len(bad):
            example = bad.iloc[0] if len(bad) else column.iloc[0]
            which = "second y axis" if option == "y2" else "y axis"
            raise ChartProblem(
                f"column {name!r} is not numeric (for example {str(example)!r}), "
                f"so it cannot be drawn on the {which}",
                option,
            )
        column = converted
    raw = [None if pd.isna(v) else float(v) for v in column]
    infinite = sum(1 for v in raw if v is not None and not abs(v) <= LARGEST)
    return [v if v is not None and abs(v) <= LARGEST else None for v in raw], infinite


def _default_y(frame: pd.DataFrame, taken: set[str | None]) -> list[str]:
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
