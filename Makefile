# Developer / CI entry points.  Run `make help` for the list.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
LOCAL := DJANGO_SETTINGS_MODULE=config.settings.local
# requirements.txt may not exist yet in a fresh checkout; don't make it a hard prerequisite.
REQUIREMENTS := $(wildcard requirements.txt)

.PHONY: help venv demo test lint migrations-check services-start services-stop bench bench-dashboard bench-export backup restore load

help:
	@echo "make venv              create .venv and install requirements.txt (when it changed)"
	@echo "make demo              migrate + seed_demo + runserver on 127.0.0.1:8000 (config.settings.local)"
	@echo "make test              full test suite against private PostgreSQL/Redis (scripts/test.sh)"
	@echo "make lint              ruff check + ruff format --check + lint-imports (the layers)"
	@echo "make migrations-check  fail if models have changes without migrations"
	@echo "make services-start    start private PostgreSQL (127.0.0.1:55432) and Redis (127.0.0.1:56379)"
	@echo "make services-stop     stop them"
	@echo "make bench             run the import benchmark (bench/ app: bench_import)"
	@echo "make bench-dashboard   province-scale demo on PostgreSQL: SASAC dashboard + indicators summary vs the SQL floor"
	@echo "make bench-export      province-scale demo on PostgreSQL: export every branch's ledger vs raw openpyxl"
	@echo "make backup            pg_dump of DATABASE_URL + tar of MEDIA_ROOT into backups/<timestamp>/"
	@echo "make restore BACKUP=backups/<ts>   pg_restore --clean into DATABASE_URL + the media files"
	@echo "make load              200 secretaries log and archive meetings against gunicorn (bench/load_meetings.py)"

venv: $(VENV)/.installed

$(PYTHON):
	python3 -m venv $(VENV)

# Re-install only when requirements.txt is newer than the stamp file.
$(VENV)/.installed: $(REQUIREMENTS) | $(PYTHON)
	@if [ -f requirements.txt ]; then \
		echo "$(PYTHON) -m pip install -r requirements.txt"; \
		$(PYTHON) -m pip install -q -r requirements.txt; \
	fi
	@touch $@

demo: venv
	$(LOCAL) $(MANAGE) migrate --noinput
	$(LOCAL) $(MANAGE) seed_demo
	$(LOCAL) $(MANAGE) runserver 127.0.0.1:8000

test:
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports

migrations-check: venv
	$(MANAGE) makemigrations --check --dry-run

services-start:
	bash scripts/services.sh install
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop

bench: venv
	$(MANAGE) bench_import

# Both need PostgreSQL: `make services-start && eval "$$(bash scripts/services.sh env)"` first.
bench-dashboard: venv
	$(MANAGE) bench_dashboard --scale 15

bench-export: venv
	$(MANAGE) bench_export --scale 15

backup:
	bash scripts/backup.sh backup $(BACKUP)

restore:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	bash scripts/backup.sh restore $(BACKUP)

# Needs the PostgreSQL demo: `eval "$$(bash scripts/services.sh env)"` and `manage.py seed_demo --scale 15` first.
load: venv
	$(PYTHON) bench/load_meetings.py $(LOAD_ARGS)
