"""思想汇报 (local practice, RECRUITMENT_THOUGHT_REPORT_QUARTERLY): 入党积极分子, 发展对象 and 预备党员 report in
writing each quarter; a missing one is overdue the day after its quarter ends, on the to-do list, the pipeline pages
and in the reminders. Named like the rule, with its boundaries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from notifications.models import Notification
from notifications.reminders.recruitment import recruitment_reminders_send
from recruitment import rules, selectors, services
from recruitment.models import Person, ThoughtReport

D = datetime.date
pytestmark = pytest.mark.django_db


ENTERED = D(2023, 1, 10)


def entered(person, day=ENTERED):
    """The person was entered in the system on `day` (the tests create them today with past steps)."""
    Person.objects.filter(pk=person.pk).update(
        created_at=timezone.make_aware(datetime.datetime(day.year, day.month, day.day))
    )
    return selectors.person_queryset().get(pk=person.pk)


def report(person, quarter, submitted_on, **kwargs):
    return services.thought_report_record(person=person, quarter=quarter, submitted_on=submitted_on, **kwargs)


def due(person):
    return rules.report_due(selectors.path_of(Person.objects.get(pk=person.pk)))


@pytest.fixture
def activist(recruit):
    """An 入党积极分子 from 2023-03-01 (step 3), entered in the system on 2023-01-10."""
    return entered(recruit.walk(recruit(), 3))


def test_an_activist_reports_each_quarter_from_the_first_full_quarter(activist):
    assert due(activist).due_on == D(2023, 6, 30)  # step 3 on 2023-03-01: 2023年第二季度 is the first owed
    assert due(activist).name == "思想汇报(2023年第二季度)"


def test_an_applicant_owes_no_thought_report(recruit):
    assert due(entered(recruit.walk(recruit(), 2))) is None


def test_a_missing_report_is_overdue_the_day_after_its_quarter_ends(activist):
    assert not selectors.overdue_steps(today=D(2023, 6, 30), branch=activist.branch)
    overdue = selectors.overdue_steps(today=D(2023, 7, 1), branch=activist.branch)
    assert [(o.number, o.label, o.days_overdue) for o in overdue] == [(0, "思想汇报(2023年第二季度)", 1)]


def test_a_report_clears_its_quarter_and_the_next_one_is_due(activist):
    report(activist, D(2023, 5, 15), D(2023, 5, 15))
    assert ThoughtReport.objects.get().quarter == D(2023, 4, 1)
    assert due(activist).due_on == D(2023, 9, 30)


def test_a_late_report_names_the_quarter_it_was_owed_for(activist):
    report(activist, D(2023, 4, 1), D(2023, 7, 20), notes="补交")
    assert due(activist).due_on == D(2023, 9, 30)
    assert [o.number for o in selectors.overdue_steps(today=D(2023, 9, 30), branch=activist.branch)] == [6]  # 考察


def test_a_report_is_recorded_once_per_quarter(activist):
    report(activist, D(2023, 4, 1), D(2023, 4, 3))
    with pytest.raises(ValidationError, match="2023年第二季度的思想汇报已记录"):
        report(activist, D(2023, 6, 1), D(2023, 6, 1))


def test_a_report_is_not_handed_in_before_its_quarter_begins(activist):
    with pytest.raises(ValidationError, match="不能早于所属季度"):
        report(activist, D(2023, 7, 1), D(2023, 6, 30))


def test_a_report_before_the_person_became_an_activist_is_refused(recruit):
    person = entered(recruit.walk(recruit(), 2))
    with pytest.raises(ValidationError, match=r"思想汇报\(本地规定\).*尚未确定为入党积极分子"):
        report(person, D(2023, 1, 20), D(2023, 1, 20))


def test_a_report_in_the_future_is_refused(activist):
    with pytest.raises(ValidationError, match="晚于今天"):
        report(activist, D(2023, 4, 1), D(2023, 4, 3), today=D(2023, 4, 2))


def test_candidates_and_probationary_members_keep_reporting_until_the_conversion(recruit):
    person = entered(recruit.walk(recruit(), 22))
    assert due(person).due_on == D(2023, 6, 30)  # never reported: the first owed quarter stays overdue
    person = entered(recruit.walk(recruit(), 24))
    assert due(person) is None  # 转正 approved: no more reports


def test_a_person_entered_half_way_owes_from_the_quarter_entered(recruit):
    person = entered(recruit.walk(recruit(), 7), D(2024, 3, 20))
    assert due(person).due_on == D(2024, 3, 31)


def test_the_quarterly_report_can_be_switched_off(activist, settings):
    settings.RECRUITMENT_THOUGHT_REPORT_QUARTERLY = False
    assert due(activist) is None
    assert [o.number for o in selectors.overdue_steps(today=D(2024, 1, 1), branch=activist.branch)] == [6]


def test_the_branch_is_reminded_before_and_after_the_quarter_ends(activist, cast):
    assert recruitment_reminders_send(today=D(2023, 6, 15)).items == 0
    assert recruitment_reminders_send(today=D(2023, 6, 16)).items == 1  # 14 days before 2023-06-30
    assert recruitment_reminders_send(today=D(2023, 7, 1)).items == 1  # overdue, week 0
    bodies = [n.body for n in Notification.objects.filter(recipient=cast.secretary, kind="recruitment_reminder")]
    assert all("思想汇报(2023年第二季度)截止 2023-06-30" in b for b in bodies)
    assert not Notification.objects.filter(recipient=cast.committee, kind="recruitment_reminder").exists()


def test_the_overdue_report_is_on_the_secretarys_lists(activist, client_for, django_assert_max_num_queries):
    # Today the quarters since 2023 are long past: the first unreported one is overdue on the branch's page.
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        html = client.get(f"/recruitment/branch/{activist.branch.code}/").content.decode()
    assert "思想汇报(2023年第二季度)应于 2023-06-30 前完成" in html
    home = client.get("/").content.decode()
    assert "思想汇报(2023年第二季度)" in home


def test_the_secretary_records_a_report_on_one_screen(activist, client_for, django_assert_max_num_queries):
    client = client_for("secretary")
    page = client.get(f"/recruitment/people/{activist.pk}/report/").content.decode()
    assert "2023-06-30" in page  # the owed quarter preselected
    response = client.post(
        f"/recruitment/people/{activist.pk}/report/",
        {"quarter": "2023-06-30", "submitted_on": "2023-06-20", "notes": "学习党章体会"},
    )
    assert response.status_code == 302
    assert ThoughtReport.objects.get(person=activist).recorded_by.username == "secretary"
    with django_assert_max_num_queries(16):
        html = client.get(f"/recruitment/people/{activist.pk}/").content.decode()
    assert "2023年第二季度 · 2023-06-20 提交" in html and "思想汇报(2023年第三季度)" in html
