"""``vllm bench serve --save-result`` (and the older ``benchmark_serving.py``) JSON.

When every request fails vLLM still exits 0 and writes zeros, so ``completed`` decides.
Medians are ``median_*``; ``p50_*`` only with ``--metric-percentiles 50,99``. Mid-2024 files
have ``input_throughput`` instead of ``total_token_throughput``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object, quantile_fields
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, request_rate_text, to_text

_REQUIRED = frozenset({"backend", "completed", "request_throughput", "output_throughput"})
# `backend` names the client API; only these also name the serving engine.
_ENGINES = {"vllm": "vLLM", "tgi": "TGI", "sglang": "SGLang", "lmdeploy": "LMDeploy"}


def matches(doc: Document) -> bool:
    data = json_object(doc)
    return data is not None and data.keys() >= _REQUIRED


def _number(data: dict[str, Any], field: str) -> float | None:
    return measurement(data.get(field), field)


def _count(data: dict[str, Any], field: str) -> int | None:
    return count(data.get(field), field)


def _ms(data: dict[str, Any], metric: str, which: str) -> float | None:
    if which == "p50" and f"p50_{metric}_ms" in data:
        return _number(data, f"p50_{metric}_ms")
    return _number(data, f"{'median' if which == 'p50' else which}_{metric}_ms")


def _rate(data: dict[str, Any], field: str) -> float | None:
    value = data.get(field)
    if isinstance(value, str) and value.strip().lower() in {"inf", "infinity"}:
        return None  # no rate limit: every request sent at once
    if isinstance(value, float) and value == float("inf"):
        return None
    return _number(data, field)


def _mode(data: dict[str, Any]) -> str:
    rate = _rate(data, "request_rate")
    if rate is not None:
        burstiness = _rate(data, "burstiness")
        kind = "poisson" if burstiness in (None, 1.0) else "gamma"
        return f"{kind}@{request_rate_text(rate)}"
    return "concurrent" if _count(data, "max_concurrency") else "throughput"


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    completed = _count(data, "completed") or 0
    failed = _count(data, "failed")
    prompts = _count(data, "num_prompts")
    if failed is None and prompts is not None:
        failed = max(prompts - completed, 0)
    if completed <= 0:
        raise CollectError(
            f"no successful requests: completed is {data.get('completed')!r}"
            + (f", failed is {failed}" if failed is not None else ""),
            doc.path,
        )
    output_tps = _number(data, "output_throughput")
    total_tps = _number(data, "total_token_throughput")
    input_tps = _number(data, "input_throughput")
    if total_tps is None and input_tps is not None and output_tps is not None:
        total_tps = input_tps + output_tps
    total_in, total_out = _number(data, "total_input_tokens"), _number(data, "total_output_tokens")
    e2el_mean = _number(data, "mean_e2el_ms")
    e2el_p50, e2el_p99 = _ms(data, "e2el", "p50"), _ms(data, "e2el", "p99")
    backend = str(data.get("backend") or "").lower()
    return [
        Record(
            source=doc.source,
            format="vllm",
            tool="vllm bench serve",
            model=to_text(data.get("model_id")),
            engine=_ENGINES.get(backend),
            concurrency=_count(data, "max_concurrency"),
            mode=_mode(data),
            input_tokens_mean=None if total_in is None else total_in / completed,
            output_tokens_mean=None if total_out is None else total_out / completed,
            **quantile_fields(
                partial(_ms, data), {"ttft_ms": "ttft", "itl_ms": "itl", "tpot_ms": "tpot"}
            ),
            latency_s_mean=None if e2el_mean is None else e2el_mean / 1000.0,
            latency_s_p50=None if e2el_p50 is None else e2el_p50 / 1000.0,
            latency_s_p99=None if e2el_p99 is None else e2el_p99 / 1000.0,
            output_tokens_per_s=output_tps,
            total_tokens_per_s=total_tps,
            requests_per_s=_number(data, "request_throughput"),
            errors=failed,
            error_rate=None if failed is None else failed / (completed + failed),
        )
    ]


FORMAT = Format("vllm", "vllm bench serve --save-result JSON", matches, parse)
