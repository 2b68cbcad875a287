# Model pages generated from data, as the Neuron docs make them: a YAML file of models'
# benchmark blocks, a Jinja template of tab-sets whose df-tables build their frames from
# the data put into them. tests/test_datatemplates.py builds it, then breaks it.
extensions = ["sphinx_design", "sphinxcontrib.datatemplates", "sphinx_dftable"]
templates_path = ["_templates"]
exclude_patterns = ["_build"]
