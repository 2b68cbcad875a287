"""Metric objects as NVIDIA's aiperf and genai-perf write them.

Each metric is an object ``{unit, avg, min, max, std, p1 ... p99}``; the unit is a field of
the object (``ms``, ``sec``, ``tokens/sec``, ``requests``), so a time is converted from the
unit it names, and a time in a unit that is not one is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

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


class Figures(TypedDict):
    """The record fields both tools measure alike, to spread into ``Record(...)``."""

    input_tokens_mean: float | None
    output_tokens_mean: float | None
    ttft_ms_p50: float | None
    ttft_ms_p99: float | None
    itl_ms_p50: float | None
    itl_ms_p99: float | None
    tpot_ms_p50: float | None
    tpot_ms_p99: float | None
    latency_s_mean: float | None
    latency_s_p50: float | None
    latency_s_p99: float | None
    output_tokens_per_s: float | None
    total_tokens_per_s: float | None
    requests_per_s: float | None


def figures(
    blocks: dict[str, Any],
    *,
    where: str = "",
    ttft: Sequence[str] = ("time_to_first_token",),
    itl: Sequence[str] = ("inter_token_latency",),
    total_throughput: bool = True,
) -> Figures:
    """Token counts, TTFT, ITL, request latency and throughputs of the metric objects
    ``blocks`` (``ttft`` and ``itl``: the names each may have; ``total_throughput``: whether
    the tool writes ``total_token_throughput``). Both tools' inter-token latency is the
    decode-only time per output token: it is read as both ITL and TPOT."""

    def ms(which: str, *names: str) -> float | None:
        return time_stat(blocks, which, *names, unit="ms", where=where)

    def seconds(which: str) -> float | None:
        return time_stat(blocks, which, "request_latency", unit="s", where=where)

    def number(name: str) -> float | None:
        return stat(blocks, "avg", name, where=where)

    return Figures(
        input_tokens_mean=number("input_sequence_length"),
        output_tokens_mean=number("output_sequence_length"),
        ttft_ms_p50=ms("p50", *ttft),
        ttft_ms_p99=ms("p99", *ttft),
        itl_ms_p50=ms("p50", *itl),
        itl_ms_p99=ms("p99", *itl),
        tpot_ms_p50=ms("p50", *itl),
        tpot_ms_p99=ms("p99", *itl),
        latency_s_mean=seconds("avg"),
        latency_s_p50=seconds("p50"),
        latency_s_p99=seconds("p99"),
        output_tokens_per_s=number("output_token_throughput"),
        total_tokens_per_s=number("total_token_throughput") if total_throughput else None,
        requests_per_s=number("request_throughput"),
    )
