# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
# Debian packages are installed only when missing; CI runs as root, others get sudo.
APT_INSTALL = $(SUDO) apt-get update && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

.PHONY: serve build serve-prod test lint tools clean lighthouse bench-corpus bench-build \
	bench-search bench-load

# Debian's python3 has no venv (ensurepip) without python3-venv. Our code is compiled as pip
# compiles every package it installs (not an editable one), for starts that may not write it.
$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || { $(APT_INSTALL) python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --no-deps -e .
	$(BIN)/python -m compileall -q kb hooks
	touch $@

# The dev server, rebuilding on every save (`make serve PORT=8001` for another port). A broken
# file shows its message in the browser and the terminal (hooks/kb_hooks.py: _stop).
serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:$(or $(PORT),8000)

# Atomic: --strict into a temporary folder beside site/, swapped in only when the build passed.
build: $(BIN)/.installed
	$(BIN)/python -m kb.publish build

# The built site under Debian's nginx with the production rules (deploy/nginx/kb.conf); PORT=…
serve-prod: build
	@$(MAKE) --no-print-directory tools TOOLS=nginx=nginx
	$(BIN)/python -m kb.publish serve --port $(or $(PORT),8080)

# Programs the tests run, as program=Debian package: Chromium, which Playwright drives (it
# downloads no browser), Node, which runs the search worker against the Python core, and
# nginx, which serves the built site with the production rules. (Debian puts nginx in
# /usr/sbin, off an ordinary user's PATH.)
TOOLS := chromium=chromium node=nodejs nginx=nginx
tools:
	@missing="$$(for tool in $(TOOLS); do PATH="$$PATH:/usr/sbin:/sbin" command -v $${tool%%=*} >/dev/null || echo $${tool#*=}; done)"; \
	if [ -n "$$missing" ]; then echo "Ставлю из Debian: $$missing"; $(APT_INSTALL) $$missing; fi

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(BIN)/.installed tools lint
	$(BIN)/pytest

# Lighthouse (pinned; 13.x wants Node 22) in a project folder, run with Debian's Chromium on a
# regulation page and its work page served by nginx; prints the scores, fails below 95/100/100.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := .lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	@$(MAKE) --no-print-directory tools TOOLS="node=nodejs npm=npm"
	npm install --prefix .lighthouse --no-audit --no-fund --save-exact lighthouse@$(LIGHTHOUSE_VERSION)

lighthouse: build $(LIGHTHOUSE)
	@$(MAKE) --no-print-directory tools TOOLS="chromium=chromium nginx=nginx"
	$(BIN)/python bench/lighthouse.py --lighthouse $(LIGHTHOUSE)
	$(BIN)/python bench/lighthouse.py --lighthouse $(LIGHTHOUSE) --page work

# The benches' regulations are made up from Debian's Russian hunspell dictionary
# (bench/corpus.py); hunspell-ru has no program, so `tools` cannot check for it: its file is.
DICTIONARY := /usr/share/hunspell/ru_RU.dic
bench-corpus:
	@test -f $(DICTIONARY) || { echo "Ставлю из Debian: hunspell-ru"; $(APT_INSTALL) hunspell-ru; }

# Build time against stock Material (bench/README.md); not a test.
bench-build: $(BIN)/.installed bench-corpus
	$(BIN)/python bench/bench_build.py

# Search index size and query time in Chromium; not a test.
bench-search: $(BIN)/.installed bench-corpus
	@$(MAKE) --no-print-directory tools TOOLS="chromium=chromium"
	$(BIN)/python bench/bench_search.py

# Requests/s and p99 latency of nginx on 127.0.0.1 (wrk from Debian); not a test.
bench-load: $(BIN)/.installed bench-corpus
	@$(MAKE) --no-print-directory tools TOOLS="nginx=nginx wrk=wrk"
	$(BIN)/python bench/bench_load.py

clean:
	rm -rf $(VENV) site .site-* .serve-prod .lighthouse .pytest_cache

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
