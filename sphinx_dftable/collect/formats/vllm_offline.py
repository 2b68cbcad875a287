"""vLLM's offline benchmarks: ``vllm bench latency`` and ``vllm bench throughput`` JSON.

- latency: ``{avg_latency, latencies: [...], percentiles: {"10", "25", "50", "75", "90",
  "99"}}``, seconds per batch, percentile keys are strings;
- throughput: ``{elapsed_time, num_requests, total_num_tokens, requests_per_second,
  tokens_per_second}``; its tokens per second count prompt and output tokens.

Neither records the model or the batch: ``--set`` them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object, mapping
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement


def _figures(
    data: Mapping[str, object], keys: Mapping[str, str], where: str = ""
) -> dict[str, Any]:
    """``{record field: the measurement at data[key]}`` for each ``{field: key}``, in order."""
    # Any, not float | None: mypy would check the values against every field of Record.
    return {field: measurement(data.get(key), f"{where}{key}") for field, key in keys.items()}


def _record(doc: Document, benchmark: str, figures: dict[str, Any]) -> list[Record]:
    """The one record of a ``vllm bench BENCHMARK`` file: it measures only ``figures``."""
    return [
        Record(
            source=doc.source,
            format=f"vllm-{benchmark}",
            tool=f"vllm bench {benchmark}",
            **figures,
        )
    ]


def matches_latency(doc: Document) -> bool:
    data = json_object(doc)
    return (
        data is not None
        and "avg_latency" in data
        and isinstance(data.get("percentiles"), dict)
        and "latencies" in data
    )


def parse_latency(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    latencies = data.get("latencies")
    if not isinstance(latencies, list) or not latencies:
        raise CollectError("no measurement: the latencies list is empty", doc.path)
    percentiles = mapping(data.get("percentiles"))
    return _record(
        doc,
        "latency",
        _figures(data, {"latency_s_mean": "avg_latency"})
        | _figures(percentiles, {"latency_s_p50": "50", "latency_s_p99": "99"}, "percentiles."),
    )


def matches_throughput(doc: Document) -> bool:
    data = json_object(doc)
    return data is not None and data.keys() >= {
        "elapsed_time",
        "requests_per_second",
        "tokens_per_second",
    }


def parse_throughput(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    requests = count(data.get("num_requests"), "num_requests")
    if not requests:
        raise CollectError(
            f"no successful requests: num_requests is {data.get('num_requests')!r}", doc.path
        )
    return _record(
        doc,
        "throughput",
        _figures(
            data,
            {
                "total_tokens_per_s": "tokens_per_second",
                "requests_per_s": "requests_per_second",
                "duration_s": "elapsed_time",
            },
        ),
    )


LATENCY_FORMAT = Format(
    "vllm-latency", "vllm bench latency --output-json", matches_latency, parse_latency
)
THROUGHPUT_FORMAT = Format(
    "vllm-throughput", "vllm bench throughput --output-json", matches_throughput, parse_throughput
)
