# The guidellm runs of one load mode, with their cost per 1M output tokens.
# Parameters: mode ("synchronous", "constant@0.85" or "throughput").
results = pd.read_csv("../../data/guidellm_llama31_8b_inf2_48xlarge.csv")
prices = pd.read_csv("../../data/inf2_instance_prices.csv")
df = merge_prices(results[results["Mode"] == mode], prices)
df["Cost per 1M tokens (USD)"] = cost_per_million(
    df["On-Demand hourly rate"], df["Output Throughput (tokens/second)"]
)
df = df[
    [
        "Engine",
        "Input Tokens (mean)",
        "Output Tokens (mean)",
        "TTFT P50 (ms)",
        "TTFT P99 (ms)",
        "Inter-Token Latency P50 (ms)",
        "Inter-Token Latency P99 (ms)",
        "Request Latency Mean (s)",
        "Output Throughput (tokens/second)",
        "Requests per Minute",
        "Cost per 1M tokens (USD)",
    ]
].sort_values("Cost per 1M tokens (USD)")
