"""guidellm 0.1.x reports (``--output-path``, what the Neuron TGI and vLLM guides use).

Nothing is aggregated in the file: every metric is computed from the per-request samples,
which are all in seconds. ``args.data`` (``prompt_tokens=1500,generated_tokens=250``) holds
the configured lengths.
"""

from __future__ import annotations

from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, mapping
from sphinx_dftable.collect.formats.pacing import fixed_concurrency, mode_text
from sphinx_dftable.collect.formats.synthetic_data import configured_lengths
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import BadValue, mean, measurement, percentile, to_text


def _sample(result: dict[str, Any], number: int, field: str) -> float | None:
    return measurement(result.get(field), f"results[{number}].{field}")


def _run_record(doc: Document, args: dict[str, Any], run: dict[str, Any]) -> Record | None:
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
        samples = mapping(result.get("decode_times")).get("data") or []
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
    input_length, output_length = configured_lengths(args.get("data"), "args.data")
    return Record(
        source=doc.source,
        format="guidellm-0.1",
        tool="guidellm",
        model=to_text(args.get("model")),
        mode=mode_text(kind, measurement(run.get("rate"), "rate")),
        concurrency=fixed_concurrency(kind, None),
        input_length=input_length,
        output_length=output_length,
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
        duration_s=span if span > 0 else None,
    )


def parse_reports(doc: Document, reports: list[dict[str, Any]]) -> list[Record | None]:
    """One record per benchmark mode of each report; None for a mode without a result."""
    records = []
    for number, report in enumerate(reports):
        for position, run in enumerate(report.get("benchmarks") or []):
            where = f"benchmarks[{number}].benchmarks[{position}]"
            if not isinstance(run, dict):
                raise CollectError(f"{where} is not a benchmark object: {run!r:.60}", doc.path)
            try:
                records.append(_run_record(doc, mapping(report.get("args")), run))
            except BadValue as exc:
                raise exc.within(where) from None
    return records
