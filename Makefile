# Hana: `make run` serves the portal on the embedded default; `make test` runs lint and the suite.
# Both create the virtual environment and install what they need on the first run.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint browser bench install install-dev migrate demo messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - install, migrate, load demo data, print demo accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install dev dependencies, lint (ruff, the import layers), check migrations, run the suite"
	@echo "make bench  - city-scale benchmarks (set DATABASE_URL to Postgres for real figures)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The stamp files re-run pip only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving Hana on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint browser
	$(PY) -m pytest -n auto

# Best effort: the browser test needs Debian's chromium. Installed only when running as root and it is
# missing; otherwise a note, and the browser test skips with its reason. Never fails the target.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing chromium for the browser test..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } \
			|| echo "Note: could not install chromium; the browser test will be skipped."; \
	else \
		echo "Note: chromium is not installed (as root: apt-get install chromium fonts-noto-cjk); the browser test will be skipped."; \
	fi

bench: install-dev
	$(PY) -m bench $(BENCH_ARGS)

# Regenerate the Korean catalogue after changing user-facing strings (needs GNU gettext).
messages: install-dev
	$(PY) manage.py makemessages -l ko --no-obsolete --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l ko --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
