# Parameters: `instance` (required), `column` (optional).
frame = pd.read_csv(csv)
df = frame[frame["Inst. Type"] == instance].sort_values(column, ascending=False)
