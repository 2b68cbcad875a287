df = pd.read_csv('data/good.csv')
if True
    x = 1
