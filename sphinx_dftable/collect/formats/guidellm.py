"""guidellm reports, three shapes.

- 0.1.x (``--output-path``): raw per-request samples, nothing aggregated; all seconds.
- 0.2/0.3 ``benchmarks.json``: ``args.strategy``, ``worker.backend_model``, metrics at
  ``metrics.<m>.successful``; ``p50`` exists from 0.3 (``median`` before).
- 0.4+: ``config.strategy``, ``config.backend``; ``time_per_output_token_ms`` now includes
  TTFT, so the decode-only figure comes from ``inter_token_latency_ms`` instead.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object, quantile_fields
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import (
    BadValue,
    count,
    mean,
    measurement,
    percentile,
    request_rate_text,
    to_text,
)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _benchmarks(doc: Document) -> list[dict[str, Any]]:
    data = json_object(doc)
    items = data.get("benchmarks") if data is not None else None
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
    if "strategy" in _dict(first.get("config")):
        return "0.4"
    if "strategy" in _dict(first.get("args")):
        return "0.2"
    return None


def matches(doc: Document) -> bool:
    return shape(doc) is not None


def _mode(kind: str, rate: object, field: str) -> str:
    if kind in {"synchronous", "throughput"}:
        return kind
    number = measurement(rate, field)
    return kind if number is None else f"{kind}@{request_rate_text(number)}"


# --- 0.1.x: compute every metric from the per-request samples --------------------------


def _sample(result: dict[str, Any], number: int, field: str) -> float | None:
    return measurement(result.get(field), f"results[{number}].{field}")


def _parse_v01_run(doc: Document, args: dict[str, Any], run: dict[str, Any]) -> Record | None:
    latencies: list[float] = []
    ttft: list[float] = []
    itl: list[float] = []
    decode: list[float] = []
    per_token: list[float] = []
    tokens_in: list[float] = []
    tokens_out: list[float] = []
    starts: list[float] = []
    ends: list[float] = []
    for number, result in enumerate(run.get("results") or []):
        if not isinstance(result, dict):
            raise BadValue(f"results[{number}]", result, "not a request result object")
        start, end = _sample(result, number, "start_time"), _sample(result, number, "end_time")
        if start is None or end is None:
            continue
        n_in = _sample(result, number, "prompt_token_count") or 0.0
        n_out = _sample(result, number, "output_token_count") or 0.0
        first = _sample(result, number, "first_token_time")  # seconds after the request started
        starts.append(start)
        ends.append(end)
        latencies.append(end - start)
        tokens_in.append(n_in)
        tokens_out.append(n_out)
        if n_in + n_out > 0:
            per_token.append((end - start) * 1000.0 / (n_in + n_out))
        if first is not None:
            ttft.append(first * 1000.0)
            if n_out > 1:
                decode.append((end - start - first) * 1000.0 / (n_out - 1))
        samples = _dict(result.get("decode_times")).get("data") or []
        field = f"results[{number}].decode_times.data"
        itl.extend(d * 1000.0 for d in (measurement(v, field) for v in samples) if d is not None)
    if not latencies:
        return None
    span = max(ends) - min(starts)
    errors = len(run.get("errors") or [])
    kind = str(run.get("mode") or "")
    if kind == "asynchronous":
        # 0.1 names every rate-driven run "asynchronous"; the report's mode says how it was paced.
        kind = str(args.get("mode")) if args.get("mode") in {"constant", "poisson"} else "constant"
    return Record(
        source=doc.source,
        format="guidellm-0.1",
        tool="guidellm",
        model=to_text(args.get("model")),
        mode=_mode(kind, run.get("rate"), "rate"),
        concurrency=1 if kind == "synchronous" else None,
        input_tokens_mean=mean(tokens_in),
        output_tokens_mean=mean(tokens_out),
        ttft_ms_p50=percentile(ttft, 50),
        ttft_ms_p99=percentile(ttft, 99),
        itl_ms_p50=percentile(itl, 50),
        itl_ms_p99=percentile(itl, 99),
        tpot_ms_p50=percentile(decode, 50),
        tpot_ms_p99=percentile(decode, 99),
        latency_s_mean=mean(latencies),
        latency_s_p50=percentile(latencies, 50),
        latency_s_p99=percentile(latencies, 99),
        output_tokens_per_s=sum(tokens_out) / span if span > 0 else None,
        total_tokens_per_s=(sum(tokens_out) + sum(tokens_in)) / span if span > 0 else None,
        requests_per_s=len(latencies) / span if span > 0 else None,
        errors=errors,
        error_rate=errors / (errors + len(latencies)),
        latency_per_token_ms_p50=percentile(per_token, 50),
        latency_per_token_ms_p99=percentile(per_token, 99),
    )


def _parse_v01(doc: Document) -> list[Record | None]:
    records = []
    for number, report in enumerate(_benchmarks(doc)):
        for position, run in enumerate(report.get("benchmarks") or []):
            where = f"benchmarks[{number}].benchmarks[{position}]"
            if not isinstance(run, dict):
                raise CollectError(f"{where} is not a benchmark object: {run!r:.60}", doc.path)
            try:
                records.append(_parse_v01_run(doc, _dict(report.get("args")), run))
            except BadValue as exc:
                raise exc.within(where) from None
    return records


# --- 0.2 and later: aggregated metrics -------------------------------------------------


def _stat(metrics: dict[str, Any], name: str, which: str) -> float | None:
    block = _dict(_dict(metrics.get(name)).get("successful"))
    field = f"metrics.{name}.successful"
    if which == "mean":
        return measurement(block.get("mean"), f"{field}.mean")
    percentiles = _dict(block.get("percentiles"))
    if which == "p50" and "p50" not in percentiles:
        # p50 is written from 0.3 on; 0.2 has only the median.
        return measurement(block.get("median"), f"{field}.median")
    return measurement(percentiles.get(which), f"{field}.percentiles.{which}")


def _counts(bench: dict[str, Any]) -> tuple[int, int]:
    """(successful, errored) requests of one benchmark."""
    totals = _dict(bench.get("request_totals"))
    field = "request_totals"
    if not totals:
        totals = _dict(_dict(bench.get("metrics")).get("request_totals"))
        field = "metrics.request_totals"
    if totals:
        return (
            count(totals.get("successful"), f"{field}.successful") or 0,
            count(totals.get("errored"), f"{field}.errored") or 0,
        )
    latency = _dict(_dict(bench.get("metrics")).get("request_latency"))
    field = "metrics.request_latency"
    return (
        count(_dict(latency.get("successful")).get("count"), f"{field}.successful.count") or 0,
        count(_dict(latency.get("errored")).get("count"), f"{field}.errored.count") or 0,
    )


def _model(doc: Document, bench: dict[str, Any]) -> str | None:
    top = json_object(doc) or {}
    for candidate in (
        _dict(bench.get("worker")).get("backend_model"),
        _dict(_dict(bench.get("config")).get("backend")).get("model"),
        _dict(top.get("args")).get("model"),
        _dict(top.get("config")).get("model"),
    ):
        if to_text(candidate) is not None:
            return to_text(candidate)
    return None


def _parse_aggregated(doc: Document, bench: dict[str, Any], version: str) -> Record | None:
    metrics = _dict(bench.get("metrics"))
    successful, errored = _counts(bench)
    if successful == 0:
        return None
    settings = _dict(bench.get("config" if version == "0.4" else "args"))
    strategy = _dict(settings.get("strategy"))
    kind = str(strategy.get("type_") or "")
    concurrency: int | None = None
    if kind == "synchronous":
        concurrency = 1
    elif kind == "concurrent":
        concurrency = count(strategy.get("streams"), "strategy.streams")
    else:
        concurrency = count(strategy.get("max_concurrency"), "strategy.max_concurrency")
    # From 0.4 on time_per_output_token_ms includes TTFT; inter-token latency does not.
    decode_metric = "inter_token_latency_ms" if version == "0.4" else "time_per_output_token_ms"
    if version == "0.2" and "p50" in _dict(
        _dict(_dict(metrics.get("request_latency")).get("successful")).get("percentiles")
    ):
        version = "0.3"  # same shape as 0.2, plus p50
    return Record(
        source=doc.source,
        format=f"guidellm-{version}",
        tool="guidellm",
        model=_model(doc, bench),
        mode=_mode(kind, strategy.get("rate"), "strategy.rate"),
        concurrency=concurrency,
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
    )


def _parse_aggregated_at(
    doc: Document, number: int, bench: dict[str, Any], version: str
) -> Record | None:
    try:
        return _parse_aggregated(doc, bench, version)
    except BadValue as exc:
        raise exc.within(f"benchmarks[{number}]") from None


def parse(doc: Document) -> list[Record]:
    version = shape(doc)
    if version is None:
        raise CollectError("not a guidellm report: no benchmarks with metrics", doc.path)
    data = json_object(doc) or {}
    for number, bench in enumerate(data["benchmarks"]):
        if not isinstance(bench, dict):
            raise CollectError(f"benchmarks[{number}] is not an object: {bench!r:.60}", doc.path)
    if version == "0.1":
        parsed = _parse_v01(doc)
    else:
        parsed = [
            _parse_aggregated_at(doc, number, bench, version)
            for number, bench in enumerate(_benchmarks(doc))
        ]
    records = [record for record in parsed if record is not None]
    if not records:
        raise CollectError(
            f"no successful requests in any of its {len(parsed)} benchmark(s)", doc.path
        )
    return records


FORMAT = Format("guidellm", "guidellm report (0.1.x, 0.2/0.3, 0.4+)", matches, parse)
