"""整改 reminders before and after the deadline, each once; the daily schedule; the secretary's home to-do."""

import datetime
import importlib

from django_celery_beat.models import PeriodicTask

from assessments.rectification import services
from notifications.models import Notification
from notifications.reminders.rectification import rectification_reminders_send, threshold_for
from notifications.tasks import send_rectification_reminders

D = datetime.date


def test_thresholds():
    deadline = D(2026, 3, 20)
    assert threshold_for(deadline, D(2026, 3, 10)) is None
    assert threshold_for(deadline, D(2026, 3, 13)) == "7d"
    assert threshold_for(deadline, D(2026, 3, 19)) == "1d"
    assert threshold_for(deadline, D(2026, 3, 20)) == "1d"
    assert threshold_for(deadline, D(2026, 3, 21)) == "overdue-w0"
    assert threshold_for(deadline, D(2026, 3, 28)) == "overdue-w1"


def test_reminders_go_once_before_and_after_the_deadline(tree, cast):
    item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="记录不全")
    services.item_confirm(item=item, deadline=D(2026, 3, 20), responsible_text="书记", today=D(2026, 3, 1))
    assert rectification_reminders_send(today=D(2026, 3, 14)).sent == 1
    assert rectification_reminders_send(today=D(2026, 3, 14)).already_sent == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"secretary"}
    overdue = send_rectification_reminders.delay("2026-03-22").get()
    assert overdue["sent"] == 1
    latest = Notification.objects.filter(title__startswith="整改逾期")
    assert set(latest.values_list("recipient__username", flat=True)) == {"secretary", "committee"}
    services.item_report(item=item, measures="已整改")
    assert rectification_reminders_send(today=D(2026, 3, 30)).sent == 0  # reported: waiting for verification


def test_the_schedule_is_daily_at_7_15_beijing(db):
    from django.apps import apps

    schedule = importlib.import_module("notifications.migrations.0005_rectification_reminder_schedule")
    schedule.create_schedule(apps, None)
    schedule.create_schedule(apps, None)
    task = PeriodicTask.objects.select_related("crontab").get(task="notifications.tasks.send_rectification_reminders")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("15", "7", "*")


def test_the_secretarys_home_shows_open_items_overdue_first(tree, cast, client_for):
    from django.urls import reverse

    item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="阵地标识缺失")
    services.item_confirm(item=item, deadline=D(2099, 1, 1), responsible_text="书记", today=D(2026, 3, 1))
    page = client_for("secretary").get(reverse("branches:home")).content.decode()
    assert "待整改事项" in page and "阵地标识缺失" in page
