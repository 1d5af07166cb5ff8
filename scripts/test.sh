#!/usr/bin/env bash
# Full test run: venv, private PostgreSQL + Redis, migrations check, import contracts (lint-imports), pytest.
# Extra arguments are passed to pytest, e.g. `bash scripts/test.sh -k branches -x`.
set -euo pipefail
cd "$(dirname "$0")/.."

make -s --no-print-directory venv

bash scripts/services.sh install
# Stop the services however we exit (also if `start` fails half-way).
trap 'bash scripts/services.sh stop' EXIT
bash scripts/services.sh start
eval "$(bash scripts/services.sh env)"

export DJANGO_SETTINGS_MODULE=config.settings.test
export REQUIRE_POSTGRES=1
# DJANGO_ALLOW_ASYNC_UNSAFE is set by tests/browser/conftest.py only, where Playwright runs an event loop.
export CHROMIUM_PATH=/usr/bin/chromium

.venv/bin/python manage.py makemigrations --check --dry-run
# The dependency direction (pyproject.toml [tool.importlinter], docs/ARCHITECTURE.md): a wrong-way import fails here.
.venv/bin/lint-imports --no-cache

rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "test.sh: pytest collected no tests (exit code 5): treating as failure" >&2
fi
exit "$rc"
