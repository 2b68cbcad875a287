"""guidellm JSON and YAML reports (``benchmarks.json``, ``benchmarks.yaml``), every version.

- 0.1.x: raw per-request samples, read by :mod:`.guidellm_v01`.
- 0.2/0.3: ``args.strategy``, ``worker.backend_model``, metrics at ``metrics.<m>.successful``;
  ``p50`` exists from 0.3 (``median`` before); ``request_loader.data`` is the data argument.
- 0.4 and later: ``config.strategy``, ``config.backend``; ``time_per_output_token_ms``
  includes TTFT, so the decode-only figure comes from ``inter_token_latency_ms``. 0.5 adds
  ``metadata``; 0.8 (``metadata.version`` 2) writes a top-level ``config`` instead of ``args``.

Only ``synchronous`` (1) and ``concurrent`` (``streams``) runs have a concurrency; the
``max_concurrency`` of a rate-paced strategy is a limit. YAML reports have the same content.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import (
    Document,
    Format,
    dig,
    json_object,
    mapping,
    quantile_fields,
    records_from,
)
from sphinx_dftable.collect.formats import guidellm_v01 as v01
from sphinx_dftable.collect.formats.pacing import fixed_concurrency, mode_text
from sphinx_dftable.collect.formats.synthetic_data import configured_lengths
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import ABSENT, BadValue, count, measurement, to_text

# The metrics a record is read from. guidellm writes each of them for every benchmark, so
# one that is missing means a cut or edited file (a YAML report cut at a line end is valid
# YAML), which is refused rather than read as a run that measured less.
_READ_METRICS = (
    "prompt_token_count",
    "output_token_count",
    "time_to_first_token_ms",
    "inter_token_latency_ms",
    "time_per_output_token_ms",
    "request_latency",
    "output_tokens_per_second",
    "tokens_per_second",
    "requests_per_second",
)


def _benchmarks(doc: Document) -> list[dict[str, Any]]:
    items = dig(json_object(doc), "benchmarks")
    return [b for b in items if isinstance(b, dict)] if isinstance(items, list) else []


def shape(doc: Document) -> str | None:
    """``0.1``, ``0.2`` (0.2 and 0.3) or ``0.4`` (0.4 and later); None if not guidellm."""
    benchmarks = _benchmarks(doc)
    if not benchmarks:
        return None
    first = benchmarks[0]
    if isinstance(first.get("benchmarks"), list):
        return "0.1"
    if not isinstance(first.get("metrics"), dict):
        return None
    if "strategy" in mapping(first.get("config")):
        return "0.4"
    if "strategy" in mapping(first.get("args")):
        return "0.2"
    return None


def matches(doc: Document) -> bool:
    return shape(doc) is not None


def _complete_metrics(bench: dict[str, Any]) -> dict[str, Any]:
    metrics = mapping(bench.get("metrics"))
    for name in _READ_METRICS:
        block = dig(metrics, name, "successful")
        if not isinstance(block, dict):
            raise BadValue(f"metrics.{name}", ABSENT, "is missing: a truncated or edited file?")
        for key in ("mean", "median", "percentiles"):
            if key not in block:
                raise BadValue(
                    f"metrics.{name}.successful.{key}",
                    ABSENT,
                    "is missing: a truncated or edited file?",
                )
    return metrics


def _stat(metrics: dict[str, Any], name: str, which: str) -> float | None:
    block = mapping(dig(metrics, name, "successful"))
    field = f"metrics.{name}.successful"
    if which == "mean":
        return measurement(block.get("mean"), f"{field}.mean")
    percentiles = mapping(block.get("percentiles"))
    if which == "p50" and "p50" not in percentiles:
        # p50 is written from 0.3 on; 0.2 has only the median.
        return measurement(block.get("median"), f"{field}.median")
    if which not in percentiles:
        raise BadValue(f"{field}.percentiles.{which}", ABSENT, "is missing: a truncated file?")
    return measurement(percentiles.get(which), f"{field}.percentiles.{which}")


def _counts(bench: dict[str, Any]) -> tuple[int, int]:
    """(successful, errored) requests of one benchmark."""
    totals = mapping(bench.get("request_totals"))
    field = "request_totals"
    if not totals:
        totals = mapping(dig(bench, "metrics", "request_totals"))
        field = "metrics.request_totals"
    if totals:
        return (
            count(totals.get("successful"), f"{field}.successful") or 0,
            count(totals.get("errored"), f"{field}.errored") or 0,
        )
    latency = dig(bench, "metrics", "request_latency")
    field = "metrics.request_latency"
    if not isinstance(latency, dict):
        # Every guidellm benchmark counts its requests: this one was cut off.
        raise BadValue("metrics", ABSENT, "is missing: a truncated or edited file?")
    return (
        count(dig(latency, "successful", "count"), f"{field}.successful.count") or 0,
        count(dig(latency, "errored", "count"), f"{field}.errored.count") or 0,
    )


def _first_text(*candidates: object) -> str | None:
    for candidate in candidates:
        if to_text(candidate) is not None:
            return to_text(candidate)
    return None


def _model(top: dict[str, Any], bench: dict[str, Any]) -> str | None:
    return _first_text(
        dig(bench, "worker", "backend_model"),
        dig(bench, "config", "backend", "model"),
        dig(top, "args", "model"),
        dig(top, "config", "model"),
        dig(top, "config", "backend", "model"),
    )


def _data_argument(top: dict[str, Any], bench: dict[str, Any]) -> tuple[object, str]:
    """The ``--data`` argument the run was given, and where the file keeps it."""
    for value, field in (
        (dig(bench, "request_loader", "data"), "request_loader.data"),
        (dig(bench, "config", "requests", "data"), "config.requests.data"),
        (dig(top, "args", "data"), "args.data"),
        (dig(top, "config", "data"), "config.data"),
    ):
        if value is not None:
            return value, field
    return None, "data"


def _aggregated(
    doc: Document, top: dict[str, Any], bench: dict[str, Any], version: str
) -> Record | None:
    successful, errored = _counts(bench)
    if successful == 0:
        return None
    metrics = _complete_metrics(bench)
    strategy = mapping(dig(bench, "config" if version == "0.4" else "args", "strategy"))
    kind = str(strategy.get("type_") or "")
    rate = measurement(strategy.get("rate"), "strategy.rate")
    streams = count(strategy.get("streams"), "strategy.streams")
    # From 0.4 on time_per_output_token_ms includes TTFT; inter-token latency does not.
    decode_metric = "inter_token_latency_ms" if version == "0.4" else "time_per_output_token_ms"
    if version == "0.2" and "p50" in mapping(
        dig(metrics, "request_latency", "successful", "percentiles")
    ):
        version = "0.3"  # same shape as 0.2, plus p50
    input_length, output_length = configured_lengths(*_data_argument(top, bench))
    return Record(
        source=doc.source,
        format=f"guidellm-{version}",
        tool="guidellm",
        model=_model(top, bench),
        mode=mode_text(kind, rate),
        concurrency=fixed_concurrency(kind, streams),
        input_length=input_length,
        output_length=output_length,
        input_tokens_mean=_stat(metrics, "prompt_token_count", "mean"),
        output_tokens_mean=_stat(metrics, "output_token_count", "mean"),
        **quantile_fields(
            partial(_stat, metrics),
            {
                "ttft_ms": "time_to_first_token_ms",
                "itl_ms": "inter_token_latency_ms",
                "tpot_ms": decode_metric,
            },
        ),
        latency_s_mean=_stat(metrics, "request_latency", "mean"),
        **quantile_fields(partial(_stat, metrics), {"latency_s": "request_latency"}),
        output_tokens_per_s=_stat(metrics, "output_tokens_per_second", "mean"),
        total_tokens_per_s=_stat(metrics, "tokens_per_second", "mean"),
        requests_per_s=_stat(metrics, "requests_per_second", "mean"),
        errors=errored,
        error_rate=errored / (successful + errored),
        duration_s=measurement(bench.get("duration"), "duration"),
    )


def parse(doc: Document) -> list[Record]:
    version = shape(doc)
    if version is None:
        raise CollectError("not a guidellm report: no benchmarks with metrics", doc.path)
    top = json_object(doc) or {}
    for number, bench in enumerate(top["benchmarks"]):
        if not isinstance(bench, dict):
            raise CollectError(f"benchmarks[{number}] is not an object: {bench!r:.60}", doc.path)
    if version == "0.1":
        parsed = v01.parse_reports(doc, _benchmarks(doc))
        records = [record for record in parsed if record is not None]
        if not records:
            raise CollectError(
                f"no successful requests in any of its {len(parsed)} benchmark(s)", doc.path
            )
        return records
    benchmarks = _benchmarks(doc)
    return records_from(
        ((f"benchmarks[{number}]", bench) for number, bench in enumerate(benchmarks)),
        lambda bench: _aggregated(doc, top, bench, version),
        doc.path,
        f"no successful requests in any of its {len(benchmarks)} benchmark(s)",
    )


FORMAT = Format(
    "guidellm", "guidellm report, JSON or YAML (0.1.x, 0.2/0.3, 0.4 to 0.8)", matches, parse
)
