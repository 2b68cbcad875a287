df = pd.read_csv(csv)
df = df[df["Model"] == model]
