"""data/ is in the collector's layouts: each results file is one a built-in schema writes."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sphinx_dftable.collect.schema import BUILTIN_SCHEMAS

DATA = Path(__file__).resolve().parents[2] / "data"
RESULT_FILES = {
    "llmperf_llama3_8b_inf2_xlarge.csv": "serving-sweep",
    "guidellm_llama31_8b_inf2_48xlarge.csv": "serving-sweep",
    "fmbench_llama2_13b.csv": "price-performance",
    "decoder_llama31_8b_inf2_48xlarge.csv": "decoder",
}


@pytest.mark.parametrize(("name", "schema"), sorted(RESULT_FILES.items()))
def test_results_file_has_the_schema_header(name: str, schema: str) -> None:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == BUILTIN_SCHEMAS[schema].columns


def test_every_results_file_is_covered() -> None:
    prices = {"inf2_instance_prices.csv", "sagemaker_instance_prices.csv"}
    assert {p.name for p in DATA.glob("*.csv")} == set(RESULT_FILES) | prices
