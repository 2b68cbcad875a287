"""Lenient number reading (tools write "N/A", numbers as strings, "inf") and CSV cell text."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

_MISSING_TEXT = frozenset({"", "n/a", "na", "none", "null", "nan", "-"})


def to_float(value: object) -> float | None:
    """A finite float, or None for anything a tool writes when it has no number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in _MISSING_TEXT:
            return None
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def to_int(value: object) -> int | None:
    number = to_float(value)
    return None if number is None else round(number)


def scaled(value: object, factor: float) -> float | None:
    """``value * factor`` (a unit conversion), keeping None as None."""
    number = to_float(value)
    return None if number is None else number * factor


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolation percentile (numpy's default), ``q`` in 0..100."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def format_number(value: float | int) -> str:
    """Plain decimal text for a CSV cell: no exponent, no unit, at most 4 decimals.

    Fractions below 0.01 keep 6 decimals so small error rates do not round to zero.
    """
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    places = 6 if abs(value) < 0.01 else 4
    text = format(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places)), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def to_text(value: object) -> str | None:
    """A non-empty string, or None for missing markers ("N/A", "", null)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return None if text.lower() in _MISSING_TEXT else text
