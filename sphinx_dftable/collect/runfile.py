"""The run file (``--run run.toml``): fixed column values and extra table layouts.

.. code-block:: toml

    schema = "decoder"            # the layout to use when --schema is not given

    [set]                         # column values no tool records
    Framework = "vLLM"
    "Neuron Version" = "2.21.0"

    [schemas.my-layout]           # a layout of your own
    columns = ["Model", "Inst. Type", "Concurrency", "TTFT P50 (ms)"]
    keys = ["Model", "Inst. Type", "Concurrency"]     # optional
    fields = { "TTFT P50 (ms)" = "ttft_ms_p50" }      # optional for known column names
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from sphinx_dftable.collect.errors import CollectError, parse_text_file
from sphinx_dftable.collect.schema import BUILTIN_SCHEMAS, Schema, schema_from_table
from sphinx_dftable.collect.values import NUL, format_number

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


@dataclass
class RunFile:
    path: Path | None = None
    schema: str | None = None
    set_values: dict[str, str] = field(default_factory=dict)
    schemas: dict[str, Schema] = field(default_factory=dict)


def set_value_text(column: str, value: object, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CollectError(f"{where}: {column!r} must be a string or a number")
    return value if isinstance(value, str) else format_number(value)


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return isinstance(value, dict) and _keys_to_nul(value) is not None


def _keys_to_nul(table: dict[str, object]) -> list[str] | None:
    """The keys down to the first value (or key) that holds a NUL character, or None."""
    for key, value in table.items():
        if isinstance(value, dict) and not _holds_nul(key):
            inner = _keys_to_nul(value)
            if inner is not None:
                return [key, *inner]
        elif _holds_nul(key) or _holds_nul(value):
            return [key]
    return None


def load_run_file(path: Path) -> RunFile:
    data = parse_text_file(path, "run file", tomllib.loads, (tomllib.TOMLDecodeError,))
    keys = _keys_to_nul(data)
    if keys is not None:
        *tables, name = keys
        place = f"[{'.'.join(tables)}] {name!r}" if tables else repr(name)
        raise CollectError(f"{place} holds a NUL character (\\u0000): a corrupted file?", path)
    unknown = set(data) - {"schema", "set", "schemas"}
    if unknown:
        raise CollectError(f"unknown setting(s): {', '.join(sorted(unknown))}", path)
    run = RunFile(path=path)
    schema = data.get("schema")
    if schema is not None and not isinstance(schema, str):
        raise CollectError("'schema' must be a layout name", path)
    run.schema = schema
    set_table = data.get("set", {})
    if not isinstance(set_table, dict):
        raise CollectError("[set] must be a table of column = value", path)
    run.set_values = {
        column: set_value_text(column, value, f"{path}: [set]")
        for column, value in set_table.items()
    }
    schemas = data.get("schemas", {})
    if not isinstance(schemas, dict):
        raise CollectError("[schemas] must hold one table per layout", path)
    for name, spec in schemas.items():
        if name in BUILTIN_SCHEMAS:
            raise CollectError(f"[schemas.{name}]: a built-in layout has this name", path)
        if not isinstance(spec, dict):
            raise CollectError(f"[schemas.{name}] must be a table", path)
        try:
            run.schemas[name] = schema_from_table(name, spec)
        except CollectError as exc:
            raise CollectError(exc.reason, path) from exc
    return run
