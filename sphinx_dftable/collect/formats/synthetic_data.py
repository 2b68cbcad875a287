"""The token lengths a synthetic-data argument asks for: ``prompt_tokens=256,output_tokens=128``.

guidellm records its ``--data`` argument in every report (a string, a list of strings, a
JSON string or an object, depending on the version); the lengths it configures are what a
table keys its rows on, unlike the measured means, which change from one rerun to the next.
"""

from __future__ import annotations

import json
from typing import Any

from sphinx_dftable.collect.values import count

_INPUT_KEYS = ("prompt_tokens",)
# guidellm 0.1 calls the output length generated_tokens.
_OUTPUT_KEYS = ("output_tokens", "generated_tokens")


def _settings(spec: object) -> dict[str, Any]:
    """``key=value,key=value`` text, JSON text or an object, as an object."""
    if isinstance(spec, dict):
        return spec
    if not isinstance(spec, str):
        return {}
    text = spec.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}
    pairs = (part.partition("=") for part in text.split(","))
    return {key.strip(): value.strip() for key, sep, value in pairs if sep}


def configured_lengths(data: object, field: str) -> tuple[int | None, int | None]:
    """(input, output) tokens a data argument configures; None where it configures none
    (a dataset file has no fixed length). A list of several data arguments is read only
    when it has one: several sources have no single length."""
    if isinstance(data, list):
        if len(data) != 1:
            return None, None
        data = data[0]
    settings = _settings(data)

    def first(keys: tuple[str, ...]) -> int | None:
        for key in keys:
            if key in settings:
                return count(settings[key], f"{field}.{key}")
        return None

    return first(_INPUT_KEYS), first(_OUTPUT_KEYS)
