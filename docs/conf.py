"""Sphinx configuration of the sphinx-dftable documentation."""

from __future__ import annotations

import sphinx_dftable

project = "sphinx-dftable"
author = "sphinx-dftable contributors"
copyright = "2026, sphinx-dftable contributors"
version = release = sphinx_dftable.__version__

extensions = ["sphinx_design", "myst_parser", "sphinx_dftable"]
myst_enable_extensions = ["colon_fence"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "collector/examples/**", "examples/**"]
numfig = True
nitpicky = True

html_theme = "furo"
html_title = "sphinx-dftable"

# Every cost column in these docs is USD, formatted when rendered so it sorts as numbers.
dftable_formats = {
    "Cost per 1M tokens (USD)": "${:,.3f}",
    "Cost per 1M requests (USD)": "${:,.2f}",
    "Request Latency Mean (s)": "{:,.2f}",
    "Output Throughput (tokens/second)": "{:,.2f}",
}
