extensions = ["sphinx_design", "myst_parser", "sphinx_dftable", "sphinx.ext.extlinks"]
exclude_patterns = ["_build"]
numfig = True
extlinks = {"issue": ("https://github.com/aws-neuron/aws-neuron-sdk/issues/%s", "issue %s")}
