extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
project = "dftable compare chart"
latex_documents = [("index", "comparechart.tex", "dftable compare chart", "tests", "manual")]
man_pages = [("index", "comparechart", "dftable compare chart", ["tests"], 1)]
