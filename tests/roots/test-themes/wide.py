# A made-up table of the Inf2 performance page's shape: 21 columns, ``rows`` rows
# (seeded, the same on every build). Parameters: rows, application.
rng = np.random.default_rng(12)
models = ["Llama 3.1 8B Instruct", "Llama 3.1 70B Instruct", "Mistral 7B Instruct v0.3",
          "Qwen2.5 14B Instruct"]
instances = {"Inf2.xlarge": 0.7582, "Inf2.8xlarge": 1.9679, "Inf2.24xlarge": 6.4906,
             "Inf2.48xlarge": 12.9813}
n = rows
inst = rng.choice(list(instances), n)
throughput = rng.uniform(40, 4000, n).round(2)
ttft = rng.uniform(20, 9000, n).round(1)
tpot = rng.uniform(4, 80, n).round(2)
rate = pd.Series(inst).map(instances)
df = pd.DataFrame({
    "Model": rng.choice(models, n),
    "Scripts": "vllm-benchmark",
    "Framework": rng.choice(["vLLM", "TGI", "NxD Inference"], n),
    "Inst. Type": inst,
    "Task": "Text Generation",
    "Output Token Throughput (tokens/sec)": throughput,
    "TTFT Latency P50 (ms)": ttft,
    "TTFT Latency P99 (ms)": (ttft * rng.uniform(1.1, 2.5, n)).round(1),
    "TPOT Latency P50 (ms)": tpot,
    "TPOT Latency P99 (ms)": (tpot * rng.uniform(1.1, 1.8, n)).round(2),
    "Cost per 1M tokens (USD)": cost_per_million(rate, throughput),
    "Application Type": application,
    "Neuron Version": rng.choice(["2.20.0", "2.21.1"], n),
    "Run Mode": "Data Parallel",
    "TP Degree": rng.choice([2, 8, 24], n),
    "DP Degree": rng.choice([1, 2, 3], n),
    "Batch Size": rng.choice([1, 4, 8, 16, 32], n),
    "Sequence Length": rng.choice([4096, 8192], n),
    "Input Length": rng.choice([128, 1024, 2048], n),
    "Output Length": rng.choice([128, 512], n),
    "Model Data Type": rng.choice(["BF16", "FP8"], n),
})
