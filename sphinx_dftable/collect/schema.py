"""Table layouts: which CSV columns a table has, where each value comes from, which are keys.

A column gets its value from, in order: ``--set``, the run file's ``[set]``, the record (a
field the tool measured or a setting it recorded), then the host (instance type, OS). Key
columns identify a row for upserts. They are configuration, never measurements: by default
the columns that are not measurements, so a rerun of one configuration replaces its row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from sphinx_dftable.collect.errors import CollectError
from sphinx_dftable.collect.record import METRIC_FIELDS, RECORD_FIELDS, Record
from sphinx_dftable.collect.record import normalize_instance_type as _normalize_instance_type
from sphinx_dftable.collect.values import NUL, format_number

# Column name -> record field, for every column name a built-in layout uses. A run file's
# layout gets these for free; it only names the columns it wants.
KNOWN_COLUMNS: dict[str, str] = {
    "Model": "model",
    "Inst. Type": "instance_type",
    "Engine": "engine",
    "Tool": "tool",
    "Mode": "mode",
    "Concurrency": "concurrency",
    "Dataset": "dataset",
    "Batch Size": "batch_size",
    "Run Mode": "run_mode",
    "TP Degree": "tp_degree",
    "Sequence Length": "sequence_length",
    # The configured lengths (tokens per request), not the measured means.
    "Input Length": "input_length",
    "Output Length": "output_length",
    "Model Data Type": "model_dtype",
    "Throughput (tokens/second)": "total_tokens_per_s",
    "Latency per Token P50 (ms)": "latency_per_token_ms_p50",
    "Latency per Token P99 (ms)": "latency_per_token_ms_p99",
    "Throughput (inference/second)": "inferences_per_s",
    "Throughput (inference/sec)": "inferences_per_s",
    "Latency P50 (ms)": "latency_ms_p50",
    "Latency P99 (ms)": "latency_ms_p99",
    "Output Token Throughput (tokens/sec)": "output_tokens_per_s",
    "TTFT Latency P50 (ms)": "ttft_ms_p50",
    "TTFT Latency P99 (ms)": "ttft_ms_p99",
    "TPOT Latency P50 (ms)": "tpot_ms_p50",
    "TPOT Latency P99 (ms)": "tpot_ms_p99",
    "Input Tokens (mean)": "input_tokens_mean",
    "Output Tokens (mean)": "output_tokens_mean",
    "TTFT P50 (ms)": "ttft_ms_p50",
    "TTFT P99 (ms)": "ttft_ms_p99",
    "Inter-Token Latency P50 (ms)": "itl_ms_p50",
    "Inter-Token Latency P99 (ms)": "itl_ms_p99",
    "Request Latency Mean (s)": "latency_s_mean",
    "Output Throughput (tokens/second)": "output_tokens_per_s",
    "Requests per Minute": "requests_per_min",
    "Errors": "errors",
    "Error Rate": "error_rate",
    "Prompt Tokens (mean)": "input_tokens_mean",
    "Completion Tokens (mean)": "output_tokens_mean",
    "Latency Mean (s)": "latency_s_mean",
    "Transactions per Minute": "requests_per_min",
    "Latency P50 (s)": "latency_s_p50",
    "Latency P99 (s)": "latency_s_p99",
    "TTFT Mean (ms)": "ttft_ms_mean",
    "Inter-Token Latency Mean (ms)": "itl_ms_mean",
    "Run Duration (s)": "duration_s",
}

# Columns the host can answer when nothing else does (see host.py).
HOST_COLUMNS: dict[str, str] = {"Inst. Type": "instance_type", "OS Type": "os_type"}
# Key columns a row cannot do without: the docs merge prices on Inst. Type.
REQUIRED_COLUMNS = ("Model", "Inst. Type")
# Key fields a row cannot do without where a layout has them: an empty length would make
# every rerun of another length the same row.
REQUIRED_FIELDS = {"input_length": "measured mean input", "output_length": "measured mean output"}
_MEASURED_LENGTH = {"input_length": "input_tokens_mean", "output_length": "output_tokens_mean"}
# Other statistics of the same measurement: a layout showing one of them gets an empty cell
# from a file that holds only the other, which is refused rather than left without a word.
SIBLING_FIELDS = {
    "latency_s_mean": ("latency_s_p50", "the mean request latency", "its P50"),
    "latency_s_p50": ("latency_s_mean", "the median request latency", "its mean"),
    "ttft_ms_p50": ("ttft_ms_mean", "the median time to first token", "its mean"),
    "itl_ms_p50": ("itl_ms_mean", "the median inter-token latency", "its mean"),
}

_THROUGHPUT_FIELDS = ("total_tokens_per_s", "inferences_per_s", "output_tokens_per_s")
_LATENCY_FIELDS = (
    "latency_per_token_ms_p50",
    "latency_ms_p50",
    "tpot_ms_p50",
    "itl_ms_p50",
    "latency_s_mean",
)


@dataclass(frozen=True)
class Schema:
    name: str
    columns: tuple[str, ...]
    description: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)
    key_columns: tuple[str, ...] | None = None

    def field_of(self, column: str) -> str | None:
        return self.fields.get(column, KNOWN_COLUMNS.get(column))

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(c for c in self.columns if self.field_of(c) in METRIC_FIELDS)

    @property
    def keys(self) -> tuple[str, ...]:
        if self.key_columns is not None:
            return self.key_columns
        return tuple(c for c in self.columns if c not in self.metrics)

    def first_metric(self, candidates: Sequence[str]) -> str | None:
        """The column showing the first of ``candidates`` (record fields) this layout has."""
        for wanted in candidates:
            for column in self.metrics:
                if self.field_of(column) == wanted:
                    return column
        return None

    @property
    def throughput_column(self) -> str | None:
        return self.first_metric(_THROUGHPUT_FIELDS)

    @property
    def latency_column(self) -> str | None:
        return self.first_metric(_LATENCY_FIELDS)


_SEED_LLM = (
    "Model", "Scripts", "Framework", "Inst. Type", "Task", "Throughput (tokens/second)",
    "Latency per Token P50 (ms)", "Latency per Token P99 (ms)", "Application Type",
    "Neuron Version", "Run Mode", "TP Degree", "DP Degree", "Batch Size", "Sequence Length",
    "Input Length", "Output Length", "Model Data Type", "Compilation Autocast Data Type",
)  # fmt: skip
_LANGUAGE = (
    "Model", "Scripts", "Framework", "Inst. Type", "Task", "Throughput (inference/second)",
    "Latency P50 (ms)", "Latency P99 (ms)", "Application Type", "Neuron Version", "Run Mode",
    "Batch Size", "Sequence Length", "Model Data Type", "Compilation Autocast Data Type",
    "OS Type",
)  # fmt: skip
_VISION = (
    "Model", "Image Size", "Scripts", "Framework", "Inst. Type", "Task",
    "Throughput (inference/sec)", "Latency P50 (ms)", "Latency P99 (ms)", "Application Type",
    "Neuron Version", "Run Mode", "Batch Size", "Model Data Type",
    "Compilation Autocast Data Type",
)  # fmt: skip
_DECODER = (
    "Model", "Scripts", "Framework", "Inst. Type", "Task",
    "Output Token Throughput (tokens/sec)", "TTFT Latency P50 (ms)", "TTFT Latency P99 (ms)",
    "TPOT Latency P50 (ms)", "TPOT Latency P99 (ms)", "Application Type", "Neuron Version",
    "Run Mode", "TP Degree", "DP Degree", "Batch Size", "Sequence Length", "Input Length",
    "Output Length", "Model Data Type", "Compilation Autocast Data Type",
)  # fmt: skip
_SERVING_SWEEP = (
    "Model", "Engine", "Inst. Type", "Tool", "Mode", "Concurrency", "Input Tokens (mean)",
    "Output Tokens (mean)", "TTFT P50 (ms)", "TTFT P99 (ms)", "Inter-Token Latency P50 (ms)",
    "Inter-Token Latency P99 (ms)", "Request Latency Mean (s)",
    "Output Throughput (tokens/second)", "Requests per Minute", "Errors", "Error Rate",
)  # fmt: skip
_PRICE_PERFORMANCE = (
    "Model", "Inst. Type", "Dataset", "Concurrency", "Prompt Tokens (mean)",
    "Completion Tokens (mean)", "Latency Mean (s)", "Transactions per Minute", "Error Rate",
)  # fmt: skip

BUILTIN_SCHEMAS: dict[str, Schema] = {
    s.name: s
    for s in (
        Schema(
            "llm",
            _SEED_LLM,
            "LLM table; throughput and per-token latency count input and output tokens",
        ),
        Schema("language", _LANGUAGE, "encoder (language) models: NeuronPerf"),
        Schema("vision", _VISION, "vision models: NeuronPerf"),
        Schema("decoder", _DECODER, "decoder LLMs with TTFT and TPOT P50/P99"),
        Schema(
            "serving-sweep",
            _SERVING_SWEEP,
            "one row per load level of a serving benchmark",
            key_columns=("Model", "Engine", "Inst. Type", "Tool", "Mode", "Concurrency"),
        ),
        Schema(
            "price-performance",
            _PRICE_PERFORMANCE,
            "FMBench price-performance summary",
            key_columns=("Model", "Inst. Type", "Dataset", "Concurrency"),
        ),
    )
}


def schema_from_header(header: Sequence[str], schemas: Mapping[str, Schema]) -> Schema | None:
    """The layout whose columns are exactly this header's (in any order)."""
    wanted = set(header)
    for schema in schemas.values():
        if set(schema.columns) == wanted:
            return schema
    return None


