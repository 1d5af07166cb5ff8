"""Faults (issue 6 point 6), on real PostgreSQL and a real Redis:

- Redis down: with Celery not eager and the broker on a dead port, every main page is served and records (a meeting,
  a member) are saved; the two places that enqueue (ledger export, webhook delivery) fail soft and fast.
- Catching up: a reminder run that could not be queued while Redis was down is sent once Redis is back, by a real
  worker; running it again sends nothing twice (the runs are replayable).
- A worker killed (SIGKILL) mid-export: the job does not stay "running"; the stale-job cleanup fails it, and a
  redelivered message does not bring it back.

These tests start their OWN redis-server on a private port (never the shared one on 56379) and their own worker
processes, so they may stop and kill them. A PostgreSQL restart is scripts/faults.sh (a private cluster).
Skipped, with the reason, without PostgreSQL (DATABASE_URL) or without redis-server.
"""

import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools
from kombu.exceptions import OperationalError as KombuOperationalError

from branches.models import Member
from branches.validators import make_id_number
from ledgers import jobs as ledger_jobs
from ledgers.models import ExportJob
from ledgers.tasks import export_ledgers
from meetings.models import Meeting
from notifications import services as notification_services
from notifications.models import Delivery, Notification, OrganizationWebhook
from notifications.tasks import send_term_reminders
from tests.celery_worker import PROJECT_DIR, Worker, _database_url_for, _wait_until_ready
from tests.factories import make_member, make_organization

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDIS_PORT = int(os.environ.get("SBGF_FAULTS_REDIS_PORT", "56390"))  # private: never the shared 56379
DEAD_PORT = int(os.environ.get("SBGF_FAULTS_DEAD_PORT", "56391"))  # nothing listens here
PRIVATE_REDIS = f"redis://127.0.0.1:{REDIS_PORT}/0"
DEAD_REDIS = f"redis://127.0.0.1:{DEAD_PORT}/0"
TODAY = "2026-11-21"
FAIL_FAST_SECONDS = 8  # a request that enqueues while Redis is down must answer within this


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.3)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(autouse=True)
def _real_services_only():
    if connection.vendor != "postgresql":
        pytest.skip("fault tests need PostgreSQL (set DATABASE_URL): a worker must share the test database")
    if not shutil.which("redis-server") or not shutil.which("redis-cli"):
        pytest.skip("fault tests need redis-server and redis-cli (bash scripts/services.sh install)")
    if _listening(DEAD_PORT):
        pytest.skip(f"port {DEAD_PORT} should be dead for these tests but something listens there")


class PrivateRedis:
    """A redis-server of our own that the tests may stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="sbgf-faults-redis-"))

    def start(self) -> None:
        if _listening(self.port):
            return
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "yes", "--dir", str(self.dir), "--pidfile", str(self.dir / "redis.pid"),
             "--logfile", str(self.dir / "redis.log")],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while not _listening(self.port):
            assert time.monotonic() < deadline, "private redis did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, check=False)
        deadline = time.monotonic() + 15
        while _listening(self.port):
            assert time.monotonic() < deadline, "private redis did not stop"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def private_redis():
    if _listening(REDIS_PORT):
        pytest.skip(f"port {REDIS_PORT} is taken: set SBGF_FAULTS_REDIS_PORT to a free port")
    redis = PrivateRedis(REDIS_PORT)
    redis.start()
    yield redis
    redis.stop()
    shutil.rmtree(redis.dir, ignore_errors=True)


@contextlib.contextmanager
def celery_broker(url: str, queue: str = "celery"):
    """Point this process's Celery app at a broker, not eager (as production runs), and back afterwards."""
    from config.celery_app import app

    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: app.conf[key] for key in keys}

    def reset_pools():
        # Connections are pooled per broker URL (kombu's global registry): drop them so the new URL is used.
        kombu_pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    try:
        yield app
    finally:
        reset_pools()
        app.conf.update(saved)


@contextlib.contextmanager
def worker_process(redis_url: str):
    """A real `celery worker` (tests/settings_worker.py) on our private Redis and the test database, on a queue of
    its own. Yields the Worker; the caller may SIGKILL it."""
    queue = f"sbgf-faults-{uuid.uuid4().hex[:10]}"
    log_file = tempfile.NamedTemporaryFile(prefix="celery-faults-", suffix=".log", delete=False)  # noqa: SIM115
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "DATABASE_URL": _database_url_for(connection.settings_dict),
        "REDIS_URL": redis_url,
        "SBGF_TEST_QUEUE": queue,
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
        "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
    )
    worker = Worker(process=process, queue=queue, hostname=queue, log_path=Path(log_file.name))
    try:
        _wait_until_ready(worker)
        yield worker
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log_file.close()
        worker.log_path.unlink(missing_ok=True)


