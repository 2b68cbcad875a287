"""One benchmark run, in the collector's own units (the unit is part of each field's name)."""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from sphinx_dftable.collect.values import NUL, BadValue

# The keys `show --json` always prints, in this order (null where the source has no value).
CORE_FIELDS: tuple[str, ...] = (
    "source",
    "format",
    "model",
    "instance_type",
    "concurrency",
    "batch_size",
    "input_tokens_mean",
    "output_tokens_mean",
    "ttft_ms_p50",
    "ttft_ms_p99",
    "itl_ms_p50",
    "itl_ms_p99",
    "tpot_ms_p50",
    "tpot_ms_p99",
    "latency_s_mean",
    "latency_s_p50",
    "latency_s_p99",
    "output_tokens_per_s",
    "total_tokens_per_s",
    "requests_per_s",
    "requests_per_min",
    "error_rate",
    "inferences_per_s",
    "latency_ms_p50",
    "latency_ms_p99",
)

# Measurements; every other field describes the run and can be part of a table's key.
METRIC_FIELDS: frozenset[str] = frozenset(
    name
    for name in CORE_FIELDS
    if name not in {"source", "format", "model", "instance_type", "concurrency", "batch_size"}
) | {
    "errors",
    "latency_per_token_ms_p50",
    "latency_per_token_ms_p99",
    "ttft_ms_mean",
    "itl_ms_mean",
    "duration_s",
}


@dataclass
class Record:
    """A run as parsed from one result file. Units: ``_ms`` milliseconds, ``_s`` seconds."""

    source: str
    format: str
    tool: str
    model: str | None = None
    instance_type: str | None = None
    concurrency: int | None = None
    batch_size: int | None = None
    input_tokens_mean: float | None = None
    output_tokens_mean: float | None = None
    ttft_ms_p50: float | None = None
    ttft_ms_p99: float | None = None
    # Time between streamed tokens as the tool defines it (llmperf's includes the first token).
    itl_ms_p50: float | None = None
    itl_ms_p99: float | None = None
    # Decode-only time per output token: the first token (TTFT) is excluded.
    tpot_ms_p50: float | None = None
    tpot_ms_p99: float | None = None
    latency_s_mean: float | None = None
    latency_s_p50: float | None = None
    latency_s_p99: float | None = None
    output_tokens_per_s: float | None = None
    # Input plus output tokens per second.
    total_tokens_per_s: float | None = None
    requests_per_s: float | None = None
    requests_per_min: float | None = None
    error_rate: float | None = None
    inferences_per_s: float | None = None
    latency_ms_p50: float | None = None
    latency_ms_p99: float | None = None
    # Beyond the core keys: what a run file or a table layout may also use.
    mode: str | None = None
    engine: str | None = None
    dataset: str | None = None
    errors: int | None = None
    run_mode: str | None = None
    tp_degree: int | None = None
    sequence_length: int | None = None
    model_dtype: str | None = None
    # Request latency divided by its input + output tokens, per request where the tool kept them.
    latency_per_token_ms_p50: float | None = None
    latency_per_token_ms_p99: float | None = None
    # The lengths the run was configured with (tokens per request), never a measured mean:
    # they identify a row, so a rerun of the same configuration replaces it.
    input_length: int | None = None
    output_length: int | None = None
    # Means where a tool reports a mean instead of the median (optimum-neuron's summaries).
    ttft_ms_mean: float | None = None
    itl_ms_mean: float | None = None
    # Wall-clock time of the whole run (its measured part), seconds.
    duration_s: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Core keys first (the documented JSON shape), then the extra ones."""
        values = dataclasses.asdict(self)
        ordered = {name: values[name] for name in CORE_FIELDS}
        ordered.update((k, v) for k, v in values.items() if k not in ordered)
        return ordered


RECORD_FIELDS: frozenset[str] = frozenset(f.name for f in dataclasses.fields(Record))

_INSTANCE_TYPE = re.compile(r"^(?:ml\.)?([a-z][a-z0-9-]*)\.([a-z0-9-]+)$", re.IGNORECASE)


def normalize_instance_type(value: str | None) -> str | None:
    """``ml.inf2.48xlarge`` / ``inf2.48xlarge`` -> ``Inf2.48xlarge``, the docs' spelling."""
    if value is None:
        return None
    text = value.strip()
    match = _INSTANCE_TYPE.match(text)
    if not match:
        return text or None
    family, size = match.groups()
    return f"{family[:1].upper()}{family[1:].lower()}.{size.lower()}"


