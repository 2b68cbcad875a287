"""Checks of the benchmark CSVs in data/ and of their documentation in data/README.md.

No Sphinx needed: these tests read the files with pandas only.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
README = DATA / "README.md"

PRICE = ["Inst. Type", "On-Demand hourly rate"]
SERVING_SWEEP = [
    "Model",
    "Engine",
    "Inst. Type",
    "Tool",
    "Mode",
    "Concurrency",
    "Input Tokens (mean)",
    "Output Tokens (mean)",
    "TTFT P50 (ms)",
    "TTFT P99 (ms)",
    "Inter-Token Latency P50 (ms)",
    "Inter-Token Latency P99 (ms)",
    "Request Latency Mean (s)",
    "Output Throughput (tokens/second)",
    "Requests per Minute",
    "Errors",
    "Error Rate",
]
PRICE_PERFORMANCE = [
    "Model",
    "Inst. Type",
    "Dataset",
    "Concurrency",
    "Prompt Tokens (mean)",
    "Completion Tokens (mean)",
    "Latency Mean (s)",
    "Transactions per Minute",
    "Error Rate",
]
DECODER = [
    "Model",
    "Scripts",
    "Framework",
    "Inst. Type",
    "Task",
    "Output Token Throughput (tokens/sec)",
    "TTFT Latency P50 (ms)",
    "TTFT Latency P99 (ms)",
    "TPOT Latency P50 (ms)",
    "TPOT Latency P99 (ms)",
    "Application Type",
    "Neuron Version",
    "Run Mode",
    "TP Degree",
    "DP Degree",
    "Batch Size",
    "Sequence Length",
    "Input Length",
    "Output Length",
    "Model Data Type",
    "Compilation Autocast Data Type",
]

LAYOUTS: dict[str, list[str]] = {
    "price": PRICE,
    "serving-sweep": SERVING_SWEEP,
    "price-performance": PRICE_PERFORMANCE,
    "decoder": DECODER,
}

NUMERIC: dict[str, list[str]] = {
    "price": ["On-Demand hourly rate"],
    "serving-sweep": SERVING_SWEEP[5:],
    "price-performance": PRICE_PERFORMANCE[3:],
    "decoder": [
        "Output Token Throughput (tokens/sec)",
        "TTFT Latency P50 (ms)",
        "TTFT Latency P99 (ms)",
        "TPOT Latency P50 (ms)",
        "TPOT Latency P99 (ms)",
        "TP Degree",
        "DP Degree",
        "Batch Size",
        "Sequence Length",
        "Input Length",
        "Output Length",
    ],
}

KEYS: dict[str, list[str]] = {
    "price": ["Inst. Type"],
    "serving-sweep": ["Model", "Engine", "Inst. Type", "Tool", "Mode", "Concurrency"],
    "price-performance": ["Model", "Inst. Type", "Dataset", "Concurrency"],
    "decoder": [
        "Model",
        "Framework",
        "Inst. Type",
        "Task",
        "Application Type",
        "TP Degree",
        "DP Degree",
        "Batch Size",
        "Sequence Length",
        "Input Length",
        "Output Length",
    ],
}

# Columns that must be filled in every row (the rest may be empty where a report is silent).
REQUIRED: dict[str, list[str]] = {
    "price": PRICE,
    "serving-sweep": ["Model", "Engine", "Inst. Type", "Tool", "Mode"],
    "price-performance": ["Model", "Inst. Type", "Dataset", "Concurrency"],
    "decoder": ["Model", "Inst. Type", "Application Type"],
}

# The files this project ships, with their layout and row count.
EXPECTED_FILES: dict[str, tuple[str, int]] = {
    "inf2_instance_prices.csv": ("price", 4),
    "sagemaker_instance_prices.csv": ("price", 1),
    "llmperf_llama3_8b_inf2_xlarge.csv": ("serving-sweep", 5),
    "guidellm_llama31_8b_inf2_48xlarge.csv": ("serving-sweep", 5),
    "fmbench_llama2_13b.csv": ("price-performance", 30),
    "decoder_llama31_8b_inf2_48xlarge.csv": ("decoder", 2),
}

# Results measured on EC2 instances: their prices come from the EC2 price file.
EC2_RESULTS = [
    "llmperf_llama3_8b_inf2_xlarge.csv",
    "guidellm_llama31_8b_inf2_48xlarge.csv",
    "decoder_llama31_8b_inf2_48xlarge.csv",
]

# The docs' spelling: capitalised family, no SageMaker "ml." prefix (Inf2.48xlarge, P4d.24xlarge).
INSTANCE_TYPE = re.compile(r"^[A-Z][a-z0-9]*\.(?:\d*xlarge|large|medium|metal)$")

# Layout file names of the 2023 Inf2 page for which no report has figures.
NO_FIGURES = [
    "throughput_data_language.csv",
    "latency_data_language.csv",
    "throughput_data_vision.csv",
    "latency_data_vision.csv",
    "throughput_data_LLM.csv",
    "latency_data_LLM.csv",
]

ALL_CSVS = sorted(p.name for p in DATA.glob("*.csv"))


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name)


def layout_of(name: str) -> str:
    header = list(pd.read_csv(DATA / name, nrows=0).columns)
    matches = [layout for layout, cols in LAYOUTS.items() if cols == header]
    assert len(matches) == 1, f"{name}: header matches no known layout: {header}"
    return matches[0]


def readme_section(filename: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"### `{filename}`")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def one_row(df: pd.DataFrame, where: dict[str, object]) -> pd.Series:
    mask = pd.Series(True, index=df.index)
    for column, value in where.items():
        mask &= df[column] == value
    rows = df[mask]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return rows.iloc[0]


# --- structure --------------------------------------------------------------------------


def test_expected_files_exist_with_their_layout_and_row_count() -> None:
    for name, (layout, n_rows) in EXPECTED_FILES.items():
        assert (DATA / name).is_file(), name
        assert layout_of(name) == layout, name
        assert len(read(name)) == n_rows, name


def test_no_tables_without_published_figures() -> None:
    for name in NO_FIGURES:
        assert not (DATA / name).exists(), f"{name}: no report gives figures for this table"


@pytest.mark.parametrize("name", ALL_CSVS)
def test_header_is_exactly_a_known_layout(name: str) -> None:
    with (DATA / name).open(encoding="utf-8") as f:
        first_line = f.readline().rstrip("\n")
    assert first_line.split(",") in LAYOUTS.values(), first_line


@pytest.mark.parametrize("name", ALL_CSVS)
def test_every_row_parses_and_has_required_cells(name: str) -> None:
    layout = layout_of(name)
    df = read(name)
    assert len(df) > 0
    for column in REQUIRED[layout]:
        assert df[column].notna().all(), f"{name}: empty {column!r}"
    # Each data line has exactly as many fields as the header (no stray commas).
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    n_fields = len(LAYOUTS[layout])
    for line in lines[1:]:
        assert len(line.split(",")) == n_fields, f"{name}: {line}"


@pytest.mark.parametrize("name", ALL_CSVS)
def test_numeric_columns_are_numeric(name: str) -> None:
    layout = layout_of(name)
    df = read(name)
    for column in NUMERIC[layout]:
        assert pd.api.types.is_numeric_dtype(df[column]), f"{name}: {column} is {df[column].dtype}"
        values = df[column].dropna()
        assert (values >= 0).all(), f"{name}: negative {column}"
        assert values.map(math.isfinite).all(), f"{name}: non-finite {column}"


@pytest.mark.parametrize("name", ALL_CSVS)
def test_instance_types_use_the_docs_spelling(name: str) -> None:
    for inst in read(name)["Inst. Type"]:
        assert INSTANCE_TYPE.match(inst), f"{name}: {inst!r}"
        assert not inst.lower().startswith("ml."), f"{name}: {inst!r}"


@pytest.mark.parametrize("name", ALL_CSVS)
def test_key_columns_are_unique(name: str) -> None:
    df = read(name)
    keys = KEYS[layout_of(name)]
    duplicated = df[df.duplicated(subset=keys, keep=False)]
    assert duplicated.empty, f"{name}: duplicate keys\n{duplicated[keys]}"


@pytest.mark.parametrize("name", ALL_CSVS)
def test_percentiles_and_rates_are_consistent(name: str) -> None:
    df = read(name)
    pairs = [
        ("TTFT P50 (ms)", "TTFT P99 (ms)"),
        ("Inter-Token Latency P50 (ms)", "Inter-Token Latency P99 (ms)"),
        ("TTFT Latency P50 (ms)", "TTFT Latency P99 (ms)"),
        ("TPOT Latency P50 (ms)", "TPOT Latency P99 (ms)"),
    ]
    for p50, p99 in pairs:
        if p50 in df.columns:
            both = df[[p50, p99]].dropna()
            assert (both[p99] >= both[p50]).all(), f"{name}: {p99} < {p50}"
    if "Error Rate" in df.columns:
        rates = df["Error Rate"].dropna()
        assert ((rates >= 0) & (rates <= 1)).all(), name


# --- documentation and prices --------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_CSVS)
def test_every_file_is_documented_with_its_own_section(name: str) -> None:
    text = README.read_text(encoding="utf-8")
    assert f"`{name}`" in text
    section = readme_section(name)
    assert "Source" in section, f"README section of {name} names no source"


def test_ec2_prices_are_the_published_rates() -> None:
    prices = read("inf2_instance_prices.csv").set_index("Inst. Type")["On-Demand hourly rate"]
    assert prices.to_dict() == {
        "Inf2.xlarge": 0.7582,
        "Inf2.8xlarge": 1.9679,
        "Inf2.24xlarge": 6.4906,
        "Inf2.48xlarge": 12.9813,
    }


def test_sagemaker_prices_hold_only_the_rate_the_fmbench_report_states() -> None:
    prices = read("sagemaker_instance_prices.csv").set_index("Inst. Type")
    assert prices["On-Demand hourly rate"].to_dict() == {"Inf2.48xlarge": 15.58}


@pytest.mark.parametrize("name", EC2_RESULTS)
def test_ec2_results_have_an_ec2_price(name: str) -> None:
    priced = set(read("inf2_instance_prices.csv")["Inst. Type"])
    missing = set(read(name)["Inst. Type"]) - priced
    assert not missing, f"{name}: no EC2 price for {sorted(missing)}"
    # The docs' merge keeps every row.
    merged = read(name).merge(read("inf2_instance_prices.csv"), on="Inst. Type")
    assert len(merged) == len(read(name))


def test_fmbench_instance_types_are_priced_or_documented_as_missing() -> None:
    priced = set(read("sagemaker_instance_prices.csv")["Inst. Type"])
    unpriced = set(read("fmbench_llama2_13b.csv")["Inst. Type"]) - priced
    assert unpriced == {
        "G5.12xlarge",
        "G5.24xlarge",
        "G5.48xlarge",
        "Inf2.24xlarge",
        "P4d.24xlarge",
    }
    section = readme_section("sagemaker_instance_prices.csv")
    for inst in unpriced:
        assert f"`{inst}`" in section, f"{inst} has no SageMaker price and README does not say so"


# --- published figures ------------------------------------------------------------------------


def test_llmperf_figures() -> None:
    df = read("llmperf_llama3_8b_inf2_xlarge.csv")
    assert df["Concurrency"].tolist() == [1, 2, 4, 8, 16]
    c1 = one_row(df, {"Concurrency": 1})
    assert c1["Output Throughput (tokens/second)"] == 16.23
    assert c1["TTFT P50 (ms)"] == 1001
    assert c1["Inter-Token Latency P50 (ms)"] == 52.18
    assert c1["Requests per Minute"] == 6.4
    assert one_row(df, {"Concurrency": 4})["TTFT P50 (ms)"] == 3732.78
    c16 = one_row(df, {"Concurrency": 16})
    assert c16["Output Throughput (tokens/second)"] == 142.72
    assert c16["Inter-Token Latency P50 (ms)"] == 97.17
    assert c16["Errors"] == 56
    # 56 errors out of an unstated number of requests: no rate is made up.
    assert pd.isna(c16["Error Rate"])
    assert (df.loc[df["Errors"] == 0, "Error Rate"] == 0.0).all()
    assert (df["Input Tokens (mean)"] == 550).all()
    # The report states no P99 and no mean request latency.
    for column in ["TTFT P99 (ms)", "Inter-Token Latency P99 (ms)", "Request Latency Mean (s)"]:
        assert df[column].isna().all(), column
    assert set(df["Engine"]) == {"TGI (neuronx-tgi 0.0.23)"}
    assert set(df["Inst. Type"]) == {"Inf2.xlarge"}


def test_llmperf_report_cost_column_is_reproduced_by_its_rate() -> None:
    # README: the report's cost per 1M tokens is 1e6 / throughput * 0.76 / 3600.
    df = read("llmperf_llama3_8b_inf2_xlarge.csv").set_index("Concurrency")
    published = {1: 13.01, 2: 7.23, 4: 4.39, 8: 2.93, 16: 1.48}
    for concurrency, cost in published.items():
        throughput = df.loc[concurrency, "Output Throughput (tokens/second)"]
        assert round(1e6 / throughput * 0.76 / 3600, 2) == cost


def test_guidellm_tgi_figures() -> None:
    df = read("guidellm_llama31_8b_inf2_48xlarge.csv")
    tgi = df[df["Engine"] == "TGI (text-generation-inference:latest-neuron)"]
    assert set(tgi["Mode"]) == {"synchronous", "constant@0.85", "throughput"}
    sync = one_row(tgi, {"Mode": "synchronous"})
    assert sync["Concurrency"] == 1
    assert sync["TTFT P50 (ms)"] == 1589.4
    assert sync["TTFT P99 (ms)"] == 1596.4
    assert sync["Inter-Token Latency P50 (ms)"] == 29.8
    assert sync["Inter-Token Latency P99 (ms)"] == 36.5
    assert sync["Request Latency Mean (s)"] == 10.32
    assert sync["Output Throughput (tokens/second)"] == 28.39
    assert sync["Input Tokens (mean)"] == 15902.82
    assert sync["Output Tokens (mean)"] == 293.09
    # 1585.08 ms is the published *mean* TTFT: it must not sit in a percentile column.
    assert 1585.08 not in set(df["TTFT P50 (ms)"].dropna())
    constant = one_row(tgi, {"Mode": "constant@0.85"})
    assert pd.isna(constant["Concurrency"])
    assert constant["TTFT P99 (ms)"] == 5345.6
    assert constant["Output Throughput (tokens/second)"] == 221.75
    throughput = one_row(tgi, {"Mode": "throughput"})
    assert pd.isna(throughput["Concurrency"])
    assert throughput["TTFT P50 (ms)"] == 23333.5
    assert throughput["TTFT P99 (ms)"] == 51276.9
    assert throughput["Inter-Token Latency P99 (ms)"] == 1604.6
    assert throughput["Request Latency Mean (s)"] == 43.78
    assert throughput["Output Throughput (tokens/second)"] == 249.64
    assert (tgi["Errors"] == 0).all()
    assert (tgi["Error Rate"] == 0.0).all()


def test_guidellm_requests_per_minute_follow_the_readme_formula() -> None:
    # README: Requests per Minute = 60 x published requests per second (vLLM rows: rounded to 2).
    df = read("guidellm_llama31_8b_inf2_48xlarge.csv")
    published_rps = {
        ("TGI (text-generation-inference:latest-neuron)", "synchronous"): 0.10,
        ("TGI (text-generation-inference:latest-neuron)", "constant@0.85"): 0.77,
        ("TGI (text-generation-inference:latest-neuron)", "throughput"): 0.85,
        ("vLLM (optimum-neuron)", "synchronous"): 0.09304205307708972,
        ("vLLM (optimum-neuron)", "throughput"): 0.857901330416405,
    }
    assert len(df) == len(published_rps)
    for (engine, mode), rps in published_rps.items():
        row = one_row(df, {"Engine": engine, "Mode": mode})
        assert row["Requests per Minute"] == pytest.approx(round(60 * rps, 2), abs=1e-9)


def test_guidellm_vllm_rows_hold_only_published_figures() -> None:
    df = read("guidellm_llama31_8b_inf2_48xlarge.csv")
    vllm = df[df["Engine"] == "vLLM (optimum-neuron)"]
    assert set(vllm["Model"]) == {"meta-llama/Llama-3.1-8B-Instruct"}
    sync = one_row(vllm, {"Mode": "synchronous"})
    assert sync["Output Throughput (tokens/second)"] == 20.080166727728272
    assert sync["Request Latency Mean (s)"] == 10.747336929494685
    throughput = one_row(vllm, {"Mode": "throughput"})
    assert throughput["Output Throughput (tokens/second)"] == 176.99284356790815
    assert throughput["Request Latency Mean (s)"] == 29.476369602029973
    # Its TTFT and ITL figures are means: no percentile column may hold them.
    for column in [
        "TTFT P50 (ms)",
        "TTFT P99 (ms)",
        "Inter-Token Latency P50 (ms)",
        "Inter-Token Latency P99 (ms)",
        "Input Tokens (mean)",
        "Output Tokens (mean)",
        "Errors",
        "Error Rate",
    ]:
        assert vllm[column].isna().all(), column


def test_fmbench_figures() -> None:
    df = read("fmbench_llama2_13b.csv")
    assert set(df["Model"]) == {"Llama2-13b"}
    per_instance = df[df["Concurrency"] == 4]
    assert len(per_instance) == 29
    assert per_instance.groupby("Inst. Type").size().to_dict() == {
        "G5.12xlarge": 5,
        "G5.24xlarge": 5,
        "G5.48xlarge": 5,
        "Inf2.24xlarge": 4,
        "Inf2.48xlarge": 5,
        "P4d.24xlarge": 5,
    }
    # The report has no en_3000-4000 result for ml.inf2.24xlarge.
    assert "en_3000-4000" not in set(df.loc[df["Inst. Type"] == "Inf2.24xlarge", "Dataset"])
    assert set(df["Dataset"]) == {
        "en_1-500",
        "en_500-1000",
        "en_1000-2000",
        "en_2000-3000",
        "en_3000-4000",
    }
    row = one_row(df, {"Inst. Type": "Inf2.48xlarge", "Dataset": "en_3000-4000", "Concurrency": 4})
    assert row["Latency Mean (s)"] == 9.34
    assert row["Transactions per Minute"] == 23
    assert row["Completion Tokens (mean)"] == 59
    p4d = one_row(df, {"Inst. Type": "P4d.24xlarge", "Dataset": "en_1-500", "Concurrency": 4})
    assert p4d["Transactions per Minute"] == 321
    assert p4d["Latency Mean (s)"] == 0.68
    g5 = one_row(df, {"Inst. Type": "G5.12xlarge", "Dataset": "en_3000-4000", "Concurrency": 4})
    assert g5["Latency Mean (s)"] == 9.0
    assert g5["Prompt Tokens (mean)"] == 3468
    # Summary row: concurrency 2 on inf2.48xlarge, the only one with a stated error rate.
    summary = one_row(
        df, {"Inst. Type": "Inf2.48xlarge", "Dataset": "en_3000-4000", "Concurrency": 2}
    )
    assert summary["Prompt Tokens (mean)"] == 3474
    assert summary["Completion Tokens (mean)"] == 29
    assert summary["Latency Mean (s)"] == 1.9
    assert summary["Transactions per Minute"] == 58
    assert summary["Error Rate"] == 0.0
    assert df["Error Rate"].notna().sum() == 1


def test_fmbench_summary_price_per_transaction_is_reproduced() -> None:
    # Report: price_per_hour 15.58, transactions_per_minute 58, price_per_txn 0.0045.
    rate = read("sagemaker_instance_prices.csv").set_index("Inst. Type").loc["Inf2.48xlarge"]
    df = read("fmbench_llama2_13b.csv")
    summary = one_row(
        df, {"Inst. Type": "Inf2.48xlarge", "Dataset": "en_3000-4000", "Concurrency": 2}
    )
    per_txn = rate["On-Demand hourly rate"] / 60 / summary["Transactions per Minute"]
    assert round(per_txn, 4) == 0.0045


def test_decoder_rows_match_the_guidellm_rows_they_come_from() -> None:
    decoder = read("decoder_llama31_8b_inf2_48xlarge.csv")
    sweep = read("guidellm_llama31_8b_inf2_48xlarge.csv")
    sweep = sweep[sweep["Engine"] == "TGI (text-generation-inference:latest-neuron)"]
    assert set(decoder["Application Type"]) == {"Real Time", "Batch"}
    for app_type, mode in [("Real Time", "synchronous"), ("Batch", "throughput")]:
        d = one_row(decoder, {"Application Type": app_type})
        s = one_row(sweep, {"Mode": mode})
        assert d["Model"] == s["Model"]
        assert d["Inst. Type"] == s["Inst. Type"]
        assert d["Output Token Throughput (tokens/sec)"] == s["Output Throughput (tokens/second)"]
        assert d["TTFT Latency P50 (ms)"] == s["TTFT P50 (ms)"]
        assert d["TTFT Latency P99 (ms)"] == s["TTFT P99 (ms)"]
        assert d["TPOT Latency P50 (ms)"] == s["Inter-Token Latency P50 (ms)"]
        assert d["TPOT Latency P99 (ms)"] == s["Inter-Token Latency P99 (ms)"]
    batch = one_row(decoder, {"Application Type": "Batch"})
    assert batch["TTFT Latency P50 (ms)"] == 23333.5
    assert batch["TPOT Latency P99 (ms)"] == 1604.6
    assert (decoder["TP Degree"] == 8).all()
    assert (decoder["DP Degree"] == 3).all()
    assert (decoder["Batch Size"] == 8).all()
    assert (decoder["Sequence Length"] == 16512).all()
    # The guide does not state these: they stay empty.
    for column in ["Scripts", "Neuron Version", "Run Mode", "Model Data Type"]:
        assert decoder[column].isna().all(), column
    assert decoder["Compilation Autocast Data Type"].isna().all()
