"""optimum-neuron ``benchmark/text-generation/performance/benchmark.py`` JSON.

``{neuron_config, results: [...]}``; per result ``encoding_time`` is seconds (the prefill,
a single measurement), ``latency`` is decode-only ms per token and ``throughput`` is
generated tokens per second for the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, json_object, records_from
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_RESULT_KEYS = frozenset({"input_length", "encoding_time", "new_tokens", "latency", "throughput"})


def matches(doc: Document) -> bool:
    data = json_object(doc)
    if data is None or not isinstance(data.get("neuron_config"), dict):
        return False
    results = data.get("results")
    return isinstance(results, list) and (
        not results or (isinstance(results[0], dict) and results[0].keys() >= _RESULT_KEYS)
    )


def _model(config: dict[str, Any], doc: Document) -> str:
    for key in ("checkpoint_id", "model_id", "_name_or_path"):
        if to_text(config.get(key)) is not None:
            return str(config[key])
    return doc.path.stem  # benchmark.py names its output after the model


def _record(doc: Document, config: dict[str, Any], result: dict[str, Any]) -> Record | None:
    def number(field: str) -> float | None:
        return measurement(result.get(field), field)

    def config_count(field: str) -> int | None:
        return count(config.get(field), f"neuron_config.{field}")

    batch = count(result.get("batch_size"), "batch_size") or config_count("batch_size")
    tokens_in, tokens_out = number("input_length"), number("new_tokens")
    encoding_s, decode_ms = number("encoding_time"), number("latency")
    throughput = number("throughput")
    if not throughput or not tokens_out:
        return None
    duration = (
        None
        if encoding_s is None or decode_ms is None
        else encoding_s + decode_ms * tokens_out / 1000.0
    )
    return Record(
        source=doc.source,
        format="optimum-neuron",
        tool="optimum-neuron",
        model=_model(config, doc),
        batch_size=batch,
        # benchmark.py sets both lengths: they are the configuration, and exact.
        input_length=None if tokens_in is None else round(tokens_in),
        output_length=round(tokens_out),
        input_tokens_mean=tokens_in,
        output_tokens_mean=tokens_out,
        # One measurement per input length: reported as the median, no P99.
        ttft_ms_p50=None if encoding_s is None else encoding_s * 1000.0,
        tpot_ms_p50=decode_ms,
        latency_s_mean=duration,
        latency_s_p50=duration,
        output_tokens_per_s=throughput,
        total_tokens_per_s=None
        if tokens_in is None
        else throughput * (tokens_in + tokens_out) / tokens_out,
        tp_degree=config_count("tp_degree") or config_count("num_cores"),
        sequence_length=config_count("sequence_length"),
        model_dtype=to_text(config.get("torch_dtype")) or to_text(config.get("auto_cast_type")),
    )


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    config: dict[str, Any] = data["neuron_config"]

    def results() -> Iterator[tuple[str, dict[str, Any]]]:
        for number, result in enumerate(data.get("results") or []):
            if not isinstance(result, dict):
                raise CollectError(f"results[{number}] is not an object: {result!r:.60}", doc.path)
            yield f"results[{number}]", result

    return records_from(
        results(),
        lambda result: _record(doc, config, result),
        doc.path,
        "no results with a non-zero throughput",
    )


FORMAT = Format("optimum-neuron", "optimum-neuron benchmark.py JSON", matches, parse)
