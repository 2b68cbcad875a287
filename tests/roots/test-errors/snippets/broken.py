# A snippet file: the page passes `path` as a parameter.
df = pd.read_csv(path)
df["x"] = 1 / 0