def schema_from_table(name: str, spec: Mapping[str, object]) -> Schema:
    """A layout defined in a run file's ``[schemas.NAME]`` table."""
    where = f"[schemas.{name}]"
    unknown = set(spec) - {"columns", "keys", "fields", "description"}
    if unknown:
        raise CollectError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
    columns = spec.get("columns")
    if (
        not isinstance(columns, list)
        or not columns
        or not all(isinstance(c, str) and c for c in columns)
    ):
        raise CollectError(f"{where}: 'columns' must be a non-empty list of column names")
    if len(set(columns)) != len(columns):
        raise CollectError(f"{where}: a column is listed twice")
    fields = spec.get("fields", {})
    if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
        raise CollectError(f"{where}: 'fields' must map column names to record field names")
    for column, source in fields.items():
        if column not in columns:
            raise CollectError(f"{where}: fields names {column!r}, which is not in columns")
        if source not in RECORD_FIELDS:
            raise CollectError(f"{where}: {source!r} is not a record field")
    keys = spec.get("keys")
    if keys is not None and (
        not isinstance(keys, list) or not keys or not set(keys) <= set(columns)
    ):
        raise CollectError(f"{where}: 'keys' must be a non-empty list of its columns")
    description = spec.get("description", "defined in the run file")
    schema = Schema(
        name,
        tuple(columns),
        str(description),
        fields=dict(fields),
        key_columns=None if keys is None else tuple(keys),
    )
    measured = [column for column in schema.keys if column in schema.metrics]
    if measured:
        raise CollectError(
            f"{where}: 'keys' names measurement column(s) {', '.join(map(repr, measured))}; "
            "keys are the run's configuration, so that a rerun replaces its row"
        )
    return schema


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


