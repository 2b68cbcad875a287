df = pd.DataFrame({'City': ['Café']})
