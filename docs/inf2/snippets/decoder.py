# One row group of the decoder-layout results, with its cost per 1M output tokens.
# Parameters: application ("Batch" or "Real Time").
results = pd.read_csv("../../data/decoder_llama31_8b_inf2_48xlarge.csv")
prices = pd.read_csv("../../data/inf2_instance_prices.csv")
df = merge_prices(results[results["Application Type"] == application], prices)
df["Cost per 1M tokens (USD)"] = cost_per_million(
    df["On-Demand hourly rate"], df["Output Token Throughput (tokens/sec)"]
)
df = df[
    [
        "Model",
        "Framework",
        "Inst. Type",
        "Output Token Throughput (tokens/sec)",
        "TTFT Latency P50 (ms)",
        "TTFT Latency P99 (ms)",
        "TPOT Latency P50 (ms)",
        "TPOT Latency P99 (ms)",
        "Cost per 1M tokens (USD)",
        "Application Type",
        "TP Degree",
        "DP Degree",
        "Batch Size",
        "Sequence Length",
        "Input Length",
        "Output Length",
    ]
].sort_values(["Model", "Cost per 1M tokens (USD)"])
