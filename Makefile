# Two commands on a fresh clone: `make run` and `make test`. Everything else is set up on demand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
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

.PHONY: setup run test clean-lake schema-docs

setup: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode compiled at install: without .pyc files every start pays 10+ s of imports.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

run: setup
	$(BIN)/broadsheet run data/raw --lake data/lake

test: setup
	$(BIN)/python -m pytest

# schemas/README.md is generated from the schemas, reason codes and GX suite (a test checks it).
schema-docs: setup
	$(BIN)/python -m schemas.reference

clean-lake:
	rm -rf data/lake