def wait_for(predicate, *, timeout=60, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


# ---- Redis down: the web app keeps serving and saving ------------------------------------------------------------


MAIN_PAGES = [
    ("committee", "branches:home", []),
    ("committee", "branches:tree", []),
    ("committee", "branches:org_detail", ["EA-B1"]),
    ("committee", "branches:member_list", []),
    ("secretary", "branches:member_create", []),
    ("committee", "meetings:meeting_list", []),
    ("secretary", "meetings:meeting_create", []),
    ("secretary", "meetings:calendar", []),
    ("secretary", "meetings:year_plan", []),
    ("committee", "assessments:dashboards", []),
    ("committee", "assessments:scorecard", ["EA-B1"]),
    ("committee", "assessments:committee_dashboard", ["EA"]),
    ("sasac", "assessments:sasac_dashboard", []),
    ("committee", "ledgers:job_list", []),
    ("committee", "ledgers:export_new", []),
    ("secretary", "notifications:list", []),
]


def test_with_redis_down_every_main_page_is_served_and_records_are_saved(client_for, tree, members):
    with celery_broker(DEAD_REDIS):
        for who, name, args in MAIN_PAGES:
            response = client_for(who).get(reverse(name, args=args))
            assert response.status_code in (200, 302), (name, response.status_code)
            if response.status_code == 302:  # e.g. a chooser that forwards to the only branch: follow it once
                assert client_for(who).get(response.url).status_code == 200, name
        member = members.a[0]
        assert client_for("committee").get(reverse("branches:member_detail", args=[member.pk])).status_code == 200
        assert client_for("committee").get("/api/v1/members/").status_code == 200

        secretary = client_for("secretary")
        started = time.monotonic()
        response = secretary.post(
            reverse("meetings:meeting_create") + "?org=EA-B1",
            {"kind": "branch_assembly", "date": "2026-11-20", "topic": "Redis 停机时登记的党员大会"},
        )
        assert response.status_code == 302
        assert Meeting.objects.filter(topic="Redis 停机时登记的党员大会").exists()
        response = secretary.post(
            reverse("branches:member_create") + "?org=EA-B1",
            {
                "name": "停机新党员", "gender": "male", "ethnicity": "汉族", "birth_date": "1990-05-04",
                "education": "bachelor", "id_number": make_id_number("110101", datetime.date(1990, 5, 4), 17), "phone": "13800000000",
                "joined_on": "2015-07-01", "full_on": "2016-07-01", "category": "full", "position": "",
                "group": "", "status": "normal", "dues_class": "employed", "dues_base": "5000",
                "joined_branch_on": "2015-07-01",
            },
        )  # fmt: skip
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert Member.objects.filter(name="停机新党员").exists()
        assert time.monotonic() - started < 2 * FAIL_FAST_SECONDS


def test_with_redis_down_a_ledger_export_says_so_and_leaves_a_failed_job(client_for, tree, members):
    with celery_broker(DEAD_REDIS):
        started = time.monotonic()
        response = client_for("committee").post(
            reverse("ledgers:export_new"), {"organization": "EA", "year": "2026"}, follow=True
        )
        assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert response.status_code == 200
    assert ledger_jobs.QUEUE_UNAVAILABLE in response.content.decode()
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED and job.error == ledger_jobs.QUEUE_UNAVAILABLE


def test_with_redis_down_a_notification_is_kept_in_app_and_its_webhook_fails_visibly(cast, tree, members):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url="http://127.0.0.1:9/robot")
    with celery_broker(DEAD_REDIS):
        started = time.monotonic()
        notification_services.notify(
            users=[cast.secretary], title="停机时的提醒", body="正文", organization=tree.branch_a
        )
        elapsed = time.monotonic() - started
    assert Notification.objects.filter(recipient=cast.secretary, title="停机时的提醒").exists()
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    # Not lost silently: failed with the reason, visible in the admin. (Not re-sent later: see the report.)
    assert delivery.status == Delivery.Status.FAILED and "无法提交发送任务" in delivery.last_error
    assert elapsed < 30, f"notify() blocked {elapsed:.1f}s on the dead broker"


# ---- catching up when Redis returns ------------------------------------------------------------------------------------


