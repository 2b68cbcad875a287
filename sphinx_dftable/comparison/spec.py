"""What a comparison asks for: the baseline, the key columns, the metrics, the noise.

The same text is accepted by the directives' options (``:compare:``, ``:keys:``,
``:metrics:``, ``:noise:``) and by ``dftable-collect diff`` (``--keys``, ``--metrics``,
``--noise``), so both are parsed here, with messages that say what was expected.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

#: Changes within this many percent are neither better nor worse, unless ``:noise:`` says.
DEFAULT_NOISE_PERCENT = 2.0


class Direction(Enum):
    """Which way a metric gets better."""

    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Metric:
    """A column to compare and the direction in which it improves."""

    column: str
    direction: Direction

    def __str__(self) -> str:
        return f"{self.column} = {self.direction.value}"


_METRIC = re.compile(r"\s*(?P<column>[^=]*?)\s*=\s*(?P<direction>[A-Za-z-]+)\s*")
_DIRECTIONS = {
    "higher": Direction.HIGHER,
    "lower": Direction.LOWER,
    "higher-is-better": Direction.HIGHER,
    "lower-is-better": Direction.LOWER,
}


def parse_metrics(text: str) -> tuple[Metric, ...]:
    """``Column = higher, Other column = lower`` (commas or one per line).

    A column name may itself hold commas when the metrics are given one per line.
    """
    text = text.strip()
    if not text:
        raise ValueError("give at least one 'Column = higher' or 'Column = lower'")
    pieces = text.splitlines() if "\n" in text else _split_commas(text)
    metrics: list[Metric] = []
    for piece in (p for p in pieces if p.strip()):
        match = _METRIC.fullmatch(piece)
        direction = _DIRECTIONS.get(match["direction"].lower()) if match else None
        if match is None or direction is None or not match["column"]:
            raise ValueError(
                f"expected 'Column = higher' or 'Column = lower', got {piece.strip()!r}"
            )
        if any(m.column == match["column"] for m in metrics):
            raise ValueError(f"{match['column']!r} is given twice")
        metrics.append(Metric(match["column"], direction))
    return tuple(metrics)


def _split_commas(text: str) -> list[str]:
    """Split at the commas that follow a direction, so names keep theirs: ``a, b = lower``."""
    pieces, start = [], 0
    for match in re.finditer(r"=\s*[A-Za-z-]+\s*(,|$)", text):
        pieces.append(text[start : match.start(1) if match[1] else match.end()])
        start = match.end()
    if text[start:].strip():
        pieces.append(text[start:])
    return pieces


def parse_noise(text: str) -> float:
    """``2%`` (or ``2``, ``0.5 %``): the change in percent that still counts as noise."""
    value = text.strip().removesuffix("%").strip()
    try:
        noise = float(value)
    except ValueError:
        raise ValueError(f"expected a percentage like 2%, got {text.strip()!r}") from None
    if not math.isfinite(noise) or noise < 0:
        raise ValueError(f"the noise must be a percentage of 0 or more, not {text.strip()!r}")
    return noise


def parse_keys(text: str) -> tuple[str, ...]:
    """Key column names separated by commas, or one per line (for names with commas)."""
    text = text.strip()
    parts = text.splitlines() if "\n" in text else text.split(",")
    names = tuple(part.strip() for part in parts if part.strip())
    if not names:
        raise ValueError("give at least one key column")
    if len(set(names)) != len(names):
        raise ValueError("a key column is given twice")
    return names


#: ``git`` (the same files at a revision) or ``directory`` (files of the same names).
BaselineKind = Literal["git", "directory"]


@dataclass(frozen=True)
class BaselineSpec:
    """What ``:compare:`` names: ``git:REV`` or a directory of earlier files."""

    kind: BaselineKind
    #: The revision (``v2.20``, a branch, a commit) or the directory as written.
    value: str

    def __str__(self) -> str:
        return f"git:{self.value}" if self.kind == "git" else self.value


def parse_baseline(text: str) -> BaselineSpec:
    value = text.strip()
    if value.startswith("git:"):
        revision = value[4:].strip()
        if not revision:
            raise ValueError("git: needs a revision, tag or branch, like git:v2.20")
        if revision.startswith("-") or any(c.isspace() for c in revision):
            raise ValueError(f"{revision!r} is not a git revision")
        return BaselineSpec("git", revision)
    if not value:
        raise ValueError("give git:REV or a directory of earlier files")
    return BaselineSpec("directory", value)
