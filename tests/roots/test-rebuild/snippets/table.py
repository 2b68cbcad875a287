df = pd.DataFrame({"from": ["snippet file"]})
