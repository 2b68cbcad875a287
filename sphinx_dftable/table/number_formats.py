"""Named number formats for ``:formats:`` and ``dftable_formats``: auto, compact, percent.

They extend ``str.format``'s mini-language with three presentation types, written where a
type letter goes, so every display format stays one pattern with one field and text
around it is kept (units, currency signs)::

    {:auto}         precision picked for the whole column: 1,234 / 12.3 / 0.0123
    {:auto} ms      the same with a unit: 12.3 ms
    {:compact}      1.2k, 34.5M, 2.1B (``{:.2compact}``: two decimals)
    {:percent}      a fraction as a percentage: 0.123 -> 12.3% (``{:.2percent}``: 12.30%)

Thousands separators and fixed decimals need nothing new: ``{:,.2f}``. A format is applied
to a whole column at once because ``auto`` looks at every value of the column, so that
the column's numbers line up on one precision.
"""

from __future__ import annotations

import math
import numbers
import re
import statistics
import string
from collections.abc import Sequence
from dataclasses import dataclass

_KIND = re.compile(r"(?P<comma>,?)(?:\.(?P<decimals>\d{1,2}))?(?P<kind>auto|compact|percent)")
_COMPACT_UNITS = ("", "k", "M", "B", "T")
#: At most this many decimals where ``auto`` picks them.
MAX_AUTO_DECIMALS = 4


@dataclass(frozen=True)
class NamedFormat:
    """One named format: its kind, its fixed decimals (None: picked), text around it."""

    kind: str
    decimals: int | None
    prefix: str
    suffix: str

    def apply(self, values: Sequence[object]) -> list[str]:
        numbers = [_number(value, self.kind) for value in values]
        finite = [n for n in numbers if n is not None and math.isfinite(n)]
        if self.kind == "compact":
            return [self._wrap(n, _compact(n, self.decimals)) for n in numbers]
        scale = 100.0 if self.kind == "percent" else 1.0
        decimals = self.decimals
        if decimals is None:
            decimals = auto_decimals([n * scale for n in finite])
        unit = "%" if self.kind == "percent" else ""
        return [
            self._wrap(n, _fixed(n * scale, decimals) + unit if n is not None else "")
            for n in numbers
        ]

    def _wrap(self, number: float | None, text: str) -> str:
        return "" if number is None else f"{self.prefix}{text}{self.suffix}"


def parse(spec: str) -> NamedFormat | None:
    """The named format ``spec`` spells, or None for a plain ``str.format`` pattern."""
    try:
        parts = list(string.Formatter().parse(spec))
    except ValueError:
        return None
    fields = [i for i, part in enumerate(parts) if part[1] is not None]
    if len(fields) != 1:
        return None
    index = fields[0]
    literal, _name, format_spec, conversion = parts[index]
    match = _KIND.fullmatch(format_spec or "")
    if match is None or conversion:
        return None
    if match["kind"] == "auto" and match["decimals"]:
        return None  # fixed decimals are {:,.2f}; "auto" means they are picked
    prefix = "".join(p[0] for p in parts[:index]) + literal
    suffix = "".join(p[0] for p in parts[index + 1 :])
    decimals = int(match["decimals"]) if match["decimals"] else None
    # Formatter.parse has already turned "{{" and "}}" of the literal text into braces.
    return NamedFormat(match["kind"], decimals, prefix, suffix)


def format_column(spec: str, values: Sequence[object]) -> list[str] | None:
    """``values`` shown with the named format ``spec``; None when ``spec`` names none.

    Raises ``ValueError`` for a value that is not a number (the caller warns).
    """
    named = parse(spec)
    return None if named is None else named.apply(values)


def auto_decimals(values: Sequence[float]) -> int:
    """Decimals that show a column's typical value with three significant digits.

    Whole numbers get none; otherwise the median magnitude of the non-zero values decides
    (1234.5 -> 0, 12.34 -> 1, 1.234 -> 2, 0.01234 -> 4), at most
    :data:`MAX_AUTO_DECIMALS`.
    """
    if all(float(v).is_integer() for v in values):
        return 0
    magnitudes = [abs(v) for v in values if v != 0]
    if not magnitudes:
        return 0
    exponent = math.floor(math.log10(statistics.median(magnitudes)))
    return min(max(2 - exponent, 0), MAX_AUTO_DECIMALS)


def _number(value: object, kind: str) -> float | None:
    """A value as a float; None for a missing one. Text and booleans are refused."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:  # pd.NA, pd.NaT without pandas
        return None
    # numbers.Real covers numpy's scalars too; a bool is an int but not a measurement.
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"the {{:{kind}}} format takes numbers, not {value!r}")
    number = float(value)
    return None if math.isnan(number) else number


def _fixed(number: float, decimals: int) -> str:
    if math.isinf(number):
        return "-inf" if number < 0 else "inf"
    return f"{number:,.{decimals}f}"


def _compact(number: float | None, decimals: int | None) -> str:
    """``number`` scaled to k, M, B or T: 1234 -> 1.2k, 123456 -> 123k, 999950 -> 1.0M."""
    if number is None:
        return ""
    if not math.isfinite(number):
        return _fixed(number, 0)
    magnitude = abs(number)
    unit = 0
    while magnitude >= 1000 and unit < len(_COMPACT_UNITS) - 1:
        magnitude /= 1000
        unit += 1
    places = decimals
    if places is None:
        places = 0 if magnitude >= 100 or magnitude.is_integer() else 1
    if round(magnitude, places) >= 1000 and unit < len(_COMPACT_UNITS) - 1:
        magnitude /= 1000  # 999,950 rounds to 1000k: show it as 1.0M
        unit += 1
        places = 1 if decimals is None else decimals
    sign = "-" if number < 0 and round(magnitude, places) != 0 else ""
    return f"{sign}{magnitude:,.{places}f}{_COMPACT_UNITS[unit]}"
