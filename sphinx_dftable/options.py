"""Directive options: each a named converter with its help text, shared by both directives.

A directive lists its :class:`Option` objects once; ``option_spec`` (what docutils needs)
and the reference page's option table are both made from that list, so an option cannot
lack help or be documented without existing.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from docutils.parsers.rst import directives

from sphinx_dftable.comparison import spec

Converter = Callable[[str], Any]


@dataclass(frozen=True)
class Option:
    """One directive option: its name, the converter docutils calls, what it does."""

    name: str
    converter: Converter
    #: Help for the reference page; ``{what}`` becomes what the directive renders.
    help: str

    def help_for(self, what: str) -> str:
        return self.help.replace("{what}", what)


def option_spec(options: Sequence[Option]) -> dict[str, Converter]:
    """The ``option_spec`` of a directive that takes ``options``."""
    return {option.name: option.converter for option in options}


def help_rows(options: Sequence[Option], what: str) -> list[tuple[str, str]]:
    """(option name, help) for the reference page's option table."""
    return [(option.name, option.help_for(what)) for option in options]


# -- converters ---------------------------------------------------------------------------


def identifier(argument: str) -> str:
    value = directives.unchanged_required(argument).strip()
    if not value.isidentifier():
        raise ValueError(f"{value!r} is not a Python identifier")
    return value


def keyword_params(argument: str) -> dict[str, Any]:
    """``a=1, name='x'``: keyword arguments with literal values."""
    text = directives.unchanged_required(argument)
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except SyntaxError as exc:
        raise ValueError(f"not keyword arguments: {text!r}") from exc
    if not isinstance(call, ast.Call) or call.args:
        raise ValueError(f"not keyword arguments: {text!r}")
    params = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError("**mappings are not accepted in :params:")
        try:
            params[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError as exc:
            raise ValueError(f"the value of {keyword.arg!r} is not a Python literal") from exc
    return params


def format_pattern(spec: str) -> str:
    """``spec`` if it is a ``str.format`` pattern with one unnamed field, like ``${:,.3f}``.

    The one rule for every display format (``:formats:``, ``dftable_formats``, the chart
    axes). Whether the field's format suits the values (``{:d}`` and floats) is checked
    where the values are known.
    """
    spec = spec.strip()
    try:
        fields = [parsed for parsed in string.Formatter().parse(spec) if parsed[1] is not None]
    except ValueError as exc:  # an unmatched brace
        raise ValueError(f"{spec!r} is not a str.format pattern: {exc}") from exc
    if not fields:
        raise ValueError(f"{spec!r} has no {{}} field for the value, like ${{:,.3f}}")
    if len(fields) > 1 or fields[0][1] not in ("", "0"):
        raise ValueError(f"{spec!r} must have exactly one unnamed field, like {{:,.2f}}")
    return spec


def number_pattern(argument: str) -> str:
    """A :func:`format_pattern` that formats numbers (axis ticks are numbers)."""
    spec = format_pattern(directives.unchanged_required(argument))
    # {:,.2f} takes both samples; {:d} takes whole numbers only.
    if any(_formats(spec, sample) for sample in (1.0, 1)):
        return spec
    raise ValueError(f"{spec!r} is not a str.format pattern for one number, like ${{:,.2f}}")


def _formats(spec: str, value: float) -> bool:
    try:
        spec.format(value)
    except (ValueError, TypeError):
        return False
    return True


def column_formats(argument: str) -> dict[str, str]:
    """One ``Column name = format`` per line, e.g. ``Cost per 1M tokens = ${:,.3f}``."""
    formats = {}
    for line in directives.unchanged_required(argument).splitlines():
        if not line.strip():
            continue
        column, sep, spec = line.partition(" = ")
        if not sep or not column.strip() or not spec.strip():
            raise ValueError(f"expected 'Column name = format', got {line.strip()!r}")
        formats[column.strip()] = format_pattern(spec)
    return formats


def column_name(argument: str) -> str:
    return directives.unchanged_required(argument).strip()


def column_names(argument: str) -> tuple[str, ...]:
    """Column names separated by commas, or one per line (for names with commas)."""
    text = directives.unchanged_required(argument).strip()
    parts = text.splitlines() if "\n" in text else text.split(",")
    names = tuple(part.strip() for part in parts if part.strip())
    if not names:
        raise ValueError("give at least one column name")
    return names


def download_name(argument: str | None) -> str:
    name = (argument or "").strip() or "table.csv"
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"{name!r}: give a file name, not a path")
    return name if name.lower().endswith(".csv") else f"{name}.csv"


