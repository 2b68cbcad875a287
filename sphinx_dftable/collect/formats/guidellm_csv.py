"""guidellm's CSV report (``benchmarks.csv``, 0.7): three header rows, one row per benchmark.

The header rows are a group (``Time to First Token``), a name (``Successful ms``) and a
statistic (``Mean``, ``Median``, ``Std Dev``, ``Percentiles``) or unit. A ``Percentiles``
cell is a list ``[min, p001, p01, p05, p10, p25, p75, p90, p95, p99, max]``: no median
inside (the ``Median`` column has it), so p99 is its 10th value. Request latency is in
seconds, token timings in ms. The configured concurrency or rate is in the ``Profile``
JSON (``streams``, ``rate``, one per run index); ``Server Throughput / Successful
Concurrency`` is the measured mean, not a setting. ``time_per_output_token`` includes the
first token here (0.4 on), so the decode-only figure is the inter-token latency.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, mapping, records_from
from sphinx_dftable.collect.formats.pacing import fixed_concurrency, mode_text
from sphinx_dftable.collect.formats.synthetic_data import configured_lengths
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import ABSENT, BadValue, count, measurement, to_text

Column = tuple[str, str, str]
_PERCENTILES = ("min", "p001", "p01", "p05", "p10", "p25", "p75", "p90", "p95", "p99", "max")


def matches(doc: Document) -> bool:
    if not doc.csv_tables or len(doc.csv_tables) != 1 or len(doc.csv_tables[0]) < 4:
        return False
    groups, _, stats = doc.csv_tables[0][:3]
    return {"Request Counts", "Time to First Token"} <= set(groups) and {
        "Mean",
        "Percentiles",
    } <= set(stats)


class _Row:
    """One benchmark's cells by (group, name, statistic)."""

    def __init__(self, columns: list[Column], cells: tuple[str, ...]) -> None:
        self.cells = dict(zip(columns, cells, strict=True))

    def text(self, group: str, name: str, stat: str = "") -> str | None:
        return self.cells.get((group, name, stat))

    def required(self, group: str, name: str, stat: str = "") -> str:
        value = self.text(group, name, stat)
        if value is None:
            label = " / ".join(part for part in (group, name, stat) if part)
            raise BadValue(label, ABSENT, "is missing: not a whole guidellm CSV?")
        return value

    def number(
        self, group: str, name: str, stat: str = "Mean", factor: float = 1.0
    ) -> float | None:
        label = f"{group} / {name} / {stat}"
        return measurement(self.required(group, name, stat), label, factor)

    def quantile(self, group: str, name: str, which: str, factor: float = 1.0) -> float | None:
        if which == "p50":
            return self.number(group, name, "Median", factor)
        label = f"{group} / {name} / Percentiles"
        text = self.required(group, name, "Percentiles").strip()
        values = text[1:-1].split(",") if text.startswith("[") and text.endswith("]") else []
        if len(values) != len(_PERCENTILES):
            raise BadValue(label, text, f"not a list of the {len(_PERCENTILES)} percentiles")
        return measurement(values[_PERCENTILES.index(which)].strip(), f"{label} {which}", factor)

    def json(self, name: str) -> dict[str, Any]:
        """A JSON cell of the run or runtime info (``Profile``, ``Backend``, ``Arguments``)."""
        for group in ("Run Info", "Runtime Info"):
            text = self.text(group, name)
            if text:
                try:
                    parsed = json.loads(text)
                except ValueError:
                    raise BadValue(f"{group} / {name}", text, "not JSON") from None
                return mapping(parsed)
        return {}


def _setting(profile: dict[str, Any], key: str, index: int | None) -> object:
    """A profile setting of this run: a list holds one value per run index."""
    value = profile.get(key)
    if isinstance(value, list):
        return value[index] if index is not None and 0 <= index < len(value) else None
    return value


def _record(doc: Document, row: _Row) -> Record | None:
    succeeded = count(row.required("Request Counts", "Successful"), "Request Counts / Successful")
    errored = count(row.required("Request Counts", "Errored"), "Request Counts / Errored") or 0
    if not succeeded:
        return None
    kind = row.required("Benchmark", "Strategy")
    profile = row.json("Profile")
    index = count(row.text("Run Info", "Run Index"), "Run Info / Run Index")
    arguments, requests = row.json("Arguments"), row.json("Requests")
    data = requests.get("data") if requests.get("data") is not None else arguments.get("data")
    input_length, output_length = configured_lengths(data, "data")
    rate = measurement(_setting(profile, "rate", index), "Profile rate")
    streams = count(_setting(profile, "streams", index), "Profile streams")
    latency, ttft, itl = ("Request Latency", "Successful Sec"), ("Time to First Token",
                          "Successful ms"), ("Inter Token Latency", "Successful ms")  # fmt: skip
    return Record(
        source=doc.source,
        format="guidellm-csv",
        tool="guidellm",
        model=to_text(row.json("Backend").get("model")) or to_text(arguments.get("model")),
        mode=mode_text(kind, rate),
        concurrency=fixed_concurrency(kind, streams),
        input_length=input_length,
        output_length=output_length,
        input_tokens_mean=row.number("Token Metrics", "Successful Input Tokens"),
        output_tokens_mean=row.number("Token Metrics", "Successful Output Tokens"),
        ttft_ms_p50=row.quantile(*ttft, "p50"),
        ttft_ms_p99=row.quantile(*ttft, "p99"),
        itl_ms_p50=row.quantile(*itl, "p50"),
        itl_ms_p99=row.quantile(*itl, "p99"),
        tpot_ms_p50=row.quantile(*itl, "p50"),
        tpot_ms_p99=row.quantile(*itl, "p99"),
        latency_s_mean=row.number(*latency),
        latency_s_p50=row.quantile(*latency, "p50"),
        latency_s_p99=row.quantile(*latency, "p99"),
        output_tokens_per_s=row.number("Token Throughput", "Successful Output Tokens/Sec"),
        total_tokens_per_s=row.number("Token Throughput", "Successful Total Tokens/Sec"),
        requests_per_s=row.number("Server Throughput", "Successful Requests/Sec"),
        errors=errored,
        error_rate=errored / (succeeded + errored),
        duration_s=measurement(row.text("Timings", "Duration", "Sec"), "Timings / Duration"),
    )


def parse(doc: Document) -> list[Record]:
    assert doc.csv_tables is not None
    table = doc.csv_tables[0]
    columns = list(zip(table[0], table[1], table[2], strict=True))
    if len(set(columns)) != len(columns):
        raise CollectError("malformed guidellm CSV: two columns have the same header", doc.path)
    rows = [(f"data row {n}", _Row(columns, cells)) for n, cells in enumerate(table[3:], start=1)]
    return records_from(
        rows,
        lambda row: _record(doc, row),
        doc.path,
        f"no successful requests in any of its {len(rows)} benchmark(s)",
    )


FORMAT = Format("guidellm-csv", "guidellm benchmarks.csv (0.7, three header rows)", matches, parse)
