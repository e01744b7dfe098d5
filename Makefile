# Hotline — two commands get a newcomer going: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test lint screenshots bench chaos demo clean help

help:
	@echo "make run          create .venv, install, start the server (SQLite, bundled scenarios)"
	@echo "make test         create .venv, install with test extras, run the whole suite and the fan-out guard"
	@echo "make lint         ruff and mypy"
	@echo "make screenshots  save a PNG of each console into screenshots/ and refresh the README's pictures"
	@echo "make bench        run the benchmarks (fan-out, scoring, report, scale-out on PostgreSQL and Redis)"
	@echo "make chaos        SIGKILL a running server at random moments and check nothing was lost"
	@echo "make demo         play a scenario with two bot teams"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Hotline needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/hotline serve

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n 2
	$(BIN)/python bench/fanout.py --guard

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench
	$(BIN)/mypy

screenshots: $(VENV)/.installed-test
	$(BIN)/python -m tests.browser.screenshots --readme docs/images

bench: $(VENV)/.installed-test
	$(BIN)/python bench/fanout.py
	$(BIN)/python bench/storms.py
	$(BIN)/python bench/append.py
	$(BIN)/python bench/live_scoring.py
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/scaleout.py
	$(BIN)/python bench/metrics_cost.py

chaos: $(VENV)/.installed-test
	$(BIN)/python bench/chaos.py

demo: $(VENV)/.installed
	$(BIN)/hotline demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache screenshots demo-out
