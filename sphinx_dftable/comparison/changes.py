"""What changed between two DataFrames: rows matched on keys, metrics compared in percent.

A change is ``(current - baseline) / |baseline|`` in percent. Its verdict follows the
metric's direction, and a change within the noise is neutral. A value missing on either
side (or a baseline of zero) has no change: it is shown, never counted as 0%.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import pandas as pd

from sphinx_dftable.comparison.spec import DEFAULT_NOISE_PERCENT, Direction, Metric


class ComparisonError(ValueError):
    """A comparison that cannot be made as asked; ``option`` names what to fix."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


class Verdict(Enum):
    """What a change means to a reader; the value is the CSS class suffix."""

    BETTER = "better"
    WORSE = "worse"
    NEUTRAL = "neutral"
    #: No change to judge: a value is missing on one side, or the baseline is zero.
    UNKNOWN = "unknown"

    @property
    def css_class(self) -> str:
        return f"dftable-{self.value}"


UP, DOWN, LEVEL = "\u25b2", "\u25bc", "="


@dataclass(frozen=True)
class Change:
    current: float | None
    baseline: float | None
    #: Signed change in percent; None when there is none to compute.
    percent: float | None
    verdict: Verdict

    @property
    def arrow(self) -> str:
        """``▲`` for a rise, ``▼`` for a fall, ``=`` for none, ``""`` when unknown."""
        if self.percent is None:
            return ""
        return UP if self.percent > 0 else DOWN if self.percent < 0 else LEVEL

    def percent_text(self, decimals: int = 1) -> str:
        """``+12.3%``, ``-4.0%``, ``0.0%``; ``""`` when there is no change."""
        if self.percent is None:
            return ""
        rounded = round(self.percent, decimals)
        if rounded == 0:
            return f"{0:.{decimals}f}%"
        return f"{rounded:+.{decimals}f}%"

    def text(self, decimals: int = 1) -> str:
        """``+12.3% ▲``: the change as every builder can print it."""
        shown = self.percent_text(decimals)
        return f"{shown} {self.arrow}" if shown else ""


def judge(current: float | None, baseline: float | None, metric: Metric, noise: float) -> Change:
    """The change from ``baseline`` to ``current`` of ``metric``, judged against ``noise``."""
    if current is None or baseline is None or baseline == 0:
        return Change(current, baseline, None, Verdict.UNKNOWN)
    percent = (current - baseline) / abs(baseline) * 100.0
    if abs(percent) <= noise:
        verdict = Verdict.NEUTRAL
    else:
        rose = percent > 0
        verdict = (
            Verdict.BETTER if rose == (metric.direction is Direction.HIGHER) else Verdict.WORSE
        )
    return Change(current, baseline, percent, verdict)


@dataclass
class Comparison:
    """The outcome, row by row of the current frame."""

    keys: tuple[str, ...]
    metrics: tuple[Metric, ...]
    noise: float
    #: Per current row (in order): the matching baseline row's position, or None (a new row).
    matches: list[int | None]
    #: Per metric column: the change of each current row (None for a new row).
    changes: dict[str, list[Change | None]]
    #: Baseline rows with no current row, in baseline order, all their columns.
    removed: pd.DataFrame
    #: Metrics the baseline lacks (a column added since): compared as nothing.
    missing_in_baseline: list[str] = field(default_factory=list)

    @property
    def new_rows(self) -> list[int]:
        return [i for i, match in enumerate(self.matches) if match is None]

    def counts(self) -> dict[Verdict, int]:
        """How many compared cells are better, worse, neutral, unknown."""
        found = dict.fromkeys(Verdict, 0)
        for column in self.changes.values():
            for change in column:
                if change is not None:
                    found[change.verdict] += 1
        return found


def default_keys(frame: pd.DataFrame) -> tuple[str, ...]:
    """The non-numeric columns: what names a benchmark row (model, instance, mode...)."""
    return tuple(str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c].dtype))


