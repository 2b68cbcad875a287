"""One module per benchmark tool; each says whether a document is its own and parses it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import NUL, BadValue

Item = TypeVar("Item")
#: The quantiles a record keeps of a latency: the median and the tail.
QUANTILES = ("p50", "p99")


def records_from(
    items: Iterable[tuple[str, Item]],
    make: Callable[[Item], Record | None],
    path: Path,
    none_found: str,
) -> list[Record]:
    """The record ``make`` builds from each ``(place, item)``; None skips a run that measured
    nothing. A bad value is refused naming its place (``data row 3``), and a file with no
    record at all with ``none_found``."""
    records = []
    for place, item in items:
        try:
            record = make(item)
        except BadValue as exc:
            raise exc.within(place) from None
        if record is not None:
            records.append(record)
    if not records:
        raise CollectError(none_found, path)
    return records


def quantile_fields(
    read: Callable[[str, str], float | None], metrics: Mapping[str, str]
) -> dict[str, Any]:
    """The P50 and P99 record fields of each ``{field prefix: the tool's metric}``, to spread
    into ``Record(...)``: ``{"ttft_ms": "ttft"}`` gives ``ttft_ms_p50=read("ttft", "p50")``
    and ``ttft_ms_p99=read("ttft", "p99")``, read in that order."""
    # Any, not float | None: mypy would check the values against every field of Record.
    return {f"{field}_{q}": read(metric, q) for field, metric in metrics.items() for q in QUANTILES}


def decode_text(raw: bytes, path: Path) -> str:
    """A result file's text; refuses bytes no benchmark tool writes (not UTF-8, NUL)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CollectError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path) from exc
    if NUL in text:
        raise CollectError(
            f"contains a NUL byte (character {text.index(NUL)}): a corrupted file?", path
        )
    return text


def load_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CollectError(
            f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", path
        ) from exc
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, [[[[...
        raise CollectError(f"malformed JSON: {exc}", path) from exc


#: A CSV table as the file has it: its rows of cells, the header row first.
Table = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Document:
    """A result file, read once: parsed JSON (or YAML), or CSV.

    A CSV with one table has ``csv_header`` and ``csv_rows`` (its data rows by column name);
    every CSV has ``csv_tables``, its tables (separated by blank lines) as rows of cells.
    """

    path: Path
    json: Any = None
    csv_header: tuple[str, ...] | None = None
    csv_rows: tuple[dict[str, str], ...] | None = None
    csv_tables: tuple[Table, ...] | None = None

    @property
    def source(self) -> str:
        return str(self.path)


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    matches: Callable[[Document], bool]
    parse: Callable[[Document], list[Record]]


def json_object(doc: Document) -> dict[str, Any] | None:
    return doc.json if isinstance(doc.json, dict) else None


def mapping(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a missing or null section)."""
    return value if isinstance(value, dict) else {}


def dig(value: object, *keys: str) -> Any:
    """``value[k1][k2]...``, or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def all_formats() -> tuple[Format, ...]:
    """In detection order: the most specific shapes first."""
    from sphinx_dftable.collect.formats import (
        aiperf,
        aiperf_csv,
        fmbench,
        genai_perf,
        guidellm,
        guidellm_csv,
        inference_perf,
        llmperf,
        neuronperf,
        nxdi,
        optimum_neuron,
        optimum_neuron_summary,
        vllm,
        vllm_offline,
    )

    return (
        neuronperf.FORMAT,
        llmperf.FORMAT,
        llmperf.RESPONSES_FORMAT,
        guidellm.FORMAT,
        guidellm_csv.FORMAT,
        fmbench.FORMAT,
        aiperf.FORMAT,
        aiperf_csv.FORMAT,
        genai_perf.FORMAT,
        inference_perf.FORMAT,
        nxdi.FORMAT,
        vllm.FORMAT,
        vllm_offline.LATENCY_FORMAT,
        vllm_offline.THROUGHPUT_FORMAT,
        optimum_neuron.FORMAT,
        optimum_neuron_summary.FORMAT,
    )
