extensions = ["myst_parser", "sphinx_dftable"]
exclude_patterns = ["_build"]
