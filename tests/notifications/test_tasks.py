"""The Celery tasks (eager here; test_worker.py runs them on a real worker) and the beat schedule."""

import datetime
import importlib

from django_celery_beat.models import PeriodicTask

from notifications.models import ReminderLog
from notifications.tasks import send_term_reminders


def test_the_daily_task_sends_the_due_reminders_and_returns_a_summary(members, tree, cast):
    result = send_term_reminders.delay("2027-02-01").get()

    assert result["sent"] == {"1m": 1, "overdue": 1}
    assert result["notifications"] == 4
    assert ReminderLog.objects.count() == 2


def test_the_daily_task_is_idempotent(members, tree, cast):
    send_term_reminders.delay("2027-02-01").get()
    result = send_term_reminders.delay("2027-02-01").get()
    assert result["sent"] == {}
    assert result["already_sent"] == 2


def test_the_daily_task_defaults_to_today_in_beijing(members, tree, cast, monkeypatch):
    from notifications import tasks

    monkeypatch.setattr(tasks.timezone, "localdate", lambda: datetime.date(2026, 9, 1))
    assert send_term_reminders.delay().get()["today"] == "2026-09-01"


def test_the_reminder_task_retries_database_outages():
    from django.db import OperationalError

    assert OperationalError in send_term_reminders.autoretry_for


def test_the_schedule_is_a_daily_7_oclock_beijing_periodic_task_editable_in_the_admin(db):
    # The data migration created it; running its function again (e.g. under --nomigrations) changes nothing.
    from django.apps import apps

    schedule = importlib.import_module("notifications.migrations.0002_term_reminder_schedule")
    schedule.create_schedule(apps, None)
    schedule.create_schedule(apps, None)

    task = PeriodicTask.objects.select_related("crontab").get(task="notifications.tasks.send_term_reminders")
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "7", "*")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
