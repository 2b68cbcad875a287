extensions = ["myst_parser", "sphinx_dftable"]
exclude_patterns = ["_build"]
project = "dftable compare"
latex_documents = [("index", "compare.tex", "dftable compare", "tests", "manual")]
man_pages = [("index", "compare", "dftable compare", ["tests"], 1)]
