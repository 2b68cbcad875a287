"""The snippet helpers, checked against the published llmperf report's own figures."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from sphinx_dftable.snippet.execute import DataWarning
from sphinx_dftable.snippet.names import cost_per_million, merge_prices

# Llama 3 8B Instruct on inf2.xlarge with llmperf: throughput (tokens/s) and the report's
# cost per 1M tokens at its 0.76 USD/hour rate.
REPORT = [(16.23, 13.01), (29.2, 7.23), (48.08, 4.39), (72.16, 2.93), (142.72, 1.48)]


@pytest.mark.parametrize(("throughput", "cost"), REPORT)
def test_cost_per_million_reproduces_the_report(throughput: float, cost: float) -> None:
    assert round(cost_per_million(0.76, throughput), 2) == cost


def test_cost_per_million_formula() -> None:
    assert cost_per_million(3.6, 1.0) == pytest.approx(1_000.0)  # 0.001 USD/s for 1e6 s
    assert isinstance(cost_per_million(0.76, 16.23), float)


def test_cost_per_million_on_series_keeps_the_index() -> None:
    throughput = pd.Series([t for t, _ in REPORT], index=list("abcde"))
    costs = cost_per_million(0.76, throughput)
    assert list(costs.index) == list("abcde")
    assert costs.round(2).tolist() == [c for _, c in REPORT]
    rates = pd.Series([0.76, 1.52], index=[3, 4])
    assert cost_per_million(rates, pd.Series([16.23, 16.23], index=[3, 4])).round(2).tolist() == [
        13.01,
        26.01,
    ]


@pytest.mark.parametrize("throughput", [0, -1.0, float("nan"), None, "n/a"])
def test_no_throughput_is_no_cost(throughput: object) -> None:
    assert math.isnan(cost_per_million(0.76, throughput))


def test_no_throughput_in_a_series_is_an_empty_cell() -> None:
    costs = cost_per_million(pd.Series([1.0, 1.0]), pd.Series([0.0, np.nan]))
    assert costs.isna().all()


def test_merge_prices_keeps_rows_without_a_price_and_warns() -> None:
    results = pd.DataFrame({"Inst. Type": ["Inf2.xlarge", "Trn1.32xlarge"], "v": [1, 2]})
    prices = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"], "On-Demand hourly rate": [0.76]})
    with pytest.warns(DataWarning, match="no price for Inst. Type Trn1.32xlarge"):
        merged = merge_prices(results, prices)
    assert merged["Inst. Type"].tolist() == ["Inf2.xlarge", "Trn1.32xlarge"]
    assert merged["On-Demand hourly rate"].iloc[0] == 0.76
    assert math.isnan(merged["On-Demand hourly rate"].iloc[1])
    assert "_merge" not in merged.columns


def test_merge_prices_silent_when_every_row_has_a_price() -> None:
    results = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"], "v": [1]})
    prices = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"], "On-Demand hourly rate": [0.76]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(merge_prices(results, prices)) == 1


def test_merge_prices_refuses_ambiguous_prices() -> None:
    results = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"]})
    prices = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"] * 2, "On-Demand hourly rate": [1, 2]})
    with pytest.raises(ValueError, match=r"more than once: Inf2\.xlarge"):
        merge_prices(results, prices)


def test_merge_prices_can_be_told_a_table_is_partly_priced() -> None:
    results = pd.DataFrame({"Inst. Type": ["Inf2.xlarge", "G5.12xlarge"]})
    prices = pd.DataFrame({"Inst. Type": ["Inf2.xlarge"], "On-Demand hourly rate": [0.76]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        merged = merge_prices(results, prices, warn=False)
    assert merged["On-Demand hourly rate"].isna().tolist() == [False, True]