def test_a_reminder_run_missed_while_redis_was_down_is_sent_by_a_real_worker_when_it_returns(
    private_redis, cast, tree, members
):
    # Branch A's committee term (2024-03-01, 3 years) expires 2027-03-01: inside the 6-month reminder window.
    private_redis.stop()
    with celery_broker(PRIVATE_REDIS):
        # What celery beat does at 07:00: publish the daily run. With Redis down it cannot.
        with pytest.raises(KombuOperationalError):
            send_term_reminders.apply_async(kwargs={"today": TODAY}, retry=False)
    assert not Notification.objects.exists()

    private_redis.start()
    with worker_process(PRIVATE_REDIS) as worker, celery_broker(PRIVATE_REDIS, worker.queue):
        send_term_reminders.apply_async(kwargs={"today": TODAY})  # the replay (or the next beat run)
        wait_for(lambda: worker.log().count("succeeded") >= 1, what="the reminder task")
        sent = Notification.objects.count()
        assert sent >= 1, worker.log()[-3000:]
        assert Notification.objects.filter(recipient=cast.secretary).exists()
        # Replaying the same day again (or beat catching up twice) sends nothing twice.
        send_term_reminders.apply_async(kwargs={"today": TODAY})
        wait_for(lambda: worker.log().count("succeeded") >= 2, what="the second reminder task")
        assert Notification.objects.count() == sent


# ---- a worker killed mid-export ---------------------------------------------------------------------------------------------


def _waiting_on_a_lock(cursor) -> bool:
    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
    return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_export_ends_failed_never_stuck(private_redis, cast, tree, members, settings):
    import psycopg2

    private_redis.start()
    for i in range(3):
        make_member(make_organization(tree.committee_a, "branch"), name=f"加{i}")
    dsn = _database_url_for(connection.settings_dict)
    with worker_process(PRIVATE_REDIS) as worker, celery_broker(PRIVATE_REDIS, worker.queue):
        # Hold the member table so the export stops inside its first branch: a deterministic "mid-export".
        blocker = psycopg2.connect(dsn)  # a connection of its own: the lock must not be in the test's transaction
        cursor = blocker.cursor()
        try:
            cursor.execute("LOCK TABLE branches_member IN ACCESS EXCLUSIVE MODE")
            job = ledger_jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=2026)
            wait_for(
                lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.RUNNING, what="the job to start"
            )
            wait_for(lambda: _waiting_on_a_lock(cursor), what="the worker to wait inside the export")
            os.kill(worker.process.pid, signal.SIGKILL)  # kill -9: no shutdown, no ack, no on_failure
            worker.process.wait(timeout=10)
        finally:
            blocker.rollback()
            blocker.close()
        job.refresh_from_db()
        assert job.status == ExportJob.Status.RUNNING and job.attempts == 1  # what a dead worker leaves behind

        # The periodic cleanup (beat, every 15 minutes) finds the job without progress and fails it.
        later = timezone.now() + datetime.timedelta(minutes=ledger_jobs.stale_minutes() + 1)
        summary = ledger_jobs.export_jobs_cleanup(now=later)
        job.refresh_from_db()
        assert summary["failed"] == 1
        assert job.status == ExportJob.Status.FAILED and "没有进展" in job.error and not job.file.name

        # The unacknowledged message comes back after the broker's visibility timeout: the redelivered task sees
        # a finished job and leaves it failed (no second, orphaned run).
        assert export_ledgers.apply(args=[job.pk]).result == ExportJob.Status.FAILED
        job.refresh_from_db()
        assert job.status == ExportJob.Status.FAILED and job.attempts == 1


def test_a_redelivered_export_after_a_killed_worker_is_run_again_or_failed_after_max_attempts(cast, tree, members):
    """acks_late + reject_on_worker_lost: when the message comes back before the cleanup ran, the job restarts
    (attempts counts the starts) and finishes; past LEDGER_EXPORT_MAX_ATTEMPTS it is failed instead of looping."""
    job = ExportJob.objects.create(
        user=cast.committee, organization=tree.committee_a, year=2026, status=ExportJob.Status.RUNNING, attempts=1
    )
    assert export_ledgers.apply(args=[job.pk]).result == ExportJob.Status.DONE
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ExportJob.Status.DONE, 2)
    ledger_jobs.export_job_fail(job_id=job.pk, error="cleanup")  # no-op on done
    if job.file.name:
        Path(job.file.path).unlink(missing_ok=True)
    looping = ExportJob.objects.create(
        user=cast.committee,
        organization=tree.committee_a,
        year=2026,
        status=ExportJob.Status.RUNNING,
        attempts=ledger_jobs.max_attempts(),
    )
    assert export_ledgers.apply(args=[looping.pk]).result is not None
    looping.refresh_from_db()
    assert looping.status == ExportJob.Status.FAILED and "不再重试" in looping.error
