"""The best value of each metric within groups of rows, and a colour scale's levels.

No baseline is needed: a metric's direction alone says which value is best. Missing
figures take no part (they are never best, never coloured). Nothing here imports Sphinx.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sphinx_dftable.comparison.changes import ComparisonError, metric_values
from sphinx_dftable.comparison.spec import Direction, Metric

#: ``:highlight: all``: the whole table is one group.
ALL = "all"
#: Levels of a colour scale: 1 (the worst value) to SCALE_LEVELS (the best).
SCALE_LEVELS = 5


def best_cells(
    frame: pd.DataFrame, metrics: Sequence[Metric], groups: Sequence[str] | None
) -> dict[str, list[bool]]:
    """Per metric column: whether each row holds the best value of its group.

    ``groups`` are the columns whose values make a group (None: the whole table). Ties
    are all best; a group of one row has no best, there being nothing to beat.
    Raises :class:`ComparisonError` naming ``highlight`` (an unknown group column) or
    ``metrics`` (an unknown or non-numeric metric).
    """
    names = [str(c) for c in frame.columns]
    if groups:
        absent = [g for g in groups if g not in names]
        if absent:
            raise ComparisonError(
                f"the table has no column {', '.join(map(repr, absent))} to group by "
                f"(it has: {', '.join(names)})",
                "highlight",
            )
        labels = frame[list(groups)].astype(str).agg("\x1f".join, axis=1).tolist()
    else:
        labels = [""] * len(frame)
    best: dict[str, list[bool]] = {}
    for metric in metrics:
        values = _values(frame, metric)
        members: dict[str, list[int]] = {}
        for row, label in enumerate(labels):
            members.setdefault(label, []).append(row)
        marked = [False] * len(frame)
        for rows in members.values():
            known = {r: v for r in rows if (v := values[r]) is not None}
            if len(rows) < 2 or not known:
                continue
            pick = max if metric.direction is Direction.HIGHER else min
            top = pick(known.values())
            for row, value in known.items():
                marked[row] = value == top
        best[metric.column] = marked
    return best


def scale_levels(frame: pd.DataFrame, metric: Metric) -> list[int | None]:
    """Per row: 1 to :data:`SCALE_LEVELS` (stronger is better), None for a missing figure.

    The levels split the column's range evenly; a column of one value is all at the top.
    """
    values = _values(frame, metric)
    known = [v for v in values if v is not None]
    if not known:
        return [None] * len(values)
    low, high = min(known), max(known)
    levels: list[int | None] = []
    for value in values:
        if value is None:
            levels.append(None)
            continue
        share = 1.0 if high == low else (value - low) / (high - low)
        if metric.direction is Direction.LOWER:
            share = 1.0 - share if high != low else 1.0
        levels.append(1 + min(int(share * SCALE_LEVELS), SCALE_LEVELS - 1))
    return levels


def _values(frame: pd.DataFrame, metric: Metric) -> list[float | None]:
    if metric.column not in [str(c) for c in frame.columns]:
        have = ", ".join(map(str, frame.columns))
        raise ComparisonError(
            f"the table has no column {metric.column!r} (it has: {have})", "metrics"
        )
    return metric_values(frame, metric.column, "the table")
