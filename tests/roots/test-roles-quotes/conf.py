extensions = ["sphinx_design", "sphinx_dftable"]
exclude_patterns = ["_build"]
man_pages = [("index", "quotes", "Quotes in cells", [], 1)]
latex_documents = [("index", "quotes.tex", "Quotes in cells", "", "howto")]
