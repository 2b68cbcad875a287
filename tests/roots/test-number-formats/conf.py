extensions = ["sphinx_dftable"]
exclude_patterns = ["_build"]
dftable_formats = {"Requests": "{:compact}"}
