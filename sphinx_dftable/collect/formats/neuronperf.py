"""NeuronPerf reports (``write_csv`` / ``write_json``): encoder and vision runs.

Latency is per model call (one batch), throughput is already multiplied by the batch size,
and missing values are the string ``N/A``. A default sweep writes one report per
(n_models, workers_per_model) pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, records_from
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_REQUIRED = frozenset({"model_name", "batch_size", "throughput_avg", "latency_ms_p50"})


def _reports(doc: Document) -> list[dict[str, Any]]:
    if doc.csv_rows is not None:
        return list(doc.csv_rows)
    if isinstance(doc.json, list) and all(isinstance(item, dict) for item in doc.json):
        return list(doc.json)
    if isinstance(doc.json, dict):
        return [doc.json]
    return []


def matches(doc: Document) -> bool:
    reports = _reports(doc)
    return bool(reports) and reports[0].keys() >= _REQUIRED


def _record(doc: Document, report: dict[str, Any]) -> Record | None:
    throughput = measurement(report["throughput_avg"], "throughput_avg")
    if not throughput or count(report.get("total_infs"), "total_infs") == 0:
        return None  # a report without a single inference measures nothing
    pipeline = count(report.get("pipeline_size"), "pipeline_size")
    n_models = count(report.get("n_models"), "n_models")
    workers = count(report.get("workers_per_model"), "workers_per_model")
    return Record(
        source=doc.source,
        format="neuronperf",
        tool="neuronperf",
        model=to_text(report["model_name"]),
        instance_type=to_text(report.get("instance_type")),
        batch_size=count(report["batch_size"], "batch_size"),
        inferences_per_s=throughput,
        latency_ms_p50=measurement(report["latency_ms_p50"], "latency_ms_p50"),
        latency_ms_p99=measurement(report.get("latency_ms_p99"), "latency_ms_p99"),
        run_mode="Data Parallel" if pipeline == 1 else None,
        mode=None
        if n_models is None or workers is None
        else f"n_models={n_models}, workers={workers}",
    )


def parse(doc: Document) -> list[Record]:
    def reports() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, report in enumerate(_reports(doc), start=1):
            missing = sorted(_REQUIRED - report.keys())
            if missing:
                raise CollectError(
                    f"NeuronPerf report {number} lacks {', '.join(missing)}", doc.path
                )
            yield f"report {number}", report

    return records_from(
        reports(),
        lambda report: _record(doc, report),
        doc.path,
        "no successful inferences: throughput_avg is 0 or N/A in every report",
    )


FORMAT = Format("neuronperf", "NeuronPerf report (CSV or JSON)", matches, parse)
