# FMBench's recommended run per instance type for one prompt-size dataset.
# Parameters: dataset (e.g. "en_1-500").
results = pd.read_csv("../../data/fmbench_llama2_13b.csv")
prices = pd.read_csv("../../data/sagemaker_instance_prices.csv")
rows = results[(results["Dataset"] == dataset) & (results["Concurrency"] == 4)]
# The report prices one instance type only: the others keep an empty cost, on purpose.
df = merge_prices(rows, prices, warn=False)
df["Cost per 1M requests (USD)"] = cost_per_million(
    df["On-Demand hourly rate"], df["Transactions per Minute"] / 60
)
df = df[
    [
        "Inst. Type",
        "Concurrency",
        "Prompt Tokens (mean)",
        "Completion Tokens (mean)",
        "Latency Mean (s)",
        "Transactions per Minute",
        "Cost per 1M requests (USD)",
    ]
].sort_values("Latency Mean (s)")
