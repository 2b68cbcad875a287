"""NxD Inference benchmark reports: ``benchmark_report.json`` from ``inference_demo
--benchmark`` (``benchmark_sampling``).

``e2e_model``, ``context_encoding_model``, ``token_generation_model`` and
``vision_encoder_model`` (null for text models), each ``{latency_ms_p50, _p90, _p95, _p99,
_p100, latency_ms_avg, throughput}``. Context encoding is the prefill of the whole batch (the
time to first token a user sees), token generation one decode step (the time per output
token), e2e the whole generate call, whose ``throughput`` counts every position of the
sequence, prompt included. Batch size and sequence length are not in the JSON; a file name
such as ``benchmark_report_8_fp16_tbs1_vbs1_s1024.json`` carries them (``tbs`` the text
batch size, ``s`` the sequence length).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object, mapping
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import measurement

_PARTS = ("e2e_model", "context_encoding_model", "token_generation_model")
_DTYPES = frozenset({"fp16", "bf16", "fp32", "fp8", "int8"})


def matches(doc: Document) -> bool:
    data = json_object(doc)
    return (
        data is not None
        and isinstance(data.get("e2e_model"), dict)
        and "latency_ms_p50" in data["e2e_model"]
        and any(isinstance(data.get(part), dict) for part in _PARTS[1:])
    )


def settings_from_name(path: Path) -> dict[str, Any]:
    """Batch size, sequence length and data type from the report's file name."""
    found: dict[str, Any] = {}
    for token in path.stem.split("_"):
        if match := re.fullmatch(r"(t?bs)(\d+)", token):
            found["batch_size"] = int(match[2])
        elif match := re.fullmatch(r"s(\d+)", token):
            found["sequence_length"] = int(match[1])
        elif token in _DTYPES:
            found["model_dtype"] = token
    return found


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None

    def latency(part: str, which: str, factor: float = 1.0) -> float | None:
        field = f"{part}.latency_ms_{which}"
        return measurement(mapping(data.get(part)).get(f"latency_ms_{which}"), field, factor)

    if not latency("e2e_model", "p50"):
        raise CollectError(
            "no measurement: e2e_model.latency_ms_p50 is "
            f"{mapping(data.get('e2e_model')).get('latency_ms_p50')!r}",
            doc.path,
        )
    return [
        Record(
            source=doc.source,
            format="nxdi-benchmark",
            tool="NxD Inference",
            **settings_from_name(doc.path),
            ttft_ms_p50=latency("context_encoding_model", "p50"),
            ttft_ms_p99=latency("context_encoding_model", "p99"),
            tpot_ms_p50=latency("token_generation_model", "p50"),
            tpot_ms_p99=latency("token_generation_model", "p99"),
            latency_s_mean=latency("e2e_model", "avg", 0.001),
            latency_s_p50=latency("e2e_model", "p50", 0.001),
            latency_s_p99=latency("e2e_model", "p99", 0.001),
            total_tokens_per_s=measurement(
                mapping(data.get("e2e_model")).get("throughput"), "e2e_model.throughput"
            ),
        )
    ]


FORMAT = Format("nxdi", "NxD Inference benchmark_report.json", matches, parse)
