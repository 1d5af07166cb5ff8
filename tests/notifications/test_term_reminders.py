"""换届 reminders: 6/3/1 months before expiry, then weekly once overdue; each once per term
(DOMAIN.md "Terms and 换届"). Branch A's term started 2024-03-01 for 3 years: it expires 2027-03-01."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from branches import services as branch_services
from branches.models import CommitteeTerm, Organization, Role
from notifications.models import Delivery, Notification, OrganizationWebhook, ReminderLog
from notifications.reminders.terms import term_reminders_send
from notifications.tasks import WEBHOOK_MAX_RETRIES
from tests.factories import UserFactory, make_organization, start_term

D = datetime.date


def run(day: str) -> str:
    out = StringIO()
    call_command("send_term_reminders", "--today", day, stdout=out)
    return out.getvalue()


def thresholds(organization) -> list[str]:
    return list(
        ReminderLog.objects.filter(organization=organization).order_by("id").values_list("threshold", flat=True)
    )


def keys(organization) -> list[str]:
    return list(ReminderLog.objects.filter(organization=organization).order_by("id").values_list("key", flat=True))


def recipients(organization) -> list[str]:
    return sorted(Notification.objects.filter(organization=organization).values_list("recipient__username", flat=True))


def test_branch_a_term_expires_on_2027_03_01(members, tree):
    assert CommitteeTerm.objects.current().get(organization=tree.branch_a).expires_on == D(2027, 3, 1)


def test_running_twice_on_the_same_day_sends_each_reminder_once(members, tree, cast):
    first = run("2026-09-01")
    second = run("2026-09-01")

    assert "届满前6个月(6m):1 条" in first
    assert "此前已发送(跳过) 0 条" in first
    assert "无新提醒" in second
    assert "此前已发送(跳过) 2 条" in second  # branch A's 6m and branch B's overdue week
    assert thresholds(tree.branch_a) == ["6m"]
    assert recipients(tree.branch_a) == ["committee", "secretary"]


def test_threshold_days_send_6_3_1_month_reminders_then_weekly_overdue_until_the_new_term(members, tree, cast):
    for day in ("2026-08-31", "2026-09-01", "2026-09-02", "2026-12-01", "2026-12-15", "2027-02-01", "2027-03-01"):
        run(day)
    assert thresholds(tree.branch_a) == ["6m", "3m", "1m"]

    for day in ("2027-03-02", "2027-03-05", "2027-03-08", "2027-03-09", "2027-03-16"):
        run(day)
    assert keys(tree.branch_a)[3:] == [
        f"term:{members_term(tree).pk}:2027-03-01:overdue-w0",
        f"term:{members_term(tree).pk}:2027-03-01:overdue-w1",
        f"term:{members_term(tree).pk}:2027-03-01:overdue-w2",
    ]
    # Two recipients for each of the six reminders.
    assert Notification.objects.filter(organization=tree.branch_a).count() == 12

    start_term(
        organization=tree.branch_a,
        started_on=D(2027, 3, 20),
        positions=[(members.a[3], "secretary")],
        has_committee=True,
    )
    for day in ("2027-03-23", "2027-03-30", "2027-06-01"):
        run(day)
    assert len(thresholds(tree.branch_a)) == 6


def members_term(tree) -> CommitteeTerm:
    return CommitteeTerm.objects.filter(organization=tree.branch_a).order_by("started_on").first()


def test_reminder_text_is_chinese_with_days_left_and_a_link_to_the_organization_page(members, tree, cast):
    run("2026-12-01")
    notification = Notification.objects.filter(organization=tree.branch_a, recipient=cast.secretary).get()

    assert notification.kind == Notification.Kind.TERM_REMINDER
    assert notification.title == "换届提醒:甲集团第一党支部距任期届满还有90天"
    assert "2027年3月1日任期届满" in notification.body
    assert "届满前3个月提醒" in notification.body
    assert notification.link == "/orgs/EA-B1/"


def test_overdue_text_says_how_long_overdue_and_that_it_repeats_weekly(members, tree, cast):
    run("2027-03-09")
    notification = Notification.objects.filter(organization=tree.branch_a, recipient=cast.secretary).get()

    assert notification.title == "换届超期:甲集团第一党支部已超期8天未换届"
    assert "每周发送一次" in notification.body


def test_a_term_first_seen_two_months_before_expiry_gets_only_the_3_month_reminder(members, tree, cast):
    run("2027-01-01")
    run("2027-01-02")
    assert thresholds(tree.branch_a) == ["3m"]

    run("2027-02-01")
    assert thresholds(tree.branch_a) == ["3m", "1m"]


def test_a_missed_week_sends_only_the_current_overdue_week(members, tree, cast):
    run("2027-03-20")  # day 19 after expiry: week 2
    assert keys(tree.branch_a) == [f"term:{members_term(tree).pk}:2027-03-01:overdue-w2"]


def test_an_approved_extension_moves_the_dates_and_restarts_the_reminders(members, tree, cast):
    run("2026-12-01")
    term = members_term(tree)
    branch_services.term_extend(term=term, months=6, approved_on=D(2027, 1, 15), document="甲党委〔2027〕1号")

    run("2027-02-01")  # the old 1-month day: the new expiry is 2027-09-01, more than 6 months away
    run("2027-03-02")  # the old first overdue day: now exactly 6 months before the new expiry
    assert keys(tree.branch_a) == [f"term:{term.pk}:2027-03-01:3m", f"term:{term.pk}:2027-09-01:6m"]
    latest = Notification.objects.filter(organization=tree.branch_a, recipient=cast.secretary).first()
    assert "2027年9月1日任期届满(已经上级批准延期6个月)" in latest.body

    run("2027-08-01")
    run("2027-09-02")
    assert thresholds(tree.branch_a) == ["3m", "6m", "1m", "overdue"]


def test_recipients_are_the_secretary_and_the_superior_officers_only(members, tree, cast):
    run("2027-02-01")

    assert recipients(tree.branch_a) == ["committee", "secretary"]
    # secretary2 hears about branch B only; the read-only SASAC reviewer is not a recipient.
    assert recipients(tree.branch_b) == ["committee", "secretary2"]
    assert not Notification.objects.filter(recipient=cast.sasac).exists()
    assert not Notification.objects.filter(recipient=cast.secretary2, organization=tree.branch_a).exists()


def test_officers_of_the_nearest_ancestor_with_officers_are_told_when_the_parent_has_none(tree, cast):
    general = make_organization(tree.committee_a, Organization.Kind.GENERAL_BRANCH, code="EA-G1")
    branch = make_organization(general, Organization.Kind.BRANCH, code="EA-G1-B1")
    Role.objects.create(user=UserFactory(username="gsec"), organization=branch, kind=Role.Kind.SECRETARY)
    start_term(organization=branch, started_on=D(2020, 1, 1), positions=[], has_committee=False)

    term_reminders_send(today=D(2023, 1, 5))

    assert recipients(branch) == ["committee", "gsec"]


def test_a_committee_term_reminds_its_own_officers(tree, cast):
    start_term(organization=tree.committee_a, started_on=D(2020, 1, 1), positions=[])

    term_reminders_send(today=D(2024, 7, 1))  # 5-year term: 6 months before 2025-01-01

    assert thresholds(tree.committee_a) == ["6m"]
    assert recipients(tree.committee_a) == ["committee"]


def test_a_reminder_nobody_can_receive_is_not_spent(tree, cast):
    start_term(organization=tree.branch_c, started_on=D(2020, 1, 1), positions=[], has_committee=False)

    summary = term_reminders_send(today=D(2023, 1, 5))
    assert summary.no_recipients == 1
    assert thresholds(tree.branch_c) == []

    Role.objects.create(user=UserFactory(username="csec"), organization=tree.branch_c, kind=Role.Kind.SECRETARY)
    summary = term_reminders_send(today=D(2023, 1, 6))
    assert summary.sent == {"overdue": 1}
    assert recipients(tree.branch_c) == ["csec"]


def test_dissolved_organizations_and_ended_terms_are_not_reminded(members, tree, cast):
    start_term(
        organization=tree.branch_b, started_on=D(2026, 7, 1), positions=[(members.b[0], "secretary")],
        has_committee=False,
    )  # fmt: skip
    term_reminders_send(today=D(2027, 2, 1))
    assert thresholds(tree.branch_b) == []


def test_thresholds_follow_the_term_reminder_months_setting(members, tree, cast, settings):
    settings.TERM_REMINDER_MONTHS = (2,)
    run("2026-09-01")
    run("2027-01-01")
    assert thresholds(tree.branch_a) == ["2m"]


def test_reminders_are_e_mailed_to_recipients_with_an_address(members, tree, cast, settings):
    settings.SITE_URL = "https://djgf.example.com"
    cast.secretary.email = "secretary@example.com"
    cast.secretary.save()

    run("2027-02-01")

    to_branch_a = [m for m in mail.outbox if "甲集团第一党支部" in m.subject]
    assert [m.to for m in to_branch_a] == [["secretary@example.com"]]
    assert "办理入口:https://djgf.example.com/orgs/EA-B1/" in to_branch_a[0].body
    skipped = Delivery.objects.get(notification__recipient=cast.committee, notification__organization=tree.branch_a)
    assert skipped.status == Delivery.Status.SKIPPED


def test_the_organizations_robot_receives_the_reminder(
    members, tree, cast, robot_server, django_capture_on_commit_callbacks
):
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="wecom", url=robot_server.url)

    with django_capture_on_commit_callbacks(execute=True):
        run("2027-02-01")

    assert len(robot_server.received) == 1
    payload = robot_server.received[0]["body"]
    assert payload["msgtype"] == "text"
    assert payload["text"]["content"].startswith("换届提醒:甲集团第一党支部距任期届满还有28天")
    assert robot_server.received[0]["content_type"] == "application/json; charset=utf-8"
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)


def test_a_failing_robot_is_retried_and_in_app_and_e_mail_still_arrive(
    members, tree, cast, robot_server, django_capture_on_commit_callbacks
):
    cast.secretary.email = "secretary@example.com"
    cast.secretary.save()
    robot_server.status = 500
    OrganizationWebhook.objects.create(organization=tree.branch_a, kind="dingtalk", url=robot_server.url)

    with django_capture_on_commit_callbacks(execute=True):
        output = run("2027-02-01")

    assert "届满前1个月(1m):1 条" in output
    assert len(robot_server.received) == WEBHOOK_MAX_RETRIES + 1
    delivery = Delivery.objects.get(channel=Delivery.Channel.WEBHOOK)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, WEBHOOK_MAX_RETRIES + 1)
    assert "HTTP 500" in delivery.last_error
    assert recipients(tree.branch_a) == ["committee", "secretary"]
    assert any(m.to == ["secretary@example.com"] for m in mail.outbox)


def test_reads_stay_bounded_however_many_terms(tree, cast, django_assert_max_num_queries):
    def add_branches(n):
        for _ in range(n):
            branch = make_organization(tree.committee_a, Organization.Kind.BRANCH)
            Role.objects.create(user=UserFactory(), organization=branch, kind=Role.Kind.SECRETARY)
            start_term(organization=branch, started_on=D(2020, 1, 1), positions=[], has_committee=False)

    add_branches(3)
    term_reminders_send(today=D(2023, 1, 5))
    with django_assert_max_num_queries(4):
        assert term_reminders_send(today=D(2023, 1, 5)).already_sent == 3

    add_branches(30)
    summary = term_reminders_send(today=D(2023, 1, 6))
    assert summary.sent == {"overdue": 30}
    with django_assert_max_num_queries(4):
        assert term_reminders_send(today=D(2023, 1, 6)).already_sent == 33


def test_sending_costs_a_fixed_number_of_queries_per_reminder(tree, cast, django_assert_max_num_queries):
    for _ in range(20):
        branch = make_organization(tree.committee_a, Organization.Kind.BRANCH)
        Role.objects.create(user=UserFactory(), organization=branch, kind=Role.Kind.SECRETARY)
        start_term(organization=branch, started_on=D(2020, 1, 1), positions=[], has_committee=False)

    # 4 reads, then per reminder: savepoint, log insert, savepoint, dedupe check, notifications,
    # deliveries, webhooks lookup, release, release.
    with django_assert_max_num_queries(4 + 20 * 9):
        assert term_reminders_send(today=D(2023, 1, 5)).sent == {"overdue": 20}


def test_command_rejects_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_term_reminders", "--today", "2027/02/01")


def test_command_defaults_to_today(db):
    out = StringIO()
    call_command("send_term_reminders", stdout=out)
    assert "换届提醒" in out.getvalue()


def test_a_concurrent_run_that_sent_first_makes_this_run_skip(members, tree, cast, monkeypatch):
    from notifications.reminders import terms as reminders

    real = reminders._recipients_by_organization

    def concurrent_run_commits_first(organizations):
        # Another worker sends branch A's reminder between this run's read and its insert.
        term = members_term(tree)
        ReminderLog.objects.create(
            key=f"term:{term.pk}:2027-03-01:1m", term=term, organization=tree.branch_a, threshold="1m",
            due_on=D(2027, 3, 1), sent_on=D(2027, 2, 1),
        )  # fmt: skip
        return real(organizations)

    monkeypatch.setattr(reminders, "_recipients_by_organization", concurrent_run_commits_first)
    summary = term_reminders_send(today=D(2027, 2, 1))

    assert summary.already_sent == 1
    assert summary.sent == {"overdue": 1}  # branch B's
    assert not Notification.objects.filter(organization=tree.branch_a).exists()


def test_a_term_started_on_29_february_is_reminded_on_its_threshold_day(tree, cast):
    start_term(organization=tree.branch_c, started_on=D(2024, 2, 29), positions=[], has_committee=False)
    Role.objects.create(user=UserFactory(username="csec"), organization=tree.branch_c, kind=Role.Kind.SECRETARY)

    term_reminders_send(today=D(2026, 8, 27))
    assert thresholds(tree.branch_c) == []
    term_reminders_send(today=D(2026, 8, 28))  # expires 2027-02-28; 6 months before
    assert thresholds(tree.branch_c) == ["6m"]
