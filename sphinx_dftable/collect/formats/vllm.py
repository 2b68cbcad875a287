"""``vllm bench serve --save-result`` (and the older ``benchmark_serving.py``) JSON.

When every request fails vLLM still exits 0 and writes zeros, so ``completed`` decides.
Medians are ``median_*``; ``p50_*`` only with ``--metric-percentiles 50,99``. Mid-2024 files
have ``input_throughput`` instead of ``total_token_throughput``.
"""

from __future__ import annotations

from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object
from sphinx_dftable.collect.formats.guidellm import rate_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import to_float, to_int, to_text

_REQUIRED = frozenset({"backend", "completed", "request_throughput", "output_throughput"})
# `backend` names the client API; only these also name the serving engine.
_ENGINES = {"vllm": "vLLM", "tgi": "TGI", "sglang": "SGLang", "lmdeploy": "LMDeploy"}


def matches(doc: Document) -> bool:
    data = json_object(doc)
    return data is not None and data.keys() >= _REQUIRED


def _ms(data: dict[str, Any], metric: str, which: str) -> float | None:
    if which == "p50":
        value = data.get(f"p50_{metric}_ms", data.get(f"median_{metric}_ms"))
    else:
        value = data.get(f"{which}_{metric}_ms")
    return to_float(value)


def _mode(data: dict[str, Any]) -> str:
    rate = to_float(data.get("request_rate"))  # "inf" reads as None
    if rate is not None:
        burstiness = to_float(data.get("burstiness"))
        kind = "poisson" if burstiness in (None, 1.0) else "gamma"
        return f"{kind}@{rate_text(rate)}"
    return "concurrent" if to_int(data.get("max_concurrency")) else "throughput"


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    completed = to_int(data.get("completed")) or 0
    failed = to_int(data.get("failed"))
    if failed is None and to_int(data.get("num_prompts")) is not None:
        failed = max((to_int(data.get("num_prompts")) or 0) - completed, 0)
    if completed <= 0:
        raise CollectError(
            f"no successful requests: completed is {data.get('completed')!r}"
            + (f", failed is {failed}" if failed is not None else ""),
            doc.path,
        )
    output_tps = to_float(data.get("output_throughput"))
    total_tps = to_float(data.get("total_token_throughput"))
    input_tps = to_float(data.get("input_throughput"))
    if total_tps is None and input_tps is not None and output_tps is not None:
        total_tps = input_tps + output_tps
    total_in, total_out = (
        to_float(data.get("total_input_tokens")),
        to_float(data.get("total_output_tokens")),
    )
    e2el_mean = to_float(data.get("mean_e2el_ms"))
    e2el_p50, e2el_p99 = _ms(data, "e2el", "p50"), _ms(data, "e2el", "p99")
    backend = str(data.get("backend") or "").lower()
    return [
        Record(
            source=doc.source,
            format="vllm",
            tool="vllm bench serve",
            model=to_text(data.get("model_id")),
            engine=_ENGINES.get(backend),
            concurrency=to_int(data.get("max_concurrency")),
            mode=_mode(data),
            input_tokens_mean=None if total_in is None else total_in / completed,
            output_tokens_mean=None if total_out is None else total_out / completed,
            ttft_ms_p50=_ms(data, "ttft", "p50"),
            ttft_ms_p99=_ms(data, "ttft", "p99"),
            itl_ms_p50=_ms(data, "itl", "p50"),
            itl_ms_p99=_ms(data, "itl", "p99"),
            tpot_ms_p50=_ms(data, "tpot", "p50"),
            tpot_ms_p99=_ms(data, "tpot", "p99"),
            latency_s_mean=None if e2el_mean is None else e2el_mean / 1000.0,
            latency_s_p50=None if e2el_p50 is None else e2el_p50 / 1000.0,
            latency_s_p99=None if e2el_p99 is None else e2el_p99 / 1000.0,
            output_tokens_per_s=output_tps,
            total_tokens_per_s=total_tps,
            requests_per_s=to_float(data.get("request_throughput")),
            errors=failed,
            error_rate=None if failed is None else failed / (completed + failed),
        )
    ]


FORMAT = Format("vllm", "vllm bench serve --save-result JSON", matches, parse)
