"""Reading numbers (tools write "N/A", numbers as strings) and writing CSV cell text.

``measurement`` reads a result file's field strictly: a missing marker is no value, and
anything else that is not a finite, non-negative number is refused with the field's name.
``to_float`` is the lenient reading of table cells, where any text may stand.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal

_MISSING_TEXT = frozenset({"", "n/a", "na", "none", "null", "nan", "-"})
# What a tool writes for "no value" in a measurement field. Not "nan": NaN is refused there.
_NO_VALUE_TEXT = _MISSING_TEXT - {"nan"}
_WITH_UNIT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*[a-zA-Z%/]+$")
ABSENT = object()  # BadValue's value for a field the file lacks
#: No tool writes it, and Python 3.10's csv module can neither write nor read it in a cell.
NUL = "\x00"


class BadValue(ValueError):
    """A field of a result file holds something that cannot be a measurement."""

    def __init__(self, field: str, value: object, reason: str, where: str = "") -> None:
        self.field, self.value, self.reason, self.where = field, value, reason, where
        shown = repr(value)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        place = f" ({where})" if where else ""
        what = reason if value is ABSENT else f"is {shown}: {reason}"
        super().__init__(f"field {field!r}{place} {what}")

    def within(self, where: str) -> BadValue:
        """The same refusal, saying which part of the file (``report 2``, ``row 5``)."""
        return BadValue(self.field, self.value, self.reason, where)


def _float_unless_missing(value: int | float | str, missing: frozenset[str]) -> float | None:
    """``value`` as a float, None for text that is a ``missing`` marker (any case, spaces
    around). Raises ValueError for other text that is no number, OverflowError for an int
    too large for a float."""
    if not isinstance(value, str):
        return float(value)
    text = value.strip()
    return None if text.lower() in missing else float(text)


def measurement(value: object, field: str, factor: float = 1.0) -> float | None:
    """A number from a result file (times ``factor``, a unit conversion), or None when the
    tool wrote no value (null, "", "N/A"). Refuses (BadValue) anything else that is not a
    finite, non-negative number: "12 ms", NaN, inf, -3, true, a list."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadValue(field, value, "not a number")
    try:
        number = _float_unless_missing(value, _NO_VALUE_TEXT)
    except ValueError:  # raised for text only
        hint = " (a unit in the value? the unit is part of the field's name)"
        unit = _WITH_UNIT.match(str(value).strip())
        raise BadValue(field, value, "not a number" + (hint if unit else "")) from None
    except OverflowError:  # an int too large for a float
        raise BadValue(field, value, "not a finite number") from None
    if number is None:
        return None
    if not math.isfinite(number):
        raise BadValue(field, value, "not a finite number")
    if number < 0:
        raise BadValue(field, value, "negative; a time, rate or count cannot be")
    return number * factor


def count(value: object, field: str) -> int | None:
    """A whole number from a result file (a count, a concurrency), read as ``measurement``."""
    number = measurement(value, field)
    return None if number is None else round(number)


def to_float(value: object) -> float | None:
    """A finite float, or None for anything a tool writes when it has no number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None  # None, a boolean, a list...
    try:
        number = _float_unless_missing(value, _MISSING_TEXT)
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


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


def request_rate_text(rate: float) -> str:
    """A request rate (per second) as a Mode cell spells it after the pacing: ``poisson@2.5``."""
    return f"{rate:.2f}".rstrip("0").rstrip(".")


def to_text(value: object) -> str | None:
    """A non-empty string, or None for missing markers ("N/A", "", null)."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return None if text.lower() in _MISSING_TEXT else text
