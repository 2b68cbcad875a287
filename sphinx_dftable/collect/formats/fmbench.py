"""FMBench summaries: ``all_metrics_summary.csv``, ``summary_metrics_for_dataset_w_scores.csv``.

v1 (early 2024) has ``latency_mean``; 2.x adds ``instance_count``, latency percentiles and,
when streaming, ``TTFT_p50/p99`` and ``TPOT_p50/p99``. Seconds everywhere; token
throughputs are cast to int; instance types carry SageMaker's ``ml.`` prefix; the dataset
is a payload file name (``payload_en_1-500.jsonl``).
"""

from __future__ import annotations

from sphinx_dftable.collect.formats import Document, Format, records_from
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_REQUIRED = frozenset(
    {"experiment_name", "payload_file", "instance_type", "concurrency", "transactions_per_minute"}
)


def dataset_name(payload_file: object) -> str | None:
    """``payload_en_1-500.jsonl`` -> ``en_1-500``, the name FMBench's own report uses."""
    text = to_text(payload_file)
    if text is None:
        return None
    return text.removeprefix("payload_").removesuffix(".jsonl")


def matches(doc: Document) -> bool:
    return doc.csv_header is not None and set(doc.csv_header) >= _REQUIRED


def _record(doc: Document, version: str, row: dict[str, str]) -> Record | None:
    def number(column: str, factor: float = 1.0) -> float | None:
        return measurement(row.get(column), column, factor)

    per_minute = number("transactions_per_minute")
    error_rate = number("error_rate")
    if not per_minute or error_rate == 1.0:
        return None  # every request of this concurrency level failed
    prompt_tps = number("prompt_token_throughput")
    completion_tps = number("completion_token_throughput")
    return Record(
        source=doc.source,
        format=version,
        tool="fmbench",
        model=to_text(row.get("experiment_name")),
        instance_type=to_text(row.get("instance_type")),
        dataset=dataset_name(row.get("payload_file")),
        concurrency=count(row.get("concurrency"), "concurrency"),
        mode="concurrent",
        input_tokens_mean=number("prompt_token_count_mean"),
        output_tokens_mean=number("completion_token_count_mean"),
        ttft_ms_p50=number("TTFT_p50", 1000.0),
        ttft_ms_p99=number("TTFT_p99", 1000.0),
        tpot_ms_p50=number("TPOT_p50", 1000.0),
        tpot_ms_p99=number("TPOT_p99", 1000.0),
        latency_s_mean=number("latency_mean"),
        latency_s_p50=number("latency_p50"),
        latency_s_p99=number("latency_p99"),
        output_tokens_per_s=completion_tps,
        total_tokens_per_s=None
        if prompt_tps is None or completion_tps is None
        else prompt_tps + completion_tps,
        requests_per_min=per_minute,
        error_rate=error_rate,
    )


def parse(doc: Document) -> list[Record]:
    assert doc.csv_header is not None and doc.csv_rows is not None
    version = "fmbench-2" if "instance_count" in doc.csv_header else "fmbench-1"
    return records_from(
        ((f"data row {number}", row) for number, row in enumerate(doc.csv_rows, start=1)),
        lambda row: _record(doc, version, row),
        doc.path,
        f"no successful requests: transactions_per_minute is 0 in all {len(doc.csv_rows)} row(s)",
    )


FORMAT = Format("fmbench", "FMBench summary CSV (v1 and 2.x)", matches, parse)
