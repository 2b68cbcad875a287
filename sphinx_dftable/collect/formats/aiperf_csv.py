"""aiperf ``profile_export_aiperf.csv``: several tables separated by blank lines, CRLF.

First ``Metric,avg,min,max,...,p99,std`` with readable names carrying the unit
(``Time to First Token (ms)``); then ``Metric,Value`` scalars (``Request Throughput
(requests/sec)``, ``Request Count``, ``Benchmark Duration (sec)``); then GPU telemetry,
which may be a header alone. Some percentile cells are empty (no value); values are rounded
to 2 decimals. The CSV records neither the model nor the load: ``--set`` them.
"""

from __future__ import annotations

import re

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.formats import Document, Format, Table
from sphinx_dftable.collect.record import Record
from sphinx_dftable.collect.values import BadValue, count, measurement

_NAME_AND_UNIT = re.compile(r"^(?P<name>.*?)\s*(?:\((?P<unit>[^()]*)\))?\s*$")
_SECONDS_PER = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "sec": 1.0}


def matches(doc: Document) -> bool:
    tables = doc.csv_tables
    if not tables:
        return False
    header = tables[0][0]
    return header[:1] == ("Metric",) and "avg" in header and "p99" in header


class _Metrics:
    """The file's rows by lower-case metric name: (unit, {column: cell}, where)."""

    def __init__(self, tables: tuple[Table, ...]) -> None:
        self.rows: dict[str, tuple[str, dict[str, str], str]] = {}
        for table in tables:
            header = table[0]
            if header[:1] != ("Metric",):
                continue  # GPU telemetry
            for row in table[1:]:
                match = _NAME_AND_UNIT.match(row[0])
                assert match is not None  # the pattern matches any text
                cells = dict(zip(header, row, strict=True))
                self.rows[match["name"].strip().lower()] = (match["unit"] or "", cells, row[0])

    def value(self, name: str, column: str = "avg") -> float | None:
        """A statistic, or a scalar's ``Value``."""
        if name not in self.rows:
            return None
        _, cells, label = self.rows[name]
        key = column if column in cells else "Value"
        return measurement(cells.get(key), f"{label} {key}")

    def time(self, name: str, column: str, unit: str) -> float | None:
        if name not in self.rows:
            return None
        named, cells, label = self.rows[name]
        text = named.strip().lower() or "ms"
        if text not in _SECONDS_PER:
            raise BadValue(f"{label}", named, "not a unit of time")
        factor = _SECONDS_PER[text] / _SECONDS_PER[unit]
        key = column if column in cells else "Value"
        return measurement(cells.get(key), f"{label} {key}", factor)


def parse(doc: Document) -> list[Record]:
    assert doc.csv_tables is not None
    metrics = _Metrics(doc.csv_tables)
    succeeded = metrics.value("request count")
    if not succeeded:
        reason = "its Request Count is 0" if succeeded == 0 else "it has no Request Count"
        raise CollectError(f"no successful requests: {reason}", doc.path)
    errors = metrics.value("error request count")
    return [
        Record(
            source=doc.source,
            format="aiperf-csv",
            tool="aiperf",
            input_tokens_mean=metrics.value("input sequence length"),
            output_tokens_mean=metrics.value("output sequence length"),
            ttft_ms_p50=metrics.time("time to first token", "p50", "ms"),
            ttft_ms_p99=metrics.time("time to first token", "p99", "ms"),
            itl_ms_p50=metrics.time("inter token latency", "p50", "ms"),
            itl_ms_p99=metrics.time("inter token latency", "p99", "ms"),
            tpot_ms_p50=metrics.time("inter token latency", "p50", "ms"),
            tpot_ms_p99=metrics.time("inter token latency", "p99", "ms"),
            latency_s_mean=metrics.time("request latency", "avg", "s"),
            latency_s_p50=metrics.time("request latency", "p50", "s"),
            latency_s_p99=metrics.time("request latency", "p99", "s"),
            output_tokens_per_s=metrics.value("output token throughput"),
            total_tokens_per_s=metrics.value("total token throughput"),
            requests_per_s=metrics.value("request throughput"),
            errors=None if errors is None else count(errors, "Error Request Count"),
            error_rate=None if errors is None else errors / (succeeded + errors),
            duration_s=metrics.time("benchmark duration", "avg", "s"),
        )
    ]


FORMAT = Format("aiperf-csv", "aiperf profile_export_aiperf.csv", matches, parse)
