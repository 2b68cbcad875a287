"""optimum-neuron's serving benchmark summaries: ``vllm-results.csv`` and ``tgi-results.csv``.

- The current layout, written from guidellm 0.1 reports, one row per guidellm mode:
  ``model_id, Date, Input type, Requests per Second, Request Latency (s),
  Time-to-first-token (ms), Inter Token Latency (ms), Output Token Throughput (t/s)``.
  ``Input type`` is ``synchronous``, ``throughput`` or ``asynchronous@0.11 req/sec`` (the
  rate inside the text); the TTFT and ITL columns are means, not medians.
- The 2024 layout, written from llmperf summaries, one row per concurrency:
  ``model_id, concurrent requests, throughput (t/s), Time-to-first-token @ P50 (s),
  average latency (ms)``: the TTFT in seconds, and "average latency" is llmperf's median
  inter-token latency in ms (the script that writes it says so).
"""

from __future__ import annotations

import re

from sphinx_dftable.collect.formats import Document, Format, records_from
from sphinx_dftable.collect.formats.pacing import fixed_concurrency, mode_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import BadValue, count, measurement, to_text

_CURRENT = frozenset({"model_id", "Input type", "Request Latency (s)", "Time-to-first-token (ms)"})
_LEGACY = frozenset({"model_id", "concurrent requests", "Time-to-first-token @ P50 (s)"})
_INPUT_TYPE = re.compile(r"^(?P<kind>[a-z]+)(?:@(?P<rate>\S+)\s*req/sec)?$")


def matches(doc: Document) -> bool:
    header = set(doc.csv_header or ())
    return header >= _CURRENT or header >= _LEGACY


def _number(row: dict[str, str], column: str, factor: float = 1.0) -> float | None:
    return measurement(row.get(column), column, factor)


def _current(doc: Document, row: dict[str, str]) -> Record | None:
    text = (row.get("Input type") or "").strip()
    match = _INPUT_TYPE.match(text)
    if match is None:
        raise BadValue(
            "Input type", text, "not a guidellm mode (synchronous, asynchronous@R req/sec)"
        )
    kind = match["kind"]
    rate = None if match["rate"] is None else measurement(match["rate"], "Input type rate")
    throughput = _number(row, "Output Token Throughput (t/s)")
    if not throughput and not _number(row, "Requests per Second"):
        return None  # a mode in which nothing was answered
    return Record(
        source=doc.source,
        format="optimum-neuron-summary",
        tool="guidellm",
        model=to_text(row.get("model_id")),
        mode=mode_text(kind, rate),
        concurrency=fixed_concurrency(kind, None),
        ttft_ms_mean=_number(row, "Time-to-first-token (ms)"),
        itl_ms_mean=_number(row, "Inter Token Latency (ms)"),
        latency_s_mean=_number(row, "Request Latency (s)"),
        output_tokens_per_s=throughput,
        requests_per_s=_number(row, "Requests per Second"),
    )


def _legacy(doc: Document, row: dict[str, str]) -> Record | None:
    throughput = _number(row, "throughput (t/s)")
    if not throughput:
        return None
    return Record(
        source=doc.source,
        format="optimum-neuron-summary-2024",
        tool="llmperf",
        model=to_text(row.get("model_id")),
        mode="concurrent",
        concurrency=count(row.get("concurrent requests"), "concurrent requests"),
        ttft_ms_p50=_number(row, "Time-to-first-token @ P50 (s)", 1000.0),
        itl_ms_p50=_number(row, "average latency (ms)"),
        output_tokens_per_s=throughput,
    )


def parse(doc: Document) -> list[Record]:
    assert doc.csv_rows is not None
    make = _current if set(doc.csv_header or ()) >= _CURRENT else _legacy
    return records_from(
        ((f"data row {n}", row) for n, row in enumerate(doc.csv_rows, start=1)),
        lambda row: make(doc, row),
        doc.path,
        f"no successful requests: no throughput in any of its {len(doc.csv_rows)} row(s)",
    )


FORMAT = Format(
    "optimum-neuron-summary",
    "optimum-neuron vllm-results.csv / tgi-results.csv (current and 2024)",
    matches,
    parse,
)
