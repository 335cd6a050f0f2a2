# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint browser clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

# Browser tests drive Debian's Chromium; nothing is downloaded by Playwright.
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; }

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/.installed browser lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site .pytest_cache
