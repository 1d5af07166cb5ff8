"""Query counts of logging a meeting: planning, holding (the meeting-logging request) and archiving, through the
API and the pages (issue 6 point 7: the p95 of logging a meeting under load).

Each count is pinned, and shown not to grow with the size of the roll or the number of absentees: attendance is
written in one bulk insert / one bulk update whatever the roll. What the counts were before this work: API plan
34, hold 37, archive 30 (full_clean() re-selected every foreign key and ran each check constraint as a query).
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting
from tests.factories import make_member
from tests.meetings.meeting_helpers import PAST, K, complete, hold, plan

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/"

# API (force_authenticate: a real request adds one query for the token). Each includes the access check, the
# reload for the answer (2), and the savepoint pair of the service's transaction in the test database.
API_PLAN = 13
API_HOLD = 15
API_ARCHIVE = 11
# Pages (session + user: 2 more than the API).
PAGE_PLAN = 12
PAGE_RECORD = 16
PAGE_ARCHIVE = 10  # + the roll read by the completeness check (meetings/completeness.py)
# Absentees, however many: one bulk UPDATE of their rows and one bulk INSERT of their history.
ABSENTEES = 2


@pytest.fixture
def api(cast):
    client = APIClient()
    client.force_authenticate(cast.secretary)
    return client


def _grow_branch(tree, extra):
    for i in range(extra):
        make_member(tree.branch_a, name=f"增{i}")


def _absent_payload(members):
    return [{"member": m.pk, "absence_reason": "leave", "note": "出差"} for m in members]


# ---- API -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 25])
def test_planning_through_the_api_costs_the_same_for_any_roll(api, tree, members, django_assert_max_num_queries, extra):
    _grow_branch(tree, extra)
    body = {"organization": "EA-B1", "kind": "theme_day", "date": PAST.isoformat(), "topic": "主题党日"}
    with django_assert_max_num_queries(API_PLAN):
        response = api.post(BASE, body, format="json")
    assert response.status_code == 201
    assert response.json()["expected_count"] == 7 + extra
    assert response.json()["host_name"] == members.a[0].name  # the 书记 hosts by default


@pytest.mark.parametrize("kind", [K.BRANCH_COMMITTEE, K.BRANCH_ASSEMBLY])
def test_planning_a_committee_meeting_reads_the_term_once(api, tree, members, django_assert_max_num_queries, kind):
    body = {"organization": "EA-B1", "kind": kind, "date": PAST.isoformat(), "topic": "会议"}
    with django_assert_max_num_queries(API_PLAN):
        assert api.post(BASE, body, format="json").status_code == 201


@pytest.mark.parametrize("extra,absentees", [(0, 0), (0, 1), (25, 6)])
def test_holding_through_the_api_costs_the_same_for_any_roll_and_absentees(
    api, tree, members, django_assert_max_num_queries, extra, absentees
):
    _grow_branch(tree, extra)
    meeting = plan(tree, K.THEME_DAY)
    body = {
        "content": "学习讨论",
        "first_topic": "学习最新讲话精神",
        "agenda": ["发展党员", "党费收缴"],
        "absent": _absent_payload(members.a[1 : 1 + absentees]),
    }
    with django_assert_max_num_queries(API_HOLD + (ABSENTEES if absentees else 0)):
        response = api.post(f"{BASE}{meeting.pk}/hold/", body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["expected_count"], data["present_count"]) == ("held", 7 + extra, 7 + extra - absentees)
    assert [a["title"] for a in data["agenda"]] == ["学习最新讲话精神", "发展党员", "党费收缴"]
    assert Attendance.objects.filter(meeting=meeting, present=False, absence_reason="leave").count() == absentees
    assert Attendance.history.filter(meeting_id=meeting.pk, history_type="~").count() == absentees


def test_holding_a_meeting_with_resolutions_checks_the_quorum_in_one_more_query(
    api, tree, members, django_assert_max_num_queries
):
    meeting = plan(tree, K.BRANCH_ASSEMBLY)
    body = {"content": "讨论", "resolutions": "同意", "absent": _absent_payload(members.a[:2])}
    with django_assert_max_num_queries(API_HOLD + ABSENTEES + 1):
        assert api.post(f"{BASE}{meeting.pk}/hold/", body, format="json").status_code == 200


def test_holding_without_quorum_is_still_refused(api, tree, members):
    meeting = plan(tree, K.BRANCH_ASSEMBLY)
    body = {"content": "讨论", "resolutions": "同意", "absent": _absent_payload(members.a[:4])}
    response = api.post(f"{BASE}{meeting.pk}/hold/", body, format="json")
    assert response.status_code == 400 and "超过半数" in response.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED  # nothing written: the transaction rolled back
    assert not Attendance.objects.filter(meeting=meeting, present=False).exists()


@pytest.mark.parametrize("extra", [0, 25])
def test_archiving_through_the_api_costs_the_same_for_any_roll(
    api, tree, members, django_assert_max_num_queries, extra
):
    _grow_branch(tree, extra)
    meeting = hold(plan(tree, K.THEME_DAY), absentees=members.a[1:3], **complete(members, recorder=members.a[0]))
    with django_assert_max_num_queries(API_ARCHIVE):
        response = api.post(f"{BASE}{meeting.pk}/archive/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "archived"


def test_refusals_stay_cheap_and_answer_as_before(client_for, cast, tree, members, django_assert_max_num_queries):
    meeting = plan(tree, K.THEME_DAY)
    outsider, reviewer = APIClient(), APIClient()
    outsider.force_authenticate(cast.secretary2)
    reviewer.force_authenticate(cast.sasac)
    with django_assert_max_num_queries(3):
        assert outsider.post(f"{BASE}{meeting.pk}/hold/", {"content": "x"}, format="json").status_code == 404
    assert reviewer.post(f"{BASE}{meeting.pk}/hold/", {"content": "x"}, format="json").status_code == 403
    assert APIClient().post(f"{BASE}{meeting.pk}/hold/", {"content": "x"}, format="json").status_code in (401, 403)


# ---- pages ---------------------------------------------------------------------------------------------------


def _record_data(meeting, *, absent=(), **fields):
    data = {"date": meeting.date.isoformat(), "topic": meeting.topic, "content": "学习并讨论", **fields}
    for row in meeting.attendances.all():
        if row.member_id in absent:
            data[f"reason_{row.member_id}"] = "official"
        else:
            data[f"present_{row.member_id}"] = "on"
    return data


@pytest.mark.parametrize("extra", [0, 25])
def test_planning_on_the_page_costs_the_same_for_any_roll(
    client_for, tree, members, django_assert_max_num_queries, extra
):
    _grow_branch(tree, extra)
    client = client_for("secretary")
    data = {"kind": "theme_day", "date": PAST.isoformat(), "topic": "主题党日"}
    with django_assert_max_num_queries(PAGE_PLAN):
        response = client.post(reverse("meetings:meeting_create") + "?org=EA-B1", data)
    assert response.status_code == 302
    assert Meeting.objects.get(topic="主题党日").attendances.count() == 7 + extra


@pytest.mark.parametrize("extra,absentees", [(0, 0), (25, 6)])
def test_recording_on_the_page_costs_the_same_for_any_roll_and_absentees(
    client_for, tree, members, django_assert_max_num_queries, extra, absentees
):
    _grow_branch(tree, extra)
    meeting = plan(tree, K.BRANCH_ASSEMBLY)
    absent = {m.pk for m in members.a[1 : 1 + absentees]}
    data = _record_data(
        meeting, absent=absent, first_topic="学习", agenda="发展党员", host=members.a[0].pk, recorder=members.a[1].pk
    )
    client = client_for("secretary")
    with django_assert_max_num_queries(PAGE_RECORD + (ABSENTEES if absentees else 0)):
        response = client.post(reverse("meetings:meeting_record", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.recorder == members.a[1]
    assert meeting.attendances.filter(present=False, absence_reason="official").count() == absentees
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("title", flat=True)) == ["学习", "发展党员"]


def test_archiving_on_the_page_costs_a_fixed_number_of_queries(
    client_for, tree, members, django_assert_max_num_queries
):
    meeting = hold(plan(tree), **complete(members))
    client = client_for("secretary")
    with django_assert_max_num_queries(PAGE_ARCHIVE):
        response = client.post(reverse("meetings:meeting_archive", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_archived


# ---- what the cheaper save still refuses -----------------------------------------------------------------------


def test_an_end_time_before_the_start_time_is_refused_in_chinese(tree, members):
    import datetime

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="结束时间不能早于开始时间"):
        plan(tree, start_time=datetime.time(15, 0), end_time=datetime.time(14, 0))


def test_a_host_from_another_branch_is_still_refused(tree, members):
    from django.core.exceptions import ValidationError

    meeting = plan(tree, K.THEME_DAY)
    with pytest.raises(ValidationError, match="不是本组织党员"):
        services.meeting_update(meeting=meeting, host=members.b[0])


def test_an_unchanged_agenda_writes_no_history(tree, members):
    meeting = plan(tree, K.THEME_DAY, first_topic="学习", agenda=["发展党员"])
    before = AgendaItem.history.filter(meeting_id=meeting.pk).count()
    services.meeting_update(meeting=meeting, first_topic="学习", agenda=["发展党员"])
    assert AgendaItem.history.filter(meeting_id=meeting.pk).count() == before
    services.meeting_update(meeting=meeting, agenda=["党费收缴"])
    titles = list(AgendaItem.objects.filter(meeting=meeting).order_by("order").values_list("title", flat=True))
    assert titles == ["学习", "党费收缴"]
