"""inference-perf (kubernetes-sigs): ``stage_N_lifecycle_metrics.json`` and the run's
``summary_lifecycle_metrics.json``.

A stage file is one load level; the summary is all stages together, so given a stage file
(or the run's folder) the collector reads one record per stage and leaves the summary out.
Every latency is in seconds. A distribution has ``mean, min, max, median, p90`` and, in most
versions, ``p99`` (0.5.0 has none: missing, not zero). The streamed inter-token latency can
be tiny (chunking); ``time_per_output_token`` is the decode-only time per token. The file
records the requested rate but not how arrivals were spaced: the Mode is ``rate@N``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, dig, json_object, mapping
from sphinx_dftable.collect.formats.pacing import mode_text
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import count, measurement

SUMMARY_NAME = "summary_lifecycle_metrics.json"
_STAGE_NAME = re.compile(r"^stage_(\d+)_lifecycle_metrics\.json$")


def _stage_files(folder: Path) -> list[Path]:
    try:
        found = [p for p in folder.iterdir() if _STAGE_NAME.match(p.name)]
    except OSError:
        return []
    return sorted(found, key=lambda p: int(_STAGE_NAME.match(p.name)[1]))  # type: ignore[index]


def run_folder_files(folder: Path) -> list[Path] | None:
    """The files a run's folder stands for: its stage files, else its summary; None when
    it holds neither."""
    stages = _stage_files(folder)
    if stages:
        return stages
    summary = folder / SUMMARY_NAME
    return [summary] if summary.is_file() else None


def stage_file_beside(path: Path, given: set[Path]) -> Path | None:
    """For a run's summary: a stage file of the same run that is also given."""
    if path.name != SUMMARY_NAME:
        return None
    return next((p for p in _stage_files(path.parent) if p.resolve() in given), None)


def matches(doc: Document) -> bool:
    data = json_object(doc)
    return (
        data is not None
        and isinstance(data.get("load_summary"), dict)
        and isinstance(data.get("successes"), dict)
        and "failures" in data
    )


def _failures_text(failures: dict[str, Any]) -> str:
    labels = mapping(failures.get("by_label"))
    return ", ".join(f"{mapping(v).get('count', '?')} x {k}" for k, v in labels.items())


def parse(doc: Document) -> list[Record]:
    data = json_object(doc)
    assert data is not None
    successes, failures = mapping(data.get("successes")), mapping(data.get("failures"))
    succeeded = count(successes.get("count"), "successes.count")
    failed = count(failures.get("count"), "failures.count")
    if not succeeded:
        labels = _failures_text(failures)
        raise CollectError(
            f"no successful requests: successes.count is {successes.get('count')!r}"
            + (f", failures.count is {failed}" if failed is not None else "")
            + (f" ({labels})" if labels else ""),
            doc.path,
        )
    latency = mapping(successes.get("latency"))

    def seconds(metric: str, which: str, factor: float = 1.0) -> float | None:
        return measurement(
            dig(latency, metric, which), f"successes.latency.{metric}.{which}", factor
        )

    def throughput(name: str) -> float | None:
        return measurement(dig(successes, "throughput", name), f"successes.throughput.{name}")

    def tokens_mean(*names: str) -> float | None:
        for name in names:
            if isinstance(successes.get(name), dict):
                return measurement(dig(successes, name, "mean"), f"successes.{name}.mean")
        return None

    rate = measurement(dig(data, "load_summary", "requested_rate"), "load_summary.requested_rate")
    stage = _STAGE_NAME.match(doc.path.name)
    return [
        Record(
            source=doc.source,
            format="inference-perf-stage" if stage else "inference-perf",
            tool="inference-perf",
            mode=None if rate is None else mode_text("rate", rate),
            input_tokens_mean=tokens_mean("prompt_len", "prompt_tokens"),
            output_tokens_mean=tokens_mean("output_len", "output_tokens"),
            ttft_ms_p50=seconds("time_to_first_token", "median", 1000.0),
            ttft_ms_p99=seconds("time_to_first_token", "p99", 1000.0),
            itl_ms_p50=seconds("inter_token_latency", "median", 1000.0),
            itl_ms_p99=seconds("inter_token_latency", "p99", 1000.0),
            tpot_ms_p50=seconds("time_per_output_token", "median", 1000.0),
            tpot_ms_p99=seconds("time_per_output_token", "p99", 1000.0),
            latency_s_mean=seconds("request_latency", "mean"),
            latency_s_p50=seconds("request_latency", "median"),
            latency_s_p99=seconds("request_latency", "p99"),
            output_tokens_per_s=throughput("output_tokens_per_sec"),
            total_tokens_per_s=throughput("total_tokens_per_sec"),
            requests_per_s=throughput("requests_per_sec"),
            errors=failed,
            error_rate=None if failed is None else failed / (succeeded + failed),
        )
    ]


FORMAT = Format(
    "inference-perf",
    "inference-perf stage_N_lifecycle_metrics.json or summary_lifecycle_metrics.json",
    matches,
    parse,
)
