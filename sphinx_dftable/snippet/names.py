"""Names every snippet can use without importing them: cost per 1M, price merges.

``cost_per_million(rate, throughput)`` is the benchmark pages' cost formula: an hourly
rate in USD over 3,600 seconds, per million inferences or tokens at the measured
throughput. ``merge_prices`` joins results with an instance price table without losing a
row whose instance type has no price: the row stays, its rate is empty, and the build
warns at the snippet line.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from sphinx_dftable.snippet.execute import DataWarning

SECONDS_PER_HOUR = 3600.0


def cost_per_million(hourly_rate: Any, throughput: Any) -> Any:
    """USD per 1M inferences (or tokens) at ``throughput`` per second and ``hourly_rate``.

    ``hourly_rate / 3600 * 1e6 / throughput``. Works on numbers, numpy arrays and pandas
    Series. A throughput that is zero, negative or missing gives NaN (shown as an empty
    cell), never an infinite or negative cost.
    """
    rate = _as_numbers(hourly_rate)
    speed = _as_numbers(throughput)
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = rate * (1e6 / SECONDS_PER_HOUR) / np.where(np.asarray(speed) > 0, speed, np.nan)
    if np.ndim(cost) == 0:
        return float(cost)
    for given in (throughput, hourly_rate):
        if isinstance(given, pd.Series) and not isinstance(cost, pd.Series):
            return pd.Series(cost, index=given.index)
    return cost


def _as_numbers(value: Any) -> Any:
    if np.isscalar(value) or value is None:
        number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
        return float(number)
    return pd.to_numeric(value, errors="coerce")


def merge_prices(
    results: pd.DataFrame,
    prices: pd.DataFrame,
    on: str = "Inst. Type",
    *,
    warn: bool = True,
) -> pd.DataFrame:
    """``results`` with the columns of ``prices`` joined on ``on``, keeping every row.

    Rows whose ``on`` value has no price keep empty price cells, and (unless ``warn`` is
    False, for tables known to be partly priced) a :class:`DataWarning` names the
    instance types without a price.
    """
    for frame, name in ((results, "results"), (prices, "prices")):
        if on not in frame.columns:
            raise KeyError(f"{name} have no {on!r} column")
    duplicated = prices[on][prices[on].duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"prices list these {on} more than once: {', '.join(map(str, duplicated))}"
        )
    merged = results.merge(prices, on=on, how="left", indicator=True)
    missing = merged.loc[merged["_merge"] == "left_only", on].unique().tolist()
    if missing and warn:
        warnings.warn(
            DataWarning(f"no price for {on} {', '.join(map(str, missing))}: cost left empty"),
            stacklevel=2,
        )
    return merged.drop(columns="_merge")


#: What a snippet finds in its namespace besides ``pd``, ``np`` and ``DOCDIR``.
SNIPPET_NAMES: dict[str, Any] = {
    "cost_per_million": cost_per_million,
    "merge_prices": merge_prices,
    "DataWarning": DataWarning,
}
