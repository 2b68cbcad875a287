extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
