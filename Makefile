# ehalsa_analys — `make report` and `make test` are all a newcomer needs.
# Everything runs inside .venv, created here from pyproject.toml (pinned by constraints.txt).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The suite in as many processes as there are cores (pytest-xdist), a test file to each, so a
# module's fixtures are built once; PYTEST_ARGS="-n0" runs it in this process alone.
PYTEST_ARGS ?= -n auto --dist loadfile

.DEFAULT_GOAL := help
.PHONY: help install report test bench demo-data lint notebooks clean

## Show this help
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_-]+:/{if(doc){split($$1,t,":"); printf "  make %-10s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

## Create .venv and install the package with its pinned dependencies
install: $(STAMP)

## Build the report: demo data when data/raw has none, then figures and report
report: $(STAMP)
	$(BIN)/ehalsa report

## Run the whole test suite
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Run the benchmarks (prints ratios against peer implementations and peak memory)
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## Write the synthetic demo data to data/raw/demo
demo-data: $(STAMP)
	$(BIN)/ehalsa demo

## Lint the code and the notebooks' scripts with ruff
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks

## Sync each notebooks/*.py (the source) into its paired .ipynb, outputs stripped
notebooks: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

## Remove generated outputs (never data/raw)
clean:
	rm -rf data/processed/* figures/* reports/ .pytest_cache
	@touch data/processed/.gitkeep figures/.gitkeep
