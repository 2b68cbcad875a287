extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
dftable_formats = {"Throughput (tokens/second)": "{:,.1f}"}
