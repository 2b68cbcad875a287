# `make docs` and `make test` work on a fresh machine with Python 3 and make. Both use
# .venv: `make docs` installs only what the docs build needs (.[docs]), `make test` the
# rest (.[dev]: linters, mypy, nox); each installs again when pyproject.toml changes, and
# either can run first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DOCS_STAMP := $(VENV)/.docs-installed
DEV_STAMP := $(VENV)/.dev-installed
SPHINXOPTS ?=
NOXFLAGS ?=

.PHONY: docs test lint typecheck nox pytest bench clean

# A current pip: the one a venv starts with installs the same set markedly slower from
# an empty cache. Where python3's own pip can install into another environment (pip 22.3
# and newer: --python), the venv starts without pip and that pip puts a current one in:
# ensurepip unpacks and byte-compiles a pip only to replace it, about a third of the
# set-up's time. Otherwise (no pip beside python3, or an older one), the usual way.
$(BIN)/python:
	@if $(PYTHON) -m venv --without-pip $(VENV) && \
	  $(PYTHON) -m pip --python $(BIN)/python install --quiet --no-compile --upgrade pip \
	    >/dev/null 2>&1; then echo "$(VENV): pip installed by $(PYTHON) -m pip"; \
	else rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && \
	  $(BIN)/python -m pip install --quiet --upgrade pip; fi

# --no-compile: Python compiles the modules a build imports when it imports them; byte-
# compiling every installed module up front was most of this step's CPU time.
$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-compile -e ".[docs]"
	touch $@

# .[dev] holds .[docs], so it stamps both.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(BIN)/sphinx-build -W --keep-going -n -b html $(SPHINXOPTS) docs docs/_build/html

# The README's test command: linters and mypy in .venv, then the whole suite on both ends
# of the supported stack (noxfile.py: tests-oldest, tests-newest).
test: lint typecheck nox

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Each session's pytest summary is repeated at the end, where CI reads the last one.
nox: $(DEV_STAMP)
	@status=0; set -o pipefail; \
	$(BIN)/nox $(NOXFLAGS) 2>&1 | tee $(VENV)/nox.log || status=$$?; \
	echo; grep -E '^nox > Running session |^=+ .*( in [0-9.]+s| no tests ran).* =+$$' \
	  $(VENV)/nox.log || true; \
	exit $$status

# The suite once, quickly, in .venv (the newest stack on $(PYTHON)).
pytest: $(DEV_STAMP)
	$(BIN)/pytest

bench: $(DOCS_STAMP)
	$(BIN)/python bench/bench_table_build.py
	$(BIN)/python bench/bench_chart_build.py
	$(BIN)/python bench/bench_chart_draw.py
	$(BIN)/python bench/bench_site_rebuild.py

clean:
	rm -rf docs/_build bench/_out .pytest_cache .mypy_cache .ruff_cache