def compare_frames(
    current: pd.DataFrame,
    baseline: pd.DataFrame,
    metrics: Sequence[Metric],
    keys: Sequence[str] | None = None,
    noise: float = DEFAULT_NOISE_PERCENT,
    current_name: str = "the table",
) -> Comparison:
    """Match ``current`` rows with ``baseline`` rows on ``keys`` and judge each metric.

    Raises :class:`ComparisonError` for a key or metric the current frame lacks, a key the
    baseline lacks, keys that do not name one row on a side, or a metric that is not numeric;
    the messages call the current frame ``current_name``.
    """
    metrics = tuple(metrics)
    chosen = tuple(keys) if keys else default_keys(current)
    if not chosen:
        raise ComparisonError(
            f"{current_name} has no non-numeric column to match rows on: give :keys:", "keys"
        )
    _require_columns(current, chosen, "keys", current_name)
    _require_columns(baseline, chosen, "keys", "the baseline")
    _require_columns(current, [m.column for m in metrics], "metrics", current_name)
    overlap = [m.column for m in metrics if m.column in chosen]
    if overlap:
        raise ComparisonError(f"{', '.join(overlap)}: a key column cannot be a metric", "metrics")
    current_keys = _key_tuples(current, chosen, current_name)
    baseline_keys = _key_tuples(baseline, chosen, "the baseline")
    position = {key: i for i, key in enumerate(baseline_keys)}
    matches = [position.get(key) for key in current_keys]
    matched = {m for m in matches if m is not None}
    removed = baseline.iloc[[i for i in range(len(baseline)) if i not in matched]]

    changes: dict[str, list[Change | None]] = {}
    missing = []
    for metric in metrics:
        now = metric_values(current, metric.column, current_name)
        if metric.column in baseline.columns:
            before = metric_values(baseline, metric.column, "the baseline")
        else:
            missing.append(metric.column)
            before = [None] * len(baseline)
        changes[metric.column] = [
            None if match is None else judge(value, before[match], metric, noise)
            for value, match in zip(now, matches, strict=True)
        ]
    return Comparison(
        chosen, metrics, noise, matches, changes, removed.reset_index(drop=True), missing
    )


def _require_columns(frame: pd.DataFrame, names: Sequence[str], option: str, side: str) -> None:
    absent = [name for name in names if name not in frame.columns]
    if absent:
        have = ", ".join(map(str, frame.columns))
        raise ComparisonError(
            f"{side} has no column {', '.join(map(repr, absent))} (it has: {have})", option
        )


def _key_tuples(frame: pd.DataFrame, keys: Sequence[str], side: str) -> list[tuple[Any, ...]]:
    # Keys compare as text, so that 8 and 8.0 (a column read with a gap) are one key.
    # Column by column, then zipped: a row-by-row walk costs most of a large comparison.
    columns = [
        list(map(_key_text, frame[key].astype(object).where(frame[key].notna(), None).tolist()))
        for key in keys
    ]
    tuples = list(zip(*columns, strict=True))
    seen: set[tuple[Any, ...]] = set()
    repeated = []
    for key in tuples:
        if key in seen and key not in repeated:
            repeated.append(key)
        seen.add(key)
    if repeated:
        shown = "; ".join(", ".join("" if v is None else v for v in key) for key in repeated[:3])
        more = f" and {len(repeated) - 3} more" if len(repeated) > 3 else ""
        raise ComparisonError(
            f"the keys ({', '.join(keys)}) do not name one row in {side}: "
            f"repeated {shown}{more}; add a column to :keys:",
            "keys",
        )
    return tuples


def _key_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def metric_values(frame: pd.DataFrame, column: str, side: str) -> list[float | None]:
    """The numbers of ``column`` (None where missing); ComparisonError if it is not numeric.

    ``side`` names the frame in the message (``the table``, ``the baseline``).
    """
    series = frame[column]
    if not (
        pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)
    ):
        converted = pd.to_numeric(series, errors="coerce")
        bad = series[converted.isna() & series.notna() & (series.astype(str).str.strip() != "")]
        if len(bad):
            examples = ", ".join(repr(str(v)) for v in bad.unique()[:3])
            raise ComparisonError(
                f"the metric {column!r} is not numeric in {side} (values such as {examples})",
                "metrics",
            )
        series = converted
    # One conversion for the column (missing values become NaN), then plain floats.
    numbers = series.to_numpy(dtype="float64", na_value=math.nan)
    return [float(v) if math.isfinite(v) else None for v in numbers.tolist()]


def summary_text(comparison: Comparison, label: str) -> str:
    """``Compared with git:v2.20 (1a2b3c4d5e): 5 better, 2 worse, 3 within 2%, 1 new.``

    Better, worse and within the noise count compared cells (each metric of each row);
    new and removed count rows. Parts that are zero are left out, except the first three.
    """
    counts = comparison.counts()
    parts = [
        f"{counts[Verdict.BETTER]} better",
        f"{counts[Verdict.WORSE]} worse",
        f"{counts[Verdict.NEUTRAL]} within {comparison.noise:g}%",
    ]
    if counts[Verdict.UNKNOWN]:
        parts.append(f"{counts[Verdict.UNKNOWN]} without a figure to compare")
    if comparison.new_rows:
        parts.append(f"{len(comparison.new_rows)} new")
    if len(comparison.removed):
        parts.append(f"{len(comparison.removed)} removed")
    return f"Compared with {label}: {', '.join(parts)}."


def removed_text(comparison: Comparison, label: str) -> str | None:
    """``Removed since git:v2.20: Model x, Batch 8; Model y, Batch 1.`` (None: none removed)."""
    if not len(comparison.removed):
        return None
    frame = comparison.removed[list(comparison.keys)]
    rows = []
    for values in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        shown = (_key_text(value) for value in values)
        rows.append(
            ", ".join(
                f"{key} {'(empty)' if text is None else text}"
                for key, text in zip(comparison.keys, shown, strict=True)
            )
        )
    return f"Removed since {label}: {'; '.join(rows)}."
