"""Overdue-record reminders (issue 5 point 3): on the 1st of each month each branch is told what records of the
period(s) just ended are missing (meetings.plan.obligations decides) and who is 3+ months behind with dues.

Branch A has a committee and one group (EA-B1-G1); branch B has neither; branch C has nobody to tell."""

import datetime
import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from branches.dues import dues_month_record
from branches.models import Organization, Role
from notifications.models import Notification, ReminderLog
from notifications.reminders.records import record_reminders_send
from notifications.tasks import send_record_reminders
from tests.factories import UserFactory, make_member, make_organization
from tests.meetings.meeting_helpers import K, hold, plan

D = datetime.date
NOV_1 = D(2026, 11, 1)
OCT_1 = D(2026, 10, 1)  # September closes Q3


def held(tree, kind, day, *, organization=None, group=None, **fields):
    return hold(plan(tree, kind, date=day, organization=organization, group=group, **fields))


def complete_month(tree, year, month):
    """Everything branches A and B owe for a month (A: 支委会, 党小组会 for its group, 主题党日; B: 主题党日)."""
    day = D(year, month, 15)
    held(tree, K.BRANCH_COMMITTEE, day)
    held(tree, K.GROUP_MEETING, day, group=tree.group_a)
    held(tree, K.THEME_DAY, day)
    held(tree, K.THEME_DAY, day, organization=tree.branch_b)


def complete_quarter(tree, year, quarter):
    day = D(year, 3 * quarter, 10)
    for organization in (tree.branch_a, tree.branch_b):
        held(tree, K.BRANCH_ASSEMBLY, day, organization=organization)
        held(tree, K.PARTY_LECTURE, day, organization=organization, lecturer_name="外请专家")


def run(day: str) -> str:
    out = StringIO()
    call_command("send_record_reminders", "--today", day, stdout=out)
    return out.getvalue()


def inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.RECORD_REMINDER))


def body_line(notification, prefix) -> str:
    return next(line for line in notification.body.splitlines() if line.startswith(prefix))


# ---------------------------------------------------------------- what is missing


def test_a_branch_missing_its_october_committee_meeting_is_told_on_november_1(members, tree, cast):
    held(tree, K.GROUP_MEETING, D(2026, 10, 12), group=tree.group_a)
    held(tree, K.THEME_DAY, D(2026, 10, 20))

    record_reminders_send(today=NOV_1)

    [notice] = inbox(cast.secretary)
    assert notice.organization == tree.branch_a
    assert notice.title == "台账提醒:甲集团第一党支部2026年10月1项组织生活未见记录"
    assert body_line(notice, "· 2026年10月") == "· 2026年10月:支部委员会"
    assert "季度" not in notice.body  # October does not close a quarter
    assert notice.link == "/meetings/plan/?org=EA-B1&year=2026"


def test_a_complete_branch_gets_nothing(members, tree, cast):
    complete_month(tree, 2026, 10)

    summary = record_reminders_send(today=NOV_1)

    assert Notification.objects.count() == 0
    assert ReminderLog.objects.count() == 0
    assert (summary.sent, summary.complete, summary.no_recipients) == (0, 2, 1)  # branch C: nobody to tell


def test_only_the_period_just_ended_is_listed_not_the_whole_years_gaps(members, tree, cast):
    complete_month(tree, 2026, 10)  # nothing held January to September: not repeated in November's letter

    record_reminders_send(today=NOV_1)

    assert inbox(cast.secretary) == []


def test_the_quarter_end_run_includes_the_quarters_assembly_and_lecture(members, tree, cast):
    complete_month(tree, 2026, 9)

    record_reminders_send(today=OCT_1)

    [notice] = inbox(cast.secretary)
    assert body_line(notice, "· 2026年第三季度") == "· 2026年第三季度:支部党员大会、党课"
    assert not any(line.startswith("· 2026年9月") for line in notice.body.splitlines())
    [notice_b] = inbox(cast.secretary2)
    assert body_line(notice_b, "· 2026年第三季度") == "· 2026年第三季度:支部党员大会、党课"


