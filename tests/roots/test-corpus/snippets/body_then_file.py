# A snippet file: the path is the page's, as for the body.
df = pd.read_csv('data/good.csv')
df = df.sort_values('Model')
df['x'] = df['Nope']
