# A snippet file whose last assignment of df is not a DataFrame.
df = pd.read_csv('data/good.csv')
df = (
    df[column].sum() * scale
)
unit = 'tokens/s'