def test_a_quarter_with_its_assembly_and_lecture_held_is_complete(members, tree, cast):
    complete_month(tree, 2026, 9)
    complete_quarter(tree, 2026, 3)

    assert record_reminders_send(today=OCT_1).sent == 0


def test_the_january_run_includes_the_years_items(members, tree, cast):
    record_reminders_send(today=D(2027, 1, 1))

    [notice] = inbox(cast.secretary)
    year_line = body_line(notice, "· 2026年度")
    assert "组织生活会" in year_line and "书记讲党课" in year_line
    assert "谈心谈话(已覆盖0/7人)" in year_line
    assert body_line(notice, "· 2026年第四季度") == "· 2026年第四季度:支部党员大会、党课"
    assert "· 2026年12月" in notice.body


def test_a_branch_established_after_the_month_is_not_told(members, tree, cast):
    new = make_organization(tree.committee_a, Organization.Kind.BRANCH, established_on=D(2026, 11, 1))
    Role.objects.create(user=UserFactory(username="newsec"), organization=new, kind=Role.Kind.SECRETARY)
    complete_month(tree, 2026, 10)

    summary = record_reminders_send(today=NOV_1)

    assert summary.checked == 3 and summary.sent == 0


# ---------------------------------------------------------------- dues arrears


def _ledger(branch, members, months, *, unpaid=()):
    for month in months:
        rows = {m.pk: (None, None) if m in unpaid else (Decimal("90"), month.replace(day=5)) for m in members}
        dues_month_record(organization=branch, month=month, rows=rows, today=NOV_1)


def test_members_three_months_in_arrears_are_listed_with_a_link_to_the_dues_page(members, tree, cast):
    complete_month(tree, 2026, 10)
    behind, two_months = members.a[5], members.a[6]
    _ledger(tree.branch_a, members.a, [D(2026, 6, 1)])
    _ledger(tree.branch_a, members.a, [D(2026, 7, 1), D(2026, 8, 1)], unpaid=[behind])
    _ledger(tree.branch_a, members.a, [D(2026, 9, 1), D(2026, 10, 1)], unpaid=[behind, two_months])

    record_reminders_send(today=NOV_1)

    [notice] = inbox(cast.secretary)
    assert notice.title == "台账提醒:甲集团第一党支部2026年10月1名党员欠缴党费"
    assert f"· {behind.name}:自2026年7月起未交纳,共4个月" in notice.body
    assert two_months.name not in notice.body  # two months: not yet a warning
    assert notice.link == "/dues/EA-B1/?year=2026&state=unpaid"
    assert "组织生活" not in notice.title


def test_missing_records_and_arrears_come_in_one_notification(members, tree, cast):
    _ledger(tree.branch_a, members.a, [D(2026, 7, 1)])
    _ledger(tree.branch_a, members.a, [D(2026, 8, 1), D(2026, 9, 1), D(2026, 10, 1)], unpaid=[members.a[0]])

    record_reminders_send(today=NOV_1)

    [notice] = inbox(cast.secretary)
    assert "3项组织生活未见记录、1名党员欠缴党费" in notice.title
    assert "党费登记:/dues/EA-B1/?year=2026&state=unpaid" in notice.body
    assert notice.link.startswith("/meetings/plan/")


# ---------------------------------------------------------------- once, and to whom


def test_running_twice_on_the_same_day_sends_once(members, tree, cast):
    first = run("2026-11-01")
    second = run("2026-11-01")

    assert "发送提醒 2 个" in first
    assert "发送提醒 0 个" in second and "此前已发送(跳过) 2 个" in second
    assert len(inbox(cast.secretary)) == 1
    assert ReminderLog.objects.filter(threshold="records").count() == 2
    assert set(ReminderLog.objects.values_list("key", flat=True)) == {
        f"records:{tree.branch_a.pk}:2026-10",
        f"records:{tree.branch_b.pk}:2026-10",
    }


