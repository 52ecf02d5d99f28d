# Development tasks. `make run` starts everything on the embedded defaults
# (SQLite, Celery's filesystem broker, e-mail on the console), all under var/.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
LOCK_VENV := $(or $(TMPDIR),/tmp)/jwp-lock-venv

.PHONY: help venv run test lint lock reset-demo bench

help:
	@echo "make run         migrate, collect static, seed demo data, then web + worker + beat (PORT=$(PORT))"
	@echo "make test        run the tests (PYTEST_ARGS='-k name' to choose)"
	@echo "make lint        ruff check and ruff format --check"
	@echo "make lock        regenerate requirements.lock from pyproject.toml"
	@echo "make reset-demo  delete var/ (the demo database, uploads, broker files)"

# The virtualenv, reinstalled only when requirements.lock is newer than the stamp.
venv: $(STAMP)

$(STAMP): requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.lock
	touch $@

run: export DEBUG = true
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	HOST=$(HOST) PORT=$(PORT) scripts/run-dev.sh

test: venv
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# A throwaway virtualenv gets exactly the pins of pyproject.toml
# ([project.dependencies] + the dev extra); its freeze is the new lock.
lock:
	rm -rf $(LOCK_VENV)
	python3 -m venv $(LOCK_VENV)
	python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(LOCK_VENV)/requirements.in
	$(LOCK_VENV)/bin/python -m pip install -q -r $(LOCK_VENV)/requirements.in
	$(LOCK_VENV)/bin/python -m pip freeze --exclude-editable > requirements.lock.new
	mv requirements.lock.new requirements.lock
	rm -rf $(LOCK_VENV)
	@echo "requirements.lock regenerated ($$(wc -l < requirements.lock) packages)"

reset-demo:
	rm -rf var/
	@echo "var/ removed: the next 'make run' starts from an empty demo"

# Timings live here, not in unit tests: medians over repeated requests on the demo data.
bench: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo >/dev/null
	$(PY) scripts/bench.py
