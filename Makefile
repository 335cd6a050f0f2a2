# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
# Debian packages are installed only when missing; CI runs as root, others get sudo.
APT_INSTALL = $(SUDO) apt-get update && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

.PHONY: serve build test lint tools clean

# Debian's python3 has no venv (ensurepip) without python3-venv.
$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { $(APT_INSTALL) python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	touch $@

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: $(BIN)/.installed
	$(BIN)/mkdocs build --strict

# Programs the tests run, as program=Debian package: Chromium, which Playwright drives (it
# downloads no browser), and Node, which runs the search worker against the Python core.
TOOLS := chromium=chromium node=nodejs
tools:
	@missing="$$(for tool in $(TOOLS); do command -v $${tool%%=*} >/dev/null || echo $${tool#*=}; done)"; \
	if [ -n "$$missing" ]; then echo "Ставлю из Debian: $$missing"; $(APT_INSTALL) $$missing; fi

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/.installed tools lint
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
