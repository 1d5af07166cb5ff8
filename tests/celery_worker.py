"""A real Celery worker on real Redis, for tests marked `celery` (reusable: reminders, bulk export, ...).

Use it from a conftest.py:

    from tests.celery_worker import celery_worker, celery_worker_session  # noqa: F401

and in a test:

    @pytest.mark.celery
    def test_x(celery_worker, transactional_db):
        result = some_task.delay(...)
        result.get(timeout=60)

`celery_worker_session` starts one `celery -A config worker --pool=solo` subprocess per test session,
on a queue of its own, with DATABASE_URL pointing at the test database pytest-django created. Tests
must use `transactional_db` (data committed, so the worker's own connection sees it). `celery_worker`
switches the test process's Celery app from eager to Redis for the duration of one test.
Skips, with the reason, when REDIS_URL is unset or the test database is not PostgreSQL.
"""

import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    hostname: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _database_url_for(settings_dict) -> str:
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + settings_dict["NAME"]))


def _wait_until_ready(worker: Worker) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {worker.process.returncode}:\n{worker.log()[-4000:]}")
        if " ready." in worker.log():
            return
        time.sleep(0.2)
    raise RuntimeError(f"Celery worker not ready after {READY_TIMEOUT}s:\n{worker.log()[-4000:]}")


def _purge_queue(redis_url: str, queue: str) -> None:
    try:
        import redis

        client = redis.Redis.from_url(redis_url)
        client.delete(queue)
        client.close()
    except Exception:  # best effort: an unconsumed queue in a test Redis is harmless
        pass


@pytest.fixture(scope="session")
def celery_worker_session(django_db_setup, django_db_blocker):
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("needs a real Redis: set REDIS_URL (make test / scripts/services.sh start does)")
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the worker needs a database it can share: run with DATABASE_URL pointing at PostgreSQL")
        database_url = _database_url_for(connection.settings_dict)

    queue = f"sbgf-test-{uuid.uuid4().hex[:12]}"
    hostname = f"{queue}@%h"
    log_file = tempfile.NamedTemporaryFile(prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    log_path = Path(log_file.name)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SBGF_TEST_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", hostname,
        "--without-gossip", "--without-mingle", "--loglevel=INFO",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    worker = Worker(process=process, queue=queue, hostname=hostname, log_path=log_path)
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        process.terminate()  # warm shutdown: finishes the current task
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log_file.close()
        _purge_queue(redis_url, queue)
        log_path.unlink(missing_ok=True)


@pytest.fixture
def celery_worker(celery_worker_session, transactional_db):
    """Send tasks through Redis to the session's worker for one test, then go back to eager."""
    from config.celery_app import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "task_default_queue")}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = celery_worker_session.queue
    try:
        yield celery_worker_session
    finally:
        app.conf.update(saved)
