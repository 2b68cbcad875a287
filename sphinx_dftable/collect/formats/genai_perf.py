"""genai-perf (NVIDIA, aiperf's predecessor): ``profile_export_genai_perf.json``.

The same metric objects as aiperf (``{unit, avg, p50, p99, ...}``: ``time_to_first_token``,
``inter_token_latency``, ``request_latency`` in ms, ``request_throughput``,
``output_token_throughput``, ``request_count``). Its settings are under ``input_config``:
``perf_analyzer.stimulus`` (config-file era) or flat (``concurrency``, ``request_rate``,
``synthetic_input_tokens_mean``, ``output_tokens_mean``). A request rate makes the run
rate-paced: it then has no concurrency.
"""

from __future__ import annotations

from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, dig, json_object, mapping
from sphinx_dftable.collect.formats import metric_blocks as blocks
from sphinx_dftable.collect.formats.pacing import mode_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_MARKERS = ("perf_analyzer", "synthetic_input_tokens_mean", "concurrency")
_METRICS = ("request_latency", "request_throughput", "request_count", "time_to_first_token")


def matches(doc: Document) -> bool:
    data = json_object(doc)
    if data is None:
        return False
    settings = mapping(data.get("input_config"))
    return any(key in settings for key in _MARKERS) and any(
        isinstance(data.get(name), dict) and "avg" in data[name] for name in _METRICS
    )


def _first(settings: dict[str, Any], *paths: tuple[str, ...]) -> tuple[object, str]:
    for path in paths:
        value = dig(settings, *path)
        if value is not None:
            return value, "input_config." + ".".join(path)
    return None, "input_config"


def _load(settings: dict[str, Any]) -> tuple[str | None, int | None]:
    rate, rate_field = _first(settings, ("perf_analyzer", "stimulus", "request_rate"),
                              ("request_rate",))  # fmt: skip
    streams, streams_field = _first(settings, ("perf_analyzer", "stimulus", "concurrency"),
                                    ("concurrency",))  # fmt: skip
    rate_value = measurement(rate, rate_field)
    if rate_value is not None:
        return mode_text("rate", rate_value), None
    concurrency = count(streams, streams_field)
    return ("concurrent", concurrency) if concurrency is not None else (None, None)


def _model(settings: dict[str, Any]) -> str | None:
    for value in (settings.get("model_names"), settings.get("model")):
        if isinstance(value, list) and value:
            return to_text(value[0])
        if isinstance(value, str):
            return to_text(value)
    return None


def _length(value: object, field: str) -> int | None:
    """A configured length; genai-perf writes -1 for one left to the server."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return None
    return count(value, field)


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    succeeded = count(dig(data, "request_count", "avg"), "request_count.avg")
    if not succeeded:
        raise CollectError(
            f"no successful requests: request_count.avg is {dig(data, 'request_count', 'avg')!r}",
            doc.path,
        )
    settings = mapping(data.get("input_config"))
    mode, concurrency = _load(settings)
    length_in, in_field = _first(settings, ("synthetic_input_tokens_mean",),
                                 ("input", "synthetic_tokens", "mean"))  # fmt: skip
    length_out, out_field = _first(settings, ("output_tokens_mean",),
                                   ("input", "output_tokens", "mean"),
                                   ("output_tokens", "mean"))  # fmt: skip
    return [
        Record(
            source=doc.source,
            format="genai-perf",
            tool="genai-perf",
            model=_model(settings),
            mode=mode,
            concurrency=concurrency,
            input_length=_length(length_in, in_field),
            output_length=_length(length_out, out_field),
            **blocks.figures(data, total_throughput=False),  # genai-perf writes no total
        )
    ]


FORMAT = Format("genai-perf", "genai-perf profile_export_genai_perf.json", matches, parse)