def test_a_later_run_in_the_same_month_does_not_repeat_but_next_month_tells_again(members, tree, cast):
    record_reminders_send(today=NOV_1)
    record_reminders_send(today=D(2026, 11, 15))
    assert len(inbox(cast.secretary)) == 1

    record_reminders_send(today=D(2026, 12, 1))
    assert len(inbox(cast.secretary)) == 2


def test_recipients_are_the_branch_secretary_and_officers_not_the_committee_above(members, tree, cast):
    officer = UserFactory(username="branch_officer")
    Role.objects.create(user=officer, organization=tree.branch_a, kind=Role.Kind.OFFICER)
    Role.objects.create(user=UserFactory(username="branch_reviewer"), organization=tree.branch_a, kind="reviewer")

    record_reminders_send(today=NOV_1)

    assert sorted(
        Notification.objects.filter(organization=tree.branch_a).values_list("recipient__username", flat=True)
    ) == ["branch_officer", "secretary"]
    assert inbox(cast.committee) == [] and inbox(cast.sasac) == []


def test_a_branch_without_a_secretary_is_told_once_someone_holds_the_role(members, tree, cast):
    make_member(tree.branch_c)
    assert record_reminders_send(today=NOV_1).no_recipients == 1
    assert not ReminderLog.objects.filter(organization=tree.branch_c).exists()

    late = UserFactory(username="secretary3")
    Role.objects.create(user=late, organization=tree.branch_c, kind=Role.Kind.SECRETARY)
    record_reminders_send(today=D(2026, 11, 2))

    assert len(inbox(late)) == 1


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("2026/11/01")


# ---------------------------------------------------------------- cost


def _branch_with_secretary(tree, n):
    branch = make_organization(tree.committee_a, Organization.Kind.BRANCH)
    for _ in range(3):
        make_member(branch)
    Role.objects.create(user=UserFactory(username=f"sec{n}"), organization=branch, kind=Role.Kind.SECRETARY)
    return branch


def _queries(day) -> int:
    with CaptureQueriesContext(connection) as ctx:
        record_reminders_send(today=day)
    return len(ctx.captured_queries)


def test_queries_per_branch_are_bounded_and_a_second_run_costs_three(members, tree, cast):
    for n in range(3):
        _branch_with_secretary(tree, n)
    first = _queries(NOV_1)
    for n in range(3, 9):
        _branch_with_secretary(tree, n)
    more = _queries(D(2026, 12, 1))  # 6 more branches, every branch told again for November

    per_branch = (more - first) / 6
    assert per_branch <= 20  # obligations (~7) + arrears (1 with no ledger) + log, notifications, e-mail rows
    assert _queries(D(2026, 12, 1)) <= 3  # already told: branches, recipients, sent keys


# ---------------------------------------------------------------- the task and its schedule


def test_the_monthly_task_sends_and_returns_a_summary(members, tree, cast):
    result = send_record_reminders.delay("2026-11-01").get()

    assert result["period"] == "2026-10"
    assert result["sent"] == 2 and result["notifications"] == 2
    assert send_record_reminders.delay("2026-11-01").get()["already_sent"] == 2


def test_the_record_reminder_task_retries_database_outages():
    from django.db import OperationalError

    assert OperationalError in send_record_reminders.autoretry_for


def test_the_schedule_is_day_1_of_each_month_at_7_30_beijing_editable_in_the_admin(db):
    from django.apps import apps

    schedule = importlib.import_module("notifications.migrations.0003_record_reminder_schedule")
    schedule.create_schedule(apps, None)
    schedule.create_schedule(apps, None)

    task = PeriodicTask.objects.select_related("crontab").get(task="notifications.tasks.send_record_reminders")
    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year) == ("30", "7", "1", "*")
    assert str(crontab.timezone) == "Asia/Shanghai"
