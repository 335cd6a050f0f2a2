# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test lint browser clean

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
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

# Maintainer commands (`$(BIN)/python -m kb --help`):
#   make import FILE="Диагностика проблем.md" [OUT=docs/regulations/diagnostics.yml]
#   make export FILE=docs/regulations/x.yml [OUT=x.md]
#   make validate [FILE="docs/regulations/a.yml docs/regulations/b.yml"]
#   make new TITLE="Название регламента"
.PHONY: import export validate new

import: $(BIN)/.installed
	$(if $(FILE),,$(error укажите файл: make import FILE=регламент.md))
	$(BIN)/python -m kb import "$(FILE)" $(if $(OUT),-o "$(OUT)")

export: $(BIN)/.installed
	$(if $(FILE),,$(error укажите файл: make export FILE=docs/regulations/имя.yml))
	$(BIN)/python -m kb export "$(FILE)" $(if $(OUT),-o "$(OUT)")

validate: $(BIN)/.installed
	$(BIN)/python -m kb validate $(FILE)

new: $(BIN)/.installed
	$(if $(TITLE),,$(error укажите название: make new TITLE="Название регламента"))
	$(BIN)/python -m kb new "$(TITLE)"
