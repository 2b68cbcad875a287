"""llmperf ``token_benchmark_ray.py``: ``*_summary.json`` and ``*_individual_responses.json``.

Quirks: its inter-token latency includes the first token (about e2e / output tokens), so
the decode-only figure (``tpot_ms``) comes from the individual responses when they sit
next to the summary; ``num_concurrent_requests`` is client concurrency, not batch size;
token-count min/max are strings; ``results_error_code_frequency`` is a Python repr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError, read_bytes
from sphinx_dftable.collect.formats import Document, Format, decode_text, json_object, load_json
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import (
    ABSENT,
    BadValue,
    count,
    measurement,
    percentile,
    to_text,
)

SUMMARY_SUFFIX = "_summary.json"
RESPONSES_SUFFIX = "_individual_responses.json"
_SUMMARY_KEYS = frozenset({"num_concurrent_requests", "results_num_completed_requests"})
_RESPONSE_KEYS = frozenset({"ttft_s", "end_to_end_latency_s", "number_output_tokens"})


def responses_path(summary: Path) -> Path | None:
    """The individual-responses file llmperf writes beside a summary, by its naming rule."""
    if not summary.name.endswith(SUMMARY_SUFFIX):
        return None
    return summary.with_name(summary.name[: -len(SUMMARY_SUFFIX)] + RESPONSES_SUFFIX)


def summary_path(responses: Path) -> Path | None:
    if not responses.name.endswith(RESPONSES_SUFFIX):
        return None
    return responses.with_name(responses.name[: -len(RESPONSES_SUFFIX)] + SUMMARY_SUFFIX)


def matches(doc: Document) -> bool:
    data = json_object(doc)
    return data is not None and data.keys() >= _SUMMARY_KEYS


def matches_responses(doc: Document) -> bool:
    data = doc.json
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and data[0].keys() >= _RESPONSE_KEYS
    )


def _quantile(data: dict[str, Any], metric: str, q: str, factor: float = 1.0) -> float | None:
    field = f"results_{metric}_quantiles_{q}"
    return measurement(data.get(field), field, factor)


def _decode_stats(responses: list[Any]) -> dict[str, float | None]:
    """Per successful request: decode-only ms per token and e2e ms per (input+output) token."""
    decode, per_token = [], []
    for number, response in enumerate(responses):
        if not isinstance(response, dict):
            raise BadValue(f"[{number}]", response, "not a response object")
        if to_text(response.get("error_code")) is not None:
            continue
        missing = sorted(_RESPONSE_KEYS - response.keys())
        if missing:
            raise BadValue(missing[0], ABSENT, "is missing", f"response {number}")
        try:
            e2e = measurement(response.get("end_to_end_latency_s"), "end_to_end_latency_s")
            ttft = measurement(response.get("ttft_s"), "ttft_s")
            tokens_out = measurement(response.get("number_output_tokens"), "number_output_tokens")
            tokens_in = measurement(response.get("number_input_tokens"), "number_input_tokens")
        except BadValue as exc:
            raise exc.within(f"response {number}") from None
        if e2e is None or ttft is None or not tokens_out:
            continue
        if tokens_out > 1:
            decode.append((e2e - ttft) * 1000.0 / (tokens_out - 1))
        if tokens_in is not None:
            per_token.append(e2e * 1000.0 / (tokens_in + tokens_out))
    return {
        "tpot_ms_p50": percentile(decode, 50),
        "tpot_ms_p99": percentile(decode, 99),
        "latency_per_token_ms_p50": percentile(per_token, 50),
        "latency_per_token_ms_p99": percentile(per_token, 99),
    }


def _read_responses(path: Path) -> list[Any]:
    raw = read_bytes(path, "llmperf individual responses")
    data = load_json(decode_text(raw, path), path)
    if not isinstance(data, list):
        raise CollectError("llmperf individual responses should be a JSON list", path)
    if not data:
        raise CollectError("llmperf individual responses: the list is empty", path)
    return data


def _response_stats(path: Path) -> dict[str, float | None]:
    try:
        return _decode_stats(_read_responses(path))
    except BadValue as exc:
        raise CollectError(f"llmperf individual responses: {exc}", path) from exc


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None

    def number(field: str) -> float | None:
        return measurement(data.get(field), field)

    completed = count(data.get("results_num_completed_requests"), "results_num_completed_requests")
    if not completed:
        raise CollectError(
            "no successful requests: results_num_completed_requests is "
            f"{data.get('results_num_completed_requests')!r}",
            doc.path,
        )
    record = Record(
        source=doc.source,
        format="llmperf",
        tool="llmperf",
        model=to_text(data.get("model")),
        concurrency=count(data.get("num_concurrent_requests"), "num_concurrent_requests"),
        mode="concurrent",
        input_tokens_mean=number("results_number_input_tokens_mean") or number("mean_input_tokens"),
        output_tokens_mean=number("results_number_output_tokens_mean")
        or number("mean_output_tokens"),
        ttft_ms_p50=_quantile(data, "ttft_s", "p50", 1000.0),
        ttft_ms_p99=_quantile(data, "ttft_s", "p99", 1000.0),
        itl_ms_p50=_quantile(data, "inter_token_latency_s", "p50", 1000.0),
        itl_ms_p99=_quantile(data, "inter_token_latency_s", "p99", 1000.0),
        latency_s_mean=number("results_end_to_end_latency_s_mean"),
        latency_s_p50=_quantile(data, "end_to_end_latency_s", "p50"),
        latency_s_p99=_quantile(data, "end_to_end_latency_s", "p99"),
        output_tokens_per_s=number("results_mean_output_throughput_token_per_s"),
        requests_per_min=number("results_num_completed_requests_per_min"),
        error_rate=number("results_error_rate"),
        errors=count(data.get("results_number_errors"), "results_number_errors"),
    )
    sibling = responses_path(doc.path)
    if sibling is not None and sibling.is_file():
        for name, value in _response_stats(sibling).items():
            setattr(record, name, value)
    return [record]


def parse_responses(doc: Document) -> list[Record]:
    # Read only through its summary: alone it lacks the model and the run's settings.
    raise CollectError(
        f"llmperf individual responses are read with their summary; pass the matching "
        f"*{SUMMARY_SUFFIX} file",
        doc.path,
    )


FORMAT = Format("llmperf", "llmperf token_benchmark_ray.py *_summary.json", matches, parse)
RESPONSES_FORMAT = Format(
    "llmperf-responses",
    "llmperf *_individual_responses.json (read beside its summary)",
    matches_responses,
    parse_responses,
)