def derive(record: Record) -> Record:
    """Fill fields that follow from others, so every tool's records answer the same questions."""
    r = record
    r.instance_type = normalize_instance_type(r.instance_type)
    tokens_in, tokens_out = r.input_tokens_mean, r.output_tokens_mean
    if (
        r.total_tokens_per_s is None
        and r.output_tokens_per_s is not None
        and tokens_in is not None
        and tokens_out
    ):
        r.total_tokens_per_s = r.output_tokens_per_s * (tokens_in + tokens_out) / tokens_out
    if r.requests_per_min is None and r.requests_per_s is not None:
        r.requests_per_min = r.requests_per_s * 60.0
    if r.requests_per_s is None and r.requests_per_min is not None:
        r.requests_per_s = r.requests_per_min / 60.0
    if tokens_in is not None and tokens_out is not None and tokens_in + tokens_out > 0:
        per_token = 1000.0 / (tokens_in + tokens_out)
        if r.latency_per_token_ms_p50 is None and r.latency_s_p50 is not None:
            r.latency_per_token_ms_p50 = r.latency_s_p50 * per_token
        if r.latency_per_token_ms_p99 is None and r.latency_s_p99 is not None:
            r.latency_per_token_ms_p99 = r.latency_s_p99 * per_token
    return r


# A per-token or first-token time may exceed the request's whole latency by rounding only;
# a value in the wrong unit (seconds in a _ms field, or the reverse) is off by 1000.
_ROUNDING = 1.1
# A request's latency is about TTFT + TPOT x (output tokens - 1); medians and a mean output
# length make that rough, but not ten times off.
_DECOMPOSITION = 10.0


def check(record: Record, where: str = "") -> None:
    """Refuse numbers that cannot be right (BadValue): negative or non-finite values, an
    error rate above 1, and times that contradict each other by a unit's factor; and text
    with a NUL character (a JSON ``\\u0000``, a YAML ``\\0``)."""
    try:
        _check(record)
    except BadValue as exc:
        raise exc.within(where) if where else exc from None


def _check_against_duration(r: Record) -> None:
    """A median request, or its first token, cannot take longer than the whole run."""
    if not r.duration_s:
        return
    limit_s = r.duration_s * _ROUNDING
    for name, factor in (
        ("ttft_ms_p50", 1000.0),
        ("ttft_ms_mean", 1000.0),
        ("latency_s_p50", 1.0),
        ("latency_s_mean", 1.0),
    ):
        value = getattr(r, name)
        if value is not None and value / factor > limit_s:
            raise BadValue(
                name,
                value,
                f"longer than the whole run (duration_s is {r.duration_s:g} s): "
                "is one of them in the wrong unit?",
            )


def _check(record: Record) -> None:
    for item in dataclasses.fields(record):
        value = getattr(record, item.name)
        if isinstance(value, str) and NUL in value:
            raise BadValue(
                item.name, value, "a NUL character, which no tool writes: a corrupted file?"
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if not math.isfinite(value):
            raise BadValue(item.name, value, "not a finite number")
        if value < 0:
            raise BadValue(item.name, value, "negative; a time, rate or count cannot be")
    r = record
    if r.error_rate is not None and r.error_rate > 1:
        raise BadValue("error_rate", r.error_rate, "above 1 (a fraction of the requests)")
    _check_against_duration(r)
    for q in ("p50", "p99"):
        latency_s = getattr(r, f"latency_s_{q}")
        if latency_s is None:
            continue
        # Every request's first token comes before its end, so the quantiles keep that order;
        # token gaps are pooled over tokens, not requests, so only their medians are compared.
        for name in ("ttft_ms",) if q == "p99" else ("ttft_ms", "tpot_ms", "itl_ms"):
            value = getattr(r, f"{name}_{q}")
            if value is not None and value > latency_s * 1000.0 * _ROUNDING:
                raise BadValue(
                    f"{name}_{q}",
                    value,
                    f"longer than the whole request (latency_s_{q} is {latency_s:g} s): "
                    "is one of them in the wrong unit?",
                )
    if (
        r.latency_s_p50 is not None
        and r.ttft_ms_p50 is not None
        and r.tpot_ms_p50 is not None
        and r.output_tokens_mean is not None
    ):
        expected_ms = r.ttft_ms_p50 + r.tpot_ms_p50 * max(r.output_tokens_mean - 1.0, 0.0)
        if expected_ms > 0 and r.latency_s_p50 * 1000.0 > expected_ms * _DECOMPOSITION:
            raise BadValue(
                "latency_s_p50",
                r.latency_s_p50,
                f"{r.latency_s_p50 * 1000.0 / expected_ms:.0f} times the time to the first "
                f"token plus the decode of the mean output ({expected_ms:g} ms): is it, or "
                "ttft_ms_p50 or tpot_ms_p50, in the wrong unit?",
            )
