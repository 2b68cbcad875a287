# One site, built once per theme: sphinx-build -D html_theme=<theme>.
extensions = ["sphinx_design", "sphinx_dftable"]
exclude_patterns = ["_build"]
numfig = True
project = "Wide tables"
html_theme = "alabaster"
dftable_formats = {"Cost per 1M tokens (USD)": "${:,.3f}"}
