"""aiperf (NVIDIA, genai-perf's successor): ``profile_export_aiperf.json``, every generation.

- 0.1.x nest every metric as ``records.<tag>`` (``{tag, header, unit, avg, p50, ...}``) and
  call the time to first token ``ttft``.
- Later files (unversioned, then ``aiperf_version`` and ``schema_version`` from about 0.8)
  put one metric object per name at the top level.
- The load: ``input_config.loadgen`` (up to 0.8: ``concurrency``, ``request_rate``) or the
  profiling phase of ``input_config.phases`` (0.10; a warm-up phase has
  ``exclude_from_results: true``). With a request rate, ``concurrency`` is only a cap.

``request_count`` is the successful count (``completed_request_count`` may disagree). A run
whose requests all failed has ``error_request_count``, an ``error_summary`` and often
``was_cancelled``, and no ``request_count`` at all: it is refused, saying so.
``inter_token_latency`` is aiperf's (request latency - TTFT) / (output tokens - 1), the
decode-only time per output token: it is read as both ITL and TPOT.
"""

from __future__ import annotations

from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, dig, json_object, mapping
from sphinx_dftable.collect.formats import metric_blocks as blocks
from sphinx_dftable.collect.formats.pacing import mode_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement, to_text

_METRICS = ("request_latency", "request_throughput", "request_count", "error_request_count")
_TTFT = ("time_to_first_token", "ttft")
_ITL = ("inter_token_latency", "itl")
# What genai-perf records of its settings and aiperf does not.
GENAI_PERF_SETTINGS = ("perf_analyzer", "synthetic_input_tokens_mean", "concurrency")


def _metrics(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The metric objects, and how the file names their place (for refusals)."""
    records = data.get("records")
    if isinstance(records, dict):
        return records, "records."
    return data, ""


def is_metric_file(data: dict[str, Any]) -> bool:
    """One metric object (``{unit, avg, ...}``) per name, as aiperf and genai-perf write."""
    return any(isinstance(data.get(name), dict) and "unit" in data[name] for name in _METRICS)


def matches(doc: Document) -> bool:
    data = json_object(doc)
    if data is None:
        return False
    records = data.get("records")
    if isinstance(records, dict) and any(
        isinstance(block, dict) and "tag" in block for block in records.values()
    ):
        return True
    settings = mapping(data.get("input_config"))
    if any(key in settings for key in GENAI_PERF_SETTINGS):
        return False  # genai-perf's
    return is_metric_file(data) or (
        "aiperf_version" in data and ("error_summary" in data or "was_cancelled" in data)
    )


def _errors_text(data: dict[str, Any]) -> str:
    parts = []
    for item in data.get("error_summary") or []:
        if isinstance(item, dict):
            kind = dig(item, "error_details", "type") or item.get("type") or "error"
            parts.append(f"{item.get('count', '?')} x {kind}")
    return ", ".join(parts)


def _refuse_without_success(doc: Document, data: dict[str, Any], succeeded: int | None) -> None:
    metrics, _ = _metrics(data)
    errors = blocks.stat(metrics, "avg", "error_request_count")
    if succeeded:
        return
    reason = (
        "no request_count (aiperf leaves it out when no request succeeded)"
        if succeeded is None
        else "request_count is 0"
    )
    details = [f"error_request_count is {errors:g}"] if errors is not None else []
    if data.get("was_cancelled") is True:
        details.append("was_cancelled is true")
    if _errors_text(data):
        details.append(f"errors: {_errors_text(data)}")
    raise CollectError(
        f"no successful requests: {reason}" + (f"; {'; '.join(details)}" if details else ""),
        doc.path,
    )


def _profiling_phase(settings: dict[str, Any]) -> dict[str, Any] | None:
    phases = settings.get("phases")
    items = list(phases.values()) if isinstance(phases, dict) else phases
    if not isinstance(items, list):
        return None
    measured = [p for p in items if isinstance(p, dict) and not p.get("exclude_from_results")]
    named = [p for p in measured if p.get("name") == "profiling"]
    chosen = named or measured
    return chosen[0] if chosen else None


def load_settings(settings: dict[str, Any]) -> tuple[str | None, int | None]:
    """(Mode, concurrency) of the measured load."""
    phase = _profiling_phase(settings)
    if phase is not None:
        kind = str(phase.get("type") or "")
        rate = measurement(phase.get("rate"), "input_config.phases.rate")
        streams = count(phase.get("concurrency"), "input_config.phases.concurrency")
        if kind == "concurrency":
            return "concurrent", streams
        return mode_text(kind or "rate", rate), None
    loadgen = mapping(settings.get("loadgen"))
    if not loadgen:
        return None, None
    rate = measurement(loadgen.get("request_rate"), "input_config.loadgen.request_rate")
    streams = count(loadgen.get("concurrency"), "input_config.loadgen.concurrency")
    if rate is None:
        return ("concurrent", streams) if streams is not None else (None, None)
    pacing = str(loadgen.get("request_rate_mode") or loadgen.get("arrival_pattern") or "rate")
    return mode_text(pacing if pacing in {"constant", "poisson", "gamma"} else "rate", rate), None


def _model(settings: dict[str, Any]) -> str | None:
    for names in (dig(settings, "endpoint", "model_names"), settings.get("model_names")):
        if isinstance(names, list) and names:
            return to_text(names[0])
    return to_text(dig(settings, "endpoint", "model"))


def _version(data: dict[str, Any], where: str) -> str:
    if where:
        return "aiperf-0.1"
    version = to_text(data.get("aiperf_version"))
    return f"aiperf-{'.'.join(version.split('.')[:2])}" if version else "aiperf"


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    metrics, where = _metrics(data)
    succeeded = count(dig(metrics, "request_count", "avg"), f"{where}request_count.avg")
    _refuse_without_success(doc, data, succeeded)
    assert succeeded is not None
    errors = count(dig(metrics, "error_request_count", "avg"), f"{where}error_request_count.avg")
    settings = mapping(data.get("input_config"))
    mode, concurrency = load_settings(settings)
    prompt = mapping(dig(settings, "input", "prompt"))
    return [
        Record(
            source=doc.source,
            format=_version(data, where),
            tool="aiperf",
            model=_model(settings),
            mode=mode,
            concurrency=concurrency,
            input_length=count(dig(prompt, "input_tokens", "mean"), "input_tokens.mean"),
            output_length=count(dig(prompt, "output_tokens", "mean"), "output_tokens.mean"),
            **blocks.figures(metrics, where=where, ttft=_TTFT, itl=_ITL),
            errors=errors,
            error_rate=None if errors is None else errors / (succeeded + errors),
            duration_s=blocks.time_stat(
                metrics, "avg", "benchmark_duration", unit="s", where=where
            ),
        )
    ]


FORMAT = Format(
    "aiperf", "aiperf profile_export_aiperf.json (0.1 records, 0.4 to 0.10+)", matches, parse
)
