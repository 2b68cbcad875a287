# `make docs` and `make test` work on a fresh machine with Python 3 and make:
# each sets up .venv on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SPHINXOPTS ?=

.PHONY: docs test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -n -b html $(SPHINXOPTS) docs docs/_build/html

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_table_build.py
	$(BIN)/python bench/bench_chart_build.py
	$(BIN)/python bench/bench_site_rebuild.py

clean:
	rm -rf docs/_build bench/_out .pytest_cache .mypy_cache .ruff_cache
