"""Metric objects as NVIDIA's aiperf and genai-perf write them.

Each metric is an object ``{unit, avg, min, max, std, p1 ... p99}``; the unit is a field of
the object (``ms``, ``sec``, ``tokens/sec``, ``requests``), so a time is converted from the
unit it names, and a time in a unit that is not one is refused.
"""

from __future__ import annotations

from typing import Any

from sphinx_dftable.collect.values import BadValue, measurement

_SECONDS_PER = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0, "seconds": 1.0}


def block_of(blocks: dict[str, Any], *names: str) -> tuple[str, dict[str, Any] | None]:
    """The first of ``names`` that is a metric object, with its name (the first name when
    none is: the name a refusal uses)."""
    for name in names:
        block = blocks.get(name)
        if isinstance(block, dict):
            return name, block
    return names[0], None


def stat(blocks: dict[str, Any], which: str, *names: str, where: str = "") -> float | None:
    """Statistic ``which`` (``avg``, ``p50``) of a metric that is not a time."""
    name, block = block_of(blocks, *names)
    return None if block is None else measurement(block.get(which), f"{where}{name}.{which}")


def time_stat(
    blocks: dict[str, Any], which: str, *names: str, unit: str, where: str = ""
) -> float | None:
    """Statistic ``which`` of a time metric, converted to ``unit`` (``ms`` or ``s``) from the
    unit the object names (milliseconds when it names none)."""
    name, block = block_of(blocks, *names)
    if block is None:
        return None
    named = block.get("unit")
    text = str(named if named is not None else "ms").strip().lower()
    if text not in _SECONDS_PER:
        raise BadValue(f"{where}{name}.unit", named, "not a unit of time")
    factor = _SECONDS_PER[text] / _SECONDS_PER[unit]
    return measurement(block.get(which), f"{where}{name}.{which}", factor)