def column_value(schema: Schema, column: str, record: Record) -> str:
    source = schema.field_of(column)
    if source is None:
        return ""
    return _cell(getattr(record, source, None))


def normalize_cell(column: str, text: str) -> str:
    return (_normalize_instance_type(text) or "") if column == "Inst. Type" else text


def _refuse_missing_key(schema: Schema, column: str, record: Record) -> None:
    source = schema.field_of(column)
    if column in REQUIRED_COLUMNS:
        hint = "" if column not in HOST_COLUMNS else ", and the host did not tell it"
        raise CollectError(
            f"no value for key column {column!r}: the file does not record it and no "
            f"--set or run file value was given{hint}",
            record.source,
        )
    if source in REQUIRED_FIELDS and column in schema.keys:
        measured = getattr(record, _MEASURED_LENGTH[source])
        held = (
            f"the {REQUIRED_FIELDS[source]} ({format_number(measured)} tokens), which a rerun "
            "changes"
            if measured is not None
            else "no length"
        )
        raise CollectError(
            f"no configured value for key column {column!r}: the file records {held}, not the "
            f"length the run was configured with; pass --set '{column}=N'",
            record.source,
        )


def _refuse_empty_for_a_sibling(
    schema: Schema, column: str, record: Record, fixed: Mapping[str, str]
) -> None:
    source = schema.field_of(column)
    if source not in SIBLING_FIELDS or column in fixed:
        return
    sibling, wanted, held = SIBLING_FIELDS[source]
    value = getattr(record, sibling)
    shown = any(schema.field_of(c) == sibling for c in schema.columns)
    if value is None or shown:
        return
    named = next(name for name, f in KNOWN_COLUMNS.items() if f == sibling)
    raise CollectError(
        f"column {column!r} would be empty: the file has no {wanted.split(' ', 1)[1]} but "
        f"{held} ({sibling} = {format_number(value)}); write it to a column named for it "
        f"({named!r} in a run-file layout), or pass --set '{column}=' to leave the cell "
        "empty on purpose",
        record.source,
    )


def build_row(
    schema: Schema,
    record: Record,
    fixed: Mapping[str, str],
    host_value: Callable[[str], str | None],
) -> dict[str, str]:
    """One CSV row: ``fixed`` (--set, run file) first, then the record, then the host.

    Refuses a row without a value in a key column it cannot do without (``Model``,
    ``Inst. Type``, a configured length), a cell a layout would leave empty while the file
    holds another statistic of the same measurement, and a cell with a NUL character (a JSON
    ``\\u0000``, a YAML ``\\0``: Python 3.10's csv module can neither write nor read one)."""
    row = {}
    for column in schema.columns:
        if column in fixed:
            text = fixed[column]
        else:
            text = column_value(schema, column, record)
            if not text and column in HOST_COLUMNS:
                text = host_value(HOST_COLUMNS[column]) or ""
        row[column] = normalize_cell(column, text)
        if NUL in row[column]:
            raise CollectError(
                f"column {column!r} would hold a NUL character ({row[column]!r}), which a "
                "CSV table cannot keep: a corrupted file?",
                record.source,
            )
    for column in schema.columns:
        if not row[column]:
            _refuse_missing_key(schema, column, record)
            _refuse_empty_for_a_sibling(schema, column, record, fixed)
    return row
