extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
project = "dftable highlight"
latex_documents = [("index", "highlight.tex", "dftable highlight", "tests", "manual")]
