# Liaison: `make run` to use it, `make test` to test it. Needs Python 3.11 and make.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in emails, the private calendar feed and .ics files point at the server `make run` starts;
# set SITE_URL when people reach it some other way (a proxy, a real host name).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test test-fast test-upgrade lint format migrate demo clean help bench-email bench-pages

help:
	@echo "make run    start Liaison (web, worker, beat) on http://127.0.0.1:$(PORT) with demo data"
	@echo "make test   run the whole test suite (lint, migrations check, then every test)"
	@echo "make test-fast  the inner loop: every test but the browser and real-service ones"
	@echo "make test-upgrade FROM=<ref>  migrate a PostgreSQL database made by <ref>: every row kept"
	@echo "make lint   ruff, the import layers (lint-imports) and mypy"
	@echo "make bench-email  time 10,000 emails through two Celery workers (needs PostgreSQL and redis-server)"
	@echo "make bench-pages  time every page at 1,000 and 10,000 organizations against its targets (needs PostgreSQL)"
	@echo "make format ruff format and ruff check --fix"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Liaison needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

migrate: $(VENV)/.installed-runtime
	@mkdir -p var/mail
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

# honcho stamps each line in TZ, the time zone web, worker and beat log in (settings.TIME_ZONE);
# PYTHONUNBUFFERED shows what they print (runserver's address) at once, not when a buffer fills.
run: demo
	@echo "Liaison is starting on http://127.0.0.1:$(PORT)/ (web, Celery worker, Celery beat). Ctrl-C stops all three."
	@echo "Log in as 'librarian' or 'manager' with the password 'liaison-demo'."
	SITE_URL="$(SITE_URL)" TZ="$$($(BIN)/python -c 'import config.settings as s; print(s.TIME_ZONE)')" \
	  PYTHONUNBUFFERED=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev -p $(PORT)

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Everything but Chromium and the real Redis/Celery/SMTP tests: the inner loop while coding.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not browser and not services"

# A database made and filled by the code at FROM (a commit, tag or branch) is migrated by this
# checkout's code; every table must keep its rows and the pages must work (needs PostgreSQL).
test-upgrade: $(VENV)/.installed-dev
	@test -n "$(FROM)" || { echo "Say which code made the database: make test-upgrade FROM=<ref>"; exit 2; }
	$(BIN)/python .ci/upgrade_check.py --from "$(FROM)"

# The database defaults to its own `liaison_bench` on the local PostgreSQL (created if missing);
# BENCH_DATABASE_URL points it elsewhere. Redis and the SMTP server are private to the run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/liaison_bench
bench-email: $(VENV)/.installed-dev
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python manage.py bench_email

# Its own databases, liaison_bench_pages_25 and _250, on the local PostgreSQL (seeded when missing,
# reused the same day by the same code); BENCH_DATABASE_URL names another base.
bench-pages: $(VENV)/.installed-dev
	$(BIN)/python manage.py bench_pages $(ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/
