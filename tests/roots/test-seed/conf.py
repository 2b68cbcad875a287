extensions = ["sphinx_design", "sphinx_dftable"]
exclude_patterns = ["_build"]
