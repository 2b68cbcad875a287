"""What a ``KeyError`` on a missing DataFrame column says: the columns there are, the closest.

pandas raises ``KeyError('Throughput')`` both for a missing column and for a missing row
label or dictionary key, so the message alone cannot tell them apart. The traceback can:
a column lookup passes through a pandas frame whose ``self`` (or ``obj``) is the DataFrame,
and when pandas' own ``Index`` lookup is in the traceback, its ``self`` is that DataFrame's
``columns`` object (for a row lookup it is the ``index``). The label must also be a value
in one of those frames, so a message such as ``"None of [...] are in the columns"`` is
never taken for a column name.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Hashable, Iterator, Sequence
from typing import Any

import pandas as pd

#: Column names listed in full before the rest are counted (wide frames have hundreds).
MAX_LISTED = 20


def missing_columns(exc: KeyError) -> tuple[pd.Index, list[Hashable]] | None:
    """(the DataFrame's columns, the labels not among them), if ``exc`` is a column miss."""
    frames = [f for f in _traceback_frames(exc) if _in_pandas(f)]
    for depth in range(len(frames) - 1, -1, -1):  # innermost first
        frame = _dataframe_of(frames[depth])
        if frame is None:
            continue
        inner = frames[depth:]
        if not _index_lookups_on(frame.columns, inner):
            return None  # a row lookup (``df.loc['x']``), not a column one
        missing = _missing_labels(exc, frame.columns, frames[depth], inner)
        return (frame.columns, missing) if missing else None
    return None


def describe_missing_columns(exc: KeyError) -> str | None:
    """``KeyError: 'x' — no such column; did you mean 'y'? The columns are: ...``, or None."""
    found = missing_columns(exc)
    if found is None:
        return None
    columns, missing = found
    labels = list(columns)
    names = [str(label) for label in labels]
    noun = "column" if len(missing) == 1 else "columns"
    text = f"KeyError: {', '.join(map(repr, missing))} — no such {noun}"
    guesses = [(label, closest(str(label), names)) for label in missing]
    guessed = [(label, guess) for label, guess in guesses if guess is not None]
    if len(missing) == 1 and guessed:
        text += f"; did you mean {labels[names.index(guessed[0][1])]!r}?"
    elif guessed:
        pairs = ", ".join(f"{labels[names.index(g)]!r} for {label!r}" for label, g in guessed)
        text += f"; did you mean {pairs}?"
    else:
        text += "."
    if not labels:
        return f"{text} The DataFrame has no columns"
    return f"{text} The columns are: {listing(labels)}"


def closest(name: str, names: Sequence[str]) -> str | None:
    """The column ``name`` most likely meant: same but for case, a longer or shorter
    spelling of it (``Throughput`` for ``Throughput (tokens/second)``), or the closest one
    ``difflib`` finds."""
    folded = name.casefold()
    for candidate in names:
        if candidate.casefold() == folded:
            return candidate
    if len(folded) >= 3:  # one or two letters are in too many names
        containing = [c for c in names if folded in c.casefold() or c.casefold() in folded]
        if containing:
            return min(containing, key=lambda c: abs(len(c) - len(name)))
    matches = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    return matches[0] if matches else None


def listing(labels: Sequence[Any]) -> str:
    shown = ", ".join(repr(label) for label in labels[:MAX_LISTED])
    rest = len(labels) - MAX_LISTED
    return f"{shown} … and {rest} more" if rest > 0 else shown


def _traceback_frames(exc: BaseException) -> Iterator[types.FrameType]:
    tb = exc.__traceback__
    while tb is not None:
        yield tb.tb_frame
        tb = tb.tb_next


def _in_pandas(frame: types.FrameType) -> bool:
    module = frame.f_globals.get("__name__")
    return isinstance(module, str) and (module == "pandas" or module.startswith("pandas."))


def _dataframe_of(frame: types.FrameType) -> pd.DataFrame | None:
    for name in ("self", "obj"):
        value = frame.f_locals.get(name)
        if isinstance(value, pd.DataFrame):
            return value
    return None


def _index_lookups_on(columns: pd.Index, frames: Sequence[types.FrameType]) -> bool:
    """No pandas ``Index`` method in ``frames`` looked in anything but ``columns``."""
    indexes = [f.f_locals.get("self") for f in frames]
    return all(index is columns for index in indexes if isinstance(index, pd.Index))


def _missing_labels(
    exc: KeyError,
    columns: pd.Index,
    frame: types.FrameType,
    inner: Sequence[types.FrameType],
) -> list[Hashable]:
    if len(exc.args) != 1:
        return []
    label = exc.args[0]
    if (
        isinstance(label, (str, int, float, tuple))
        and _is_missing(label, columns)
        # the label is what the lookup was asked for, not a message about it
        and any(_holds(f, label) for f in inner)
    ):
        return [label]
    # ``df[['a', 'x']]``: pandas names the missing ones in its message
    key = frame.f_locals.get("key")
    if isinstance(key, (list, tuple, pd.Index)) and isinstance(label, str):
        missing = [k for k in key if isinstance(k, Hashable) and _is_missing(k, columns)]
        if missing and all(repr(k) in label for k in missing):
            return missing
    return []


def _is_missing(label: Hashable, columns: pd.Index) -> bool:
    try:
        return label not in columns
    except (TypeError, ValueError):
        return False


def _holds(frame: types.FrameType, label: object) -> bool:
    return any(type(v) is type(label) and v == label for v in frame.f_locals.values())
