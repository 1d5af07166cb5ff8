"""The daily 发展党员 reminders: before each deadline, weekly once overdue, once each, replayable for any day."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from notifications.models import Notification, ReminderLog
from notifications.reminders.recruitment import recruitment_reminders_send
from notifications.tasks import send_recruitment_reminders

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(recruit, cast):
    return recruit(applied_on=D(2026, 1, 5))  # the talk is due 2026-02-05


def inbox(user):
    return list(Notification.objects.filter(recipient=user, kind="recruitment_reminder"))


def test_nothing_is_sent_long_before_a_deadline(applicant, cast):
    assert recruitment_reminders_send(today=D(2026, 1, 10)).items == 0


def test_the_branch_is_told_14_days_before_then_3_days_before(applicant, cast):
    assert recruitment_reminders_send(today=D(2026, 1, 22)).items == 1
    assert recruitment_reminders_send(today=D(2026, 1, 23)).items == 0
    assert recruitment_reminders_send(today=D(2026, 2, 2)).items == 1
    notes = inbox(cast.secretary)
    assert len(notes) == 2 and "党组织派人谈话" in notes[0].body
    assert inbox(cast.committee) == []  # the talk is the branch's step


def test_a_run_is_idempotent_and_replayable(applicant, cast):
    first = recruitment_reminders_send(today=D(2026, 2, 2))
    again = recruitment_reminders_send(today=D(2026, 2, 2))
    assert (first.items, again.items, again.already_sent) == (1, 0, 1)
    assert ReminderLog.objects.filter(key__startswith="recruit:").count() == 1


def test_an_overdue_step_is_repeated_weekly(applicant, cast):
    sent = [recruitment_reminders_send(today=D(2026, 2, 6) + datetime.timedelta(days=d)).items for d in range(15)]
    assert sent.count(1) == 3  # days 1, 8 and 15 overdue: weeks 0, 1, 2
    assert "已超期" in inbox(cast.secretary)[0].title


def test_the_committee_is_told_of_its_own_steps(recruit, cast):
    person = recruit.walk(recruit(), 16)  # approval due 2024-08-10
    summary = recruitment_reminders_send(today=D(2024, 8, 1))
    assert summary.items >= 1
    assert any("上级党委审批" in n.body for n in inbox(cast.committee))
    assert person.pk


def test_the_task_takes_a_day_and_is_scheduled_daily(applicant, cast):
    result = send_recruitment_reminders.apply(args=["2026-02-02"]).result
    assert result["items"] == 1
    task = PeriodicTask.objects.select_related("crontab").get(task="notifications.tasks.send_recruitment_reminders")
    assert task.enabled and task.crontab.hour == "7" and task.crontab.day_of_month == "*"
