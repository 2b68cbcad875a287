"""``vllm bench serve --save-result`` (and ``benchmark_serving.py``) JSON, and ``vllm bench
sweep`` results, which are bench serve results too.

- When every request fails vLLM still exits 0 and writes zeros, so ``completed`` decides.
- Medians are ``median_*``; ``p50_*`` only with ``--metric-percentiles 50,99``. Mid-2024
  files have ``input_throughput`` instead of ``total_token_throughput``; 2025 files have
  ``p95_*``, ``burstiness`` and a key spelled ``"request_goodput:"`` (upstream typo), and
  some no ``failed``. Forks write only the latency statistics (no ``completed``,
  ``duration`` or throughput): those figures are missing, not zero.
- ``vllm bench sweep`` writes ``run=N.json`` per run (a bench serve result plus
  ``run_number`` and the swept parameters, e.g. ``max_num_seqs``) and a ``summary.json``
  list of them in the same folder.

The run has a concurrency only without a request rate (``request_rate`` "inf"): then
``max_concurrency`` requests are in flight all along. With a rate it is only a cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, quantile_fields, records_from
from sphinx_dftable.collect.formats.pacing import mode_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_LATENCY_KEYS = frozenset(
    f"{stat}_{metric}_ms"
    for stat in ("mean", "median", "p99")
    for metric in ("ttft", "tpot", "itl", "e2el")
)
# A fork may drop these all together; a file with some of them but no `completed` is cut.
_COUNT_KEYS = ("request_throughput", "output_throughput", "duration", "total_output_tokens")
# `backend` names the client API; only these also name the serving engine.
_ENGINES = {"vllm": "vLLM", "tgi": "TGI", "sglang": "SGLang", "lmdeploy": "LMDeploy"}
_SWEEP_RUN = re.compile(r"^run=\d+\.json$")
SWEEP_SUMMARY = "summary.json"


def sweep_summary_path(path: Path) -> Path | None:
    """The ``summary.json`` that lists a ``vllm bench sweep`` run file's run."""
    return path.with_name(SWEEP_SUMMARY) if _SWEEP_RUN.match(path.name) else None


def is_result(data: object) -> bool:
    return (
        isinstance(data, dict)
        and "backend" in data
        and ("completed" in data or bool(_LATENCY_KEYS & data.keys()))
    )


def matches(doc: Document) -> bool:
    if isinstance(doc.json, list):
        # A sweep's summary.json: its runs, each with its run_number.
        return bool(doc.json) and all(is_result(item) and "run_number" in item for item in doc.json)
    return is_result(doc.json)


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


def _load(data: dict[str, Any]) -> tuple[str, int | None]:
    """(Mode, concurrency)."""
    rate = _rate(data, "request_rate")
    if rate is not None:
        burstiness = _rate(data, "burstiness")
        return mode_text("poisson" if burstiness in (None, 1.0) else "gamma", rate), None
    cap = _count(data, "max_concurrency")
    return ("concurrent", cap) if cap else ("throughput", None)


class _NoSuccess(CollectError):
    """A run in which no request succeeded."""


def _succeeded(data: dict[str, Any]) -> tuple[int | None, int | None]:
    """(completed, failed); completed None for a fork's file, which has no counts."""
    completed, failed = _count(data, "completed"), _count(data, "failed")
    prompts = _count(data, "num_prompts")
    if completed is None:
        present = [key for key in _COUNT_KEYS if data.get(key) is not None]
        if present:
            raise CollectError(f"has {present[0]} but no completed count: a cut or edited file?")
        if not any(_number(data, key) for key in sorted(_LATENCY_KEYS & data.keys())):
            raise _NoSuccess("no successful requests: no completed count and no latency above 0")
        return None, failed
    if failed is None and prompts is not None:
        failed = max(prompts - completed, 0)
    if completed <= 0:
        raise _NoSuccess(
            f"no successful requests: completed is {data.get('completed')!r}"
            + (f", failed is {failed}" if failed is not None else "")
        )
    return completed, failed


def _length(data: dict[str, Any], *fields: str) -> int | None:
    for field in fields:
        if data.get(field) is not None:
            return _count(data, field)
    return None


def _record(doc: Document, data: dict[str, Any], sweep: bool) -> Record:
    completed, failed = _succeeded(data)
    output_tps = _number(data, "output_throughput")
    total_tps = _number(data, "total_token_throughput")
    input_tps = _number(data, "input_throughput")
    if total_tps is None and input_tps is not None and output_tps is not None:
        total_tps = input_tps + output_tps
    total_in, total_out = _number(data, "total_input_tokens"), _number(data, "total_output_tokens")
    e2el_mean = _number(data, "mean_e2el_ms")
    e2el_p50, e2el_p99 = _ms(data, "e2el", "p50"), _ms(data, "e2el", "p99")
    mode, concurrency = _load(data)
    return Record(
        source=doc.source,
        format="vllm-sweep" if sweep else "vllm",
        tool="vllm bench serve",
        model=to_text(data.get("model_id")),
        engine=_ENGINES.get(str(data.get("backend") or "").lower()),
        concurrency=concurrency,
        mode=mode,
        # A sweep over max_num_seqs: the server's batch size.
        batch_size=_count(data, "max_num_seqs"),
        input_length=_length(data, "random_input_len", "input_len"),
        output_length=_length(data, "random_output_len", "output_len"),
        input_tokens_mean=None if total_in is None or not completed else total_in / completed,
        output_tokens_mean=None if total_out is None or not completed else total_out / completed,
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
        error_rate=None if failed is None or completed is None else failed / (completed + failed),
        duration_s=_number(data, "duration"),
    )


def parse(doc: Document) -> list[Record]:
    def items() -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(doc.json, list):
            yield from ((f"summary[{n}]", item) for n, item in enumerate(doc.json))
        else:
            yield "", doc.json

    listed = isinstance(doc.json, list)

    def make(item: dict[str, Any]) -> Record | None:
        try:
            return _record(doc, item, sweep="run_number" in item)
        except _NoSuccess as exc:
            if listed:
                return None  # one failed run of a sweep; the others still count
            raise CollectError(exc.reason, doc.path) from None
        except CollectError as exc:
            raise CollectError(exc.reason, doc.path) from None

    return records_from(
        items(), make, doc.path, "no successful requests in any run of the sweep summary"
    )


FORMAT = Format(
    "vllm", "vllm bench serve --save-result JSON, or a vllm bench sweep result", matches, parse
)
