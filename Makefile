# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test lint format migrate demo lock clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

## make run: install, migrate, load dictionaries and demo data, start the app, the ЕСИА emulator and the worker.
run: $(STAMP)
	$(BIN)/python scripts/devserver.py

## make test: the whole suite (PostgreSQL and browser tests in CI; see scripts/test.sh).
test: $(STAMP)
	bash scripts/test.sh

## make lint: ruff (rules and format), mypy --strict and the layering contracts (docs/architecture.md).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

## make lock: re-pin requirements*.txt from requirements*.in in a throw-away virtualenv.
lock:
	rm -rf var/lock-venv && $(PYTHON) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet -r requirements.in && var/lock-venv/bin/pip freeze > var/requirements.lock
	@echo "Pinned runtime set written to var/requirements.lock; review and copy into requirements.txt"

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
