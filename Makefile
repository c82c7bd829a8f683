# Hana: `make run` serves the portal on the embedded default; `make test` runs lint and the suite.
# Both create the virtual environment and install what they need on the first run.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Absolute links (emails, the inbox, calendar files) point at the server `make run` starts, unless the
# environment names another address.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test fuzz lint browser wrk bench topology lock install install-dev migrate demo messages clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - install, migrate, load demo data, print demo accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install dev dependencies, lint (ruff, the import layers), check migrations, run the suite"
	@echo "make fuzz   - a long schemathesis run of the API against its OpenAPI schema (FUZZ_EXAMPLES=$(FUZZ_EXAMPLES))"
	@echo "make bench  - city-scale benchmarks and gunicorn throughput (set DATABASE_URL to Postgres for real figures)"
	@echo "make topology - the production topology under faults (needs PostgreSQL and Redis)"
	@echo "make lock   - re-resolve constraints.txt after changing a pin in pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Every install takes its versions from constraints.txt (the lock: direct and transitive pins, made by
# `make lock`), so a clone, CI and the Docker image run the same packages. The stamp files re-run pip
# only when pyproject.toml or the lock changes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

# Re-resolve the lock after changing a pin in pyproject.toml: a clean virtual environment gets the
# project with its dev extras, and what it holds (minus Hana itself) becomes constraints.txt.
LOCK_VENV := var/lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet ".[dev]"
	rm -rf build
	{ echo "# The lock: every package Hana and its dev tools install, pinned. Made by \`make lock\`; do not edit."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable | grep -iv '^hana'; } > constraints.txt
	rm -rf $(LOCK_VENV)

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "Serving Hana on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint browser
	$(PY) -m pytest -n auto

# The API against its OpenAPI schema (tests/portal/test_api_fuzz.py), with many more examples per operation
# than the suite's run, drawn afresh each time. FUZZ_EXAMPLES=2000 make fuzz for a longer one.
FUZZ_EXAMPLES ?= 300
fuzz: install-dev
	HANA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HANA_FUZZ_RANDOM=1 $(PY) -m pytest -n auto -m fuzz -p no:cacheprovider tests/portal/test_api_fuzz.py

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

# Best effort, like `browser`: the throughput rows of the bench drive gunicorn with wrk. Installed only
# when running as root and it is missing; otherwise a note, and the bench skips those rows with its reason.
wrk:
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing wrk for the bench's throughput rows..."; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
			|| echo "Note: could not install wrk; the bench's throughput rows will be skipped."; \
	else \
		echo "Note: wrk is not installed (as root: apt-get install wrk); the bench's throughput rows will be skipped."; \
	fi

bench: install-dev wrk
	$(PY) -m bench $(BENCH_ARGS)

# The production topology under faults (.ci/topology.py): a production install, two gunicorn nodes, a
# Celery worker and beat, S3 (moto), on this machine's PostgreSQL and Redis. TOPOLOGY_ARGS="--kills 5".
topology: install-dev
	$(PY) .ci/topology.py $(TOPOLOGY_ARGS)

# Regenerate the Korean catalogue after changing user-facing strings (needs GNU gettext).
messages: install-dev
	$(PY) manage.py makemessages -l ko --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l ko --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