_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*(?:in)?\s*[x\u00d7]\s*(\d+(?:\.\d*)?)\s*(?:in)?\s*")


def size_inches(argument: str) -> tuple[float, float]:
    """``WIDTH x HEIGHT`` in inches, e.g. ``7.2 x 4``."""
    match = _SIZE.fullmatch(directives.unchanged_required(argument))
    if not match:
        raise ValueError(f"expected WIDTH x HEIGHT in inches, like 7.2 x 4, not {argument!r}")
    width, height = float(match[1]), float(match[2])
    if not (1 <= width <= 40 and 1 <= height <= 40):
        raise ValueError(f"{width} x {height} inches: each side must be 1 to 40")
    return width, height


def choice(*values: str) -> Converter:
    def convert(argument: str) -> str:
        return str(directives.choice(argument, values))

    return convert


def on_off(argument: str | None) -> bool:
    """A flag that can also be turned off: empty, ``on``, ``yes``; or ``off``, ``no``."""
    value = (argument or "").strip().lower()
    if value in ("", "on", "yes", "true"):
        return True
    if value in ("off", "no", "false"):
        return False
    raise ValueError(f"expected nothing, 'on' or 'off', not {argument!r}")


# -- options both directives take ---------------------------------------------------------

SNIPPET_OPTIONS: tuple[Option, ...] = (
    Option("df-var", identifier, "The variable that holds the DataFrame (default ``df``)."),
    Option("df-arg", identifier, "The original directive's spelling of ``:df-var:``."),
    Option(
        "file",
        directives.path,
        "Run this Python file after the body (path relative to the page); the page is "
        "rebuilt when it changes.",
    ),
    Option(
        "params",
        keyword_params,
        "Names for the snippet, as Python keyword arguments with literal values: "
        "``csv='x.csv', n=3``.",
    ),
    Option(
        "sources",
        on_off,
        "List the data files the snippet read under the {what}: each a download link with "
        "the date it last changed (its last git commit, or its modification time outside "
        "git) and the summary of the collector's provenance log beside it, if there is one. "
        "``:sources: off`` turns the site-wide ``dftable_sources`` off for this {what}.",
    ),
)


def _comparison(parse: Callable[[str], Any]) -> Converter:
    """A converter from a :mod:`sphinx_dftable.comparison.spec` parser: a value required."""

    def convert(argument: str) -> Any:
        return parse(directives.unchanged_required(argument))

    return convert


# The comparison options, the same for df-table and df-chart (and, spelled as flags, for
# ``dftable-collect diff``).
COMPARE_OPTIONS: tuple[Option, ...] = (
    Option(
        "compare",
        _comparison(spec.parse_baseline),
        "Compare with an earlier state of the same data: ``git:REV`` (the files the "
        "snippet reads, as they were at a tag, branch or commit of the docs' repository) "
        "or a directory of files of the same names. The snippet runs again on those files.",
    ),
    Option(
        "keys",
        _comparison(spec.parse_keys),
        "The columns that match a row with its earlier self (default: the non-numeric columns).",
    ),
    Option(
        "metrics",
        _comparison(spec.parse_metrics),
        "The columns to compare, each with the direction that is better: "
        "``Throughput = higher, Latency P50 (ms) = lower``.",
    ),
    Option(
        "noise",
        _comparison(spec.parse_noise),
        "Changes within this percentage are neutral (default ``2%``).",
    ),
)

CLASS = Option("class", directives.class_option, "Extra CSS classes for the {what}.")
NAME = Option("name", directives.unchanged, "A label for ``:ref:`` and ``:numref:``.")
ALIGN = Option("align", choice("left", "center", "right"), "``left``, ``center`` or ``right``.")


def width(help_text: str) -> Option:
    """``:width:``: the same converter for both directives, what it sizes said per directive."""
    return Option("width", directives.length_or_percentage_or_unitless, help_text)
