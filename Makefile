# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up on demand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# uv matches --python against .venv's interpreter by path: a launcher such as a pyenv shim never
# matches, and every sync would delete and rebuild .venv. The interpreter's own path does.
PYTHON_EXE = $(shell $(PYTHON) -c 'import sys; print(sys.executable)')
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin

# Prefect keeps its database in the project, so `make ui` later shows the runs `make run` made.
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export GX_ANALYTICS_ENABLED ?= false
export UV_PYTHON_DOWNLOADS := never
# The project's own Prefect server (`make ui`); `make serve` and `make run` use it unless PREFECT_API_URL is set.
UI_PORT ?= 4200
export BROADSHEET_UI_PORT := $(UI_PORT)
LOCAL_API_URL := http://127.0.0.1:$(UI_PORT)/api

.PHONY: setup run lint browser test test-fast serve ui clean-lake schema-docs bench

setup: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled at install: without .pyc files every start pays 10+ s of imports.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON_EXE)
	@touch $@

# When `make ui` is up, runs go to it, as every `broadsheet run` does (flows/prefect_api.py).
run: setup
	$(BIN)/broadsheet run data/raw --lake data/lake

# Serves the deployments of prefect.yaml from this machine until stopped (Ctrl-C).
serve: setup
	PREFECT_API_URL="$${PREFECT_API_URL:-$(LOCAL_API_URL)}" $(BIN)/python -m flows.serve

# Prefect server and UI on 127.0.0.1, on the project's database: runs of `make run` show up here.
ui: setup
	$(BIN)/prefect server start --host 127.0.0.1 --port $(UI_PORT) --analytics-off

# ruff (lint rules, then formatting) and mypy, as pyproject.toml configures them: CI runs this before the tests.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Headless Chromium for the browser tests: installed where this machine lets us (root with apt-get), else
# one line says how, and those tests skip. CI=true fails instead, so CI runs them rather than skip them.
NO_BROWSER := no headless Chromium: the browser tests will skip (to run them: sudo apt-get install chromium)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u 2>/dev/null)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		fi; \
		command -v chromium >/dev/null 2>&1 || { \
			if [ "$(CI)" = true ]; then echo "CI=true: the browser tests must run, and Chromium could not be installed" >&2; exit 1; fi; \
			echo "$(NO_BROWSER)"; }; }

# Test files run in TEST_WORKERS processes (pytest-xdist), each file in one of them, so that a module's
# fixtures (a first run, a Prefect server) are made once. Most end-to-end tests wait on servers and
# subprocesses: two processes on two cores take the suite from about 8.7 to 6.6 minutes. TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2

# The whole suite, end-to-end tests included: what CI runs.
test: setup browser
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadfile

# The edit loop: everything but the tests marked slow (real Prefect servers, Dask clusters, whole runs).
test-fast: setup
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadfile -m "not slow"

# Throughput of `broadsheet run` against a bare trafilatura loop and datatrove (needs ../shared), with the
# bench dependency group (datatrove): `make bench BENCH_ARGS="-n 1000 --workers 2"`.
BENCH_ARGS ?= -n 5000 --workers 1 2
bench: setup
	$(UV) sync --frozen --compile-bytecode --group bench --python $(PYTHON_EXE)
	$(BIN)/python benchmarks/throughput.py $(BENCH_ARGS)

# schemas/README.md is generated from the schemas, reason codes and GX suite (a test checks it).
schema-docs: setup
	$(BIN)/python -m schemas.reference

clean-lake:
	rm -rf data/lake
