"""Project-level guarantees: the suite runs on PostgreSQL, production settings pass Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def test_suite_runs_on_postgresql_under_make_test():
    if os.environ.get("REQUIRE_POSTGRES") != "1":
        pytest.skip("only `make test` requires PostgreSQL")
    assert connection.vendor == "postgresql"


def test_production_settings_pass_check_deploy_without_warnings():
    # DJANGO_ALLOW_ASYNC_UNSAFE is a test-only switch (browser tests); production never sets it.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "dangjian.example.org",
        "DATABASE_URL": "postgres://sbgf@127.0.0.1:5432/sbgf",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="x",
        DATABASE_URL="sqlite:////tmp/x",
        REDIS_URL="redis://x",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
