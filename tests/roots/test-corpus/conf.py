# One page per bad-input case; tests/test_corpus.py holds the expected outcome of each.
extensions = ["myst_parser", "sphinx_design", "sphinx_dftable"]
exclude_patterns = ["_build", "data", "inc", "snippets"]
myst_enable_extensions = ["colon_fence"]
