# Consilium: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) -m consilium
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-fast lint e2e api-fuzz bench messages check-translations clean worker

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	mkdir -p var
	$(MANAGE) compiletranslations
	$(MANAGE) migrate --noinput

run: setup
	$(MANAGE) demo
	@echo ""
	@echo "Consilium is at http://$(HOST):$(PORT)/ with its task worker  (stop both with Ctrl+C)"
	$(MANAGE) serve $(HOST):$(PORT)

# The whole suite but the browser tests (see `make e2e`) and the API fuzzing (`make api-fuzz`);
# on PostgreSQL when DATABASE_URL is set.
test: setup
	CONSILIUM_ENV=test $(BIN)/pytest -n 2 -m "not e2e and not schemathesis" $(PYTEST_ARGS)

# Schemathesis against the OpenAPI document: anonymous and with two roles' tokens, no server
# error and no answer outside the document (SCHEMATHESIS_EXAMPLES per operation, 4 by default).
api-fuzz: setup
	CONSILIUM_ENV=test $(BIN)/pytest -n 2 -m schemathesis tests/test_schemathesis.py $(PYTEST_ARGS)

e2e: setup
	CONSILIUM_ENV=test $(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy consilium bench
	CONSILIUM_ENV=test $(MANAGE) makemigrations --check --dry-run

messages: setup
	$(MANAGE) makemessages --all --no-obsolete --no-location --ignore=node_modules --ignore=.venv --ignore=var --ignore=bench
	$(MANAGE) compiletranslations

check-translations: setup
	$(MANAGE) checktranslations

worker: setup
	$(MANAGE) worker

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var
