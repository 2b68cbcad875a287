"""One module per benchmark tool; each says whether a document is its own and parses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sphinx_dftable.collect.record import Record


@dataclass(frozen=True)
class Document:
    """A result file, read once: parsed JSON, or a CSV header and its rows."""

    path: Path
    json: Any = None
    csv_header: tuple[str, ...] | None = None
    csv_rows: tuple[dict[str, str], ...] | None = None

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


def all_formats() -> tuple[Format, ...]:
    """In detection order: the most specific shapes first."""
    from sphinx_dftable.collect.formats import (
        fmbench,
        guidellm,
        llmperf,
        neuronperf,
        optimum_neuron,
        vllm,
    )

    return (
        neuronperf.FORMAT,
        llmperf.FORMAT,
        llmperf.RESPONSES_FORMAT,
        guidellm.FORMAT,
        fmbench.FORMAT,
        vllm.FORMAT,
        optimum_neuron.FORMAT,
    )
