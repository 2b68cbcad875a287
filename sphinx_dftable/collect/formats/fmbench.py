"""FMBench summaries: ``all_metrics_summary.csv``, ``summary_metrics_for_dataset_w_scores.csv``.

v1 (early 2024) has ``latency_mean``; 2.x adds ``instance_count``, latency percentiles and,
when streaming, ``TTFT_p50/p99`` and ``TPOT_p50/p99``. Seconds everywhere; token
throughputs are cast to int; instance types carry SageMaker's ``ml.`` prefix; the dataset
is a payload file name (``payload_en_1-500.jsonl``).
"""

from __future__ import annotations

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import scaled, to_float, to_int, to_text

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


def parse(doc: Document) -> list[Record]:
    assert doc.csv_header is not None and doc.csv_rows is not None
    version = "fmbench-2" if "instance_count" in doc.csv_header else "fmbench-1"
    records = []
    for row in doc.csv_rows:
        per_minute = to_float(row.get("transactions_per_minute"))
        error_rate = to_float(row.get("error_rate"))
        if not per_minute or error_rate == 1.0:
            continue  # every request of this concurrency level failed
        prompt_tps = to_float(row.get("prompt_token_throughput"))
        completion_tps = to_float(row.get("completion_token_throughput"))
        records.append(
            Record(
                source=doc.source,
                format=version,
                tool="fmbench",
                model=to_text(row.get("experiment_name")),
                instance_type=to_text(row.get("instance_type")),
                dataset=dataset_name(row.get("payload_file")),
                concurrency=to_int(row.get("concurrency")),
                mode="concurrent",
                input_tokens_mean=to_float(row.get("prompt_token_count_mean")),
                output_tokens_mean=to_float(row.get("completion_token_count_mean")),
                ttft_ms_p50=scaled(row.get("TTFT_p50"), 1000.0),
                ttft_ms_p99=scaled(row.get("TTFT_p99"), 1000.0),
                tpot_ms_p50=scaled(row.get("TPOT_p50"), 1000.0),
                tpot_ms_p99=scaled(row.get("TPOT_p99"), 1000.0),
                latency_s_mean=to_float(row.get("latency_mean")),
                latency_s_p50=to_float(row.get("latency_p50")),
                latency_s_p99=to_float(row.get("latency_p99")),
                output_tokens_per_s=completion_tps,
                total_tokens_per_s=None
                if prompt_tps is None or completion_tps is None
                else prompt_tps + completion_tps,
                requests_per_min=per_minute,
                error_rate=error_rate,
            )
        )
    if not records:
        raise CollectError(
            f"no successful requests: transactions_per_minute is 0 in all "
            f"{len(doc.csv_rows)} row(s)",
            doc.path,
        )
    return records


FORMAT = Format("fmbench", "FMBench summary CSV (v1 and 2.x)", matches, parse)
