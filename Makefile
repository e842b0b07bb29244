# binplp — `make demo` runs the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup system-packages demo run migrate test test-unit test-browser lint bench load clean-demo messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt ".[dev]"
	touch $@

## setup: create .venv and install the pinned dependencies, static files and the database schema
setup: $(VENV)/.installed
	mkdir -p var
	$(BIN)/python scripts/ensure-database
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) migrate --noinput -v0
	$(MANAGE) createcachetable

## system-packages: Debian packages the browser tests and PDFs need (chromium, fonts); root only
system-packages:
	bash scripts/system-packages

## demo: set up, load reference and demo data, then serve on http://$(HOST):$(PORT) with a worker (Ctrl-C stops both)
demo: setup
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo
	bash scripts/run-demo $(HOST) $(PORT)

## test: the whole suite (unit, integration, browser) on the database in DATABASE_URL (SQLite by default)
test: setup system-packages
	$(BIN)/pytest -q -m "not browser" -n 2
	$(BIN)/pytest -q -m browser

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r accounts committee config core dashboard geography members messaging networks practices training -x "*/tests/*,*/migrations/*"

## bench: hot-path benchmarks beside their baselines, on their own dataset (15,000 networks, 2,000,000 members) in
## var/bench.sqlite3, or in PostgreSQL with BENCH_DATABASE_URL=postgres://…/binplp_bench; `make bench
## BENCH_ARGS=--rebuild` rebuilds it. The HTTP load test needs wrk (installed here when root).
bench: $(VENV)/.installed
	mkdir -p var
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk; \
	  else echo "wrk is missing: install it (sudo apt-get install wrk) for the HTTP load test; it is skipped now."; fi; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## load: the production setup under load on loopback (gunicorn, 2 workers, PostgreSQL in BENCH_DATABASE_URL or
## postgres://postgres@127.0.0.1:5432/binplp_bench, design-scale data): finder, network list API and member portal by
## wrk, alone and while a 100,000-recipient alert is sent; figures in /work/notes/reliability-load.md.
## `make load LOAD_ARGS="--seconds 30 --connections 8"`. Needs wrk (installed here when root).
load: $(VENV)/.installed
	mkdir -p var
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk; \
	  else echo "wrk is missing: install it (sudo apt-get install wrk); the load test is skipped now."; fi; }
	$(BIN)/python bench/load.py $(LOAD_ARGS)

## messages: refresh the translation catalogues after changing user-facing strings
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l nl -l fr -l de -l en --no-obsolete --ignore=.venv --ignore=var --ignore=build --ignore=bench
	$(BIN)/python scripts/english-catalogue locale/en/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --ignore=.venv
