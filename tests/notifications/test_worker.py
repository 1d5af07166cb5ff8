"""The reminder task on a real Celery worker over real Redis (started by `make test`), not eager mode."""

import datetime
import time

import pytest

from notifications.models import Delivery, Notification, OrganizationWebhook, ReminderLog
from notifications.tasks import send_term_reminders

pytestmark = [pytest.mark.celery]


def test_the_reminder_task_runs_on_a_real_worker_through_redis(celery_worker, members, tree, cast, robot_server):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)

    result = send_term_reminders.delay("2027-02-01")
    summary = result.get(timeout=60)

    assert result.state == "SUCCESS"
    assert f"Task notifications.tasks.send_term_reminders[{result.id}] received" in celery_worker.log()
    assert summary["sent"] == {"1m": 1, "overdue": 1}
    assert sorted(
        Notification.objects.filter(organization=tree.branch_a).values_list("recipient__username", flat=True)
    ) == ["committee", "secretary"]
    assert ReminderLog.objects.count() == 2

    # The worker enqueued the robot message as its own task, on the same queue, after its commit.
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    for _ in range(300):
        delivery.refresh_from_db()
        if delivery.status != Delivery.Status.PENDING:
            break
        time.sleep(0.1)
    assert delivery.status == Delivery.Status.SENT
    assert robot_server.received[0]["body"]["text"]["content"].startswith("换届提醒:甲集团第一党支部")

    # Running again the same day through the worker sends nothing new.
    again = send_term_reminders.delay("2027-02-01").get(timeout=60)
    assert again["sent"] == {} and again["already_sent"] == 2
    assert Notification.objects.count() == 4


def test_the_worker_reports_the_day_it_was_given(celery_worker, db):
    assert send_term_reminders.delay(datetime.date(2030, 1, 1).isoformat()).get(timeout=60)["today"] == "2030-01-01"


def test_the_monthly_record_reminder_task_runs_on_a_real_worker_through_redis(celery_worker, members, tree, cast):
    from notifications.tasks import send_record_reminders

    result = send_record_reminders.delay("2026-11-01")
    summary = result.get(timeout=60)

    assert result.state == "SUCCESS"
    assert f"Task notifications.tasks.send_record_reminders[{result.id}] received" in celery_worker.log()
    assert (summary["period"], summary["sent"], summary["no_recipients"]) == ("2026-10", 2, 1)
    assert sorted(
        Notification.objects.filter(kind=Notification.Kind.RECORD_REMINDER).values_list(
            "recipient__username", flat=True
        )
    ) == ["secretary", "secretary2"]

    again = send_record_reminders.delay("2026-11-01").get(timeout=60)
    assert again["sent"] == 0 and again["already_sent"] == 2
    assert ReminderLog.objects.filter(threshold="records").count() == 2
