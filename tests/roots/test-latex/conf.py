extensions = ["sphinx_design", "sphinx_dftable"]
exclude_patterns = ["_build"]
project = "dftable latex"
latex_documents = [("index", "dftable.tex", "dftable latex", "tests", "manual")]
