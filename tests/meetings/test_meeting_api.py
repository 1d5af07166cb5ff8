"""/api/v1/meetings/: access matrix, lifecycle, the locked archive (409), filters, query counts."""

import datetime

import pytest
from rest_framework.test import APIClient

from meetings.models import Attendance, Meeting, MeetingAmendment
from tests.meetings.meeting_helpers import K, archived, hold, plan

pytestmark = pytest.mark.django_db

BASE = "/api/v1/meetings/"


@pytest.fixture
def api_for(cast):
    def make(name):
        client = APIClient()
        if name is not None:
            client.force_authenticate(getattr(cast, name))
        return client

    return make


@pytest.fixture
def meeting(tree, members):
    return plan(tree, K.BRANCH_COMMITTEE, topic="支委会")


@pytest.mark.parametrize(
    "who,status", [("secretary", 200), ("committee", 200), ("sasac", 200), ("admin", 200), ("secretary2", 404)]
)
def test_retrieve_access(api_for, meeting, who, status):
    assert api_for(who).get(f"{BASE}{meeting.pk}/").status_code == status


def test_anonymous_is_refused(api_for, meeting):
    assert api_for(None).get(BASE).status_code in (401, 403)
    assert api_for(None).get(f"{BASE}{meeting.pk}/").status_code in (401, 403)


@pytest.mark.parametrize("who,status", [("sasac", 403), ("secretary2", 404)])
def test_writes_refused_to_reader_and_outsider(api_for, meeting, members, who, status):
    client = api_for(who)
    pk = meeting.pk
    assert client.patch(f"{BASE}{pk}/", {"topic": "x"}, format="json").status_code == status
    assert client.post(f"{BASE}{pk}/hold/", {}, format="json").status_code == status
    assert client.post(f"{BASE}{pk}/archive/", {}, format="json").status_code == status
    assert client.put(f"{BASE}{pk}/attendance/", {"absent": []}, format="json").status_code == status
    assert (
        client.post(f"{BASE}{pk}/amendments/", {"reason": "r", "changes": {"place": "x"}}, format="json").status_code
        == status
    )
    assert client.delete(f"{BASE}{pk}/").status_code == status
    assert Meeting.objects.get(pk=pk).topic == "支委会"


def test_outsider_cannot_create_in_secretarys_branch(api_for, tree, members):
    body = {"organization": "EA-B1", "kind": "theme_day", "date": "2025-03-05", "topic": "x"}
    assert api_for("secretary2").post(BASE, body, format="json").status_code == 404
    assert api_for("sasac").post(BASE, body, format="json").status_code == 403
    assert not Meeting.objects.exists()


def test_outsider_list_does_not_show_the_meeting(api_for, meeting):
    assert api_for("secretary2").get(BASE).json()["count"] == 0
    assert api_for("secretary2").get(BASE, {"org": "EA-B1"}).status_code == 404


def test_full_lifecycle_through_the_api(api_for, tree, members):
    client = api_for("secretary")
    response = client.post(
        BASE,
        {
            "organization": "EA-B1",
            "kind": "branch_committee",
            "date": "2025-03-05",
            "topic": "研究发展党员",
            "first_topic": "学习讲话精神",
            "agenda": ["发展党员"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["status"], data["expected_count"], data["present_count"]) == ("planned", 3, 3)
    assert data["agenda"][0] == {"order": 1, "title": "学习讲话精神", "is_first_topic": True}
    pk = data["id"]
    absentee = members.a[2].pk
    response = client.post(
        f"{BASE}{pk}/hold/",
        {
            "content": "讨论",
            "resolutions": "同意",
            "absent": [{"member": absentee, "absence_reason": "sick"}],
            "recorder": members.a[1].pk,  # a complete record: the archive checks completeness
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["present_count"]) == ("held", 2)
    assert response.json()["quorum"]["ok"] is True
    attendance = client.get(f"{BASE}{pk}/attendance/").json()
    assert attendance["expected_count"] == 3 and attendance["present_count"] == 2
    assert any(r["member"] == absentee and r["absence_reason"] == "sick" for r in attendance["rows"])
    assert client.post(f"{BASE}{pk}/archive/").json()["status"] == "archived"
    response = client.post(
        f"{BASE}{pk}/amendments/", {"reason": "地点漏记", "changes": {"place": "会议室"}}, format="json"
    )
    assert response.status_code == 201 and response.json()["changes"] == {"place": ["", "会议室"]}
    assert client.get(f"{BASE}{pk}/amendments/").json()[0]["reason"] == "地点漏记"


def test_archived_meeting_is_locked_in_the_api(api_for, tree, members):
    meeting = archived(tree, topic="原主题")
    client = api_for("secretary")
    pk = meeting.pk
    response = client.patch(f"{BASE}{pk}/", {"topic": "改了"}, format="json")
    assert response.status_code == 409 and "已归档" in response.json()["detail"]
    assert client.put(f"{BASE}{pk}/attendance/", {"absent": []}, format="json").status_code == 409
    assert client.post(f"{BASE}{pk}/hold/", {}, format="json").status_code == 409
    assert client.post(f"{BASE}{pk}/archive/").status_code == 409
    assert client.delete(f"{BASE}{pk}/").status_code == 409
    assert client.put(f"{BASE}{pk}/", {"topic": "改了"}, format="json").status_code == 405
    assert Meeting.objects.get(pk=pk).topic == "原主题"


def test_quorum_refusal_is_a_400_with_the_message(api_for, meeting, members):
    committee = members.a[:3]
    response = api_for("secretary").post(
        f"{BASE}{meeting.pk}/hold/",
        {
            "content": "c",
            "resolutions": "决定",
            "absent": [{"member": m.pk, "absence_reason": "leave"} for m in committee[:2]],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "到会支部委员未超过半数" in response.json()["errors"]["resolutions"][0]


def test_patch_updates_a_planned_meeting(api_for, meeting):
    response = api_for("secretary").patch(f"{BASE}{meeting.pk}/", {"place": "活动室"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "活动室"


def test_attendance_put_needs_a_reason(api_for, meeting, members):
    response = api_for("secretary").put(
        f"{BASE}{meeting.pk}/attendance/", {"absent": [{"member": members.a[0].pk}]}, format="json"
    )
    assert response.status_code == 400
    assert Attendance.objects.filter(meeting=meeting, present=False).count() == 0


def test_amendment_on_unarchived_meeting_is_refused(api_for, meeting):
    response = api_for("secretary").post(
        f"{BASE}{meeting.pk}/amendments/", {"reason": "r", "changes": {"place": "x"}}, format="json"
    )
    assert response.status_code == 400 and not MeetingAmendment.objects.exists()


def test_an_attendance_amendment_through_the_api_changes_the_roll(api_for, tree, members):
    meeting = archived(tree)
    member = members.a[1]
    body = {"reason": "核对签到表", "attendance": {str(member.pk): {"present": False, "reason": "unexcused"}}}
    response = api_for("secretary").post(f"{BASE}{meeting.pk}/amendments/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["changes"] == {f"attendance:{member.pk}:{member.name}": ["出席", "缺席(无故)"]}
    assert not Attendance.objects.get(meeting=meeting, member=member).present
    bad = {"reason": "r", "attendance": {"x": {"present": True}}}
    assert api_for("secretary").post(f"{BASE}{meeting.pk}/amendments/", bad, format="json").status_code == 400


def test_filters(api_for, tree, members):
    plan(tree, K.THEME_DAY, date=datetime.date(2025, 3, 5), topic="三月")
    hold(plan(tree, K.BRANCH_ASSEMBLY, date=datetime.date(2025, 4, 5), topic="四月"))
    plan(tree, K.THEME_DAY, organization=tree.branch_b, date=datetime.date(2025, 3, 6), topic="乙")
    client = api_for("committee")

    def topics(**params):
        return sorted(r["topic"] for r in client.get(BASE, params).json()["results"])

    assert topics() == ["三月", "乙", "四月"]
    assert topics(org="EA-B1") == ["三月", "四月"]
    assert topics(under="EA") == ["三月", "乙", "四月"]
    assert topics(kind="theme_day") == ["三月", "乙"]
    assert topics(status="held") == ["四月"]
    assert topics(date_from="2025-04-01") == ["四月"]
    assert topics(date_to="2025-03-05") == ["三月"]
    assert client.get(BASE, {"org": "EB-B1"}).status_code == 404


@pytest.mark.parametrize("n", [2, 15])
def test_list_query_count_is_flat(api_for, tree, members, django_assert_max_num_queries, n):
    for i in range(n):
        plan(tree, K.THEME_DAY, date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i), first_topic="学习")
    client = api_for("secretary")
    with django_assert_max_num_queries(4):
        response = client.get(BASE)
    assert response.json()["count"] == n


def test_archiving_an_incomplete_record_through_the_api_names_every_gap(api_for, tree, members):
    """The API archives with the same completeness check as the pages: 400, each gap under its field, nothing locked."""
    meeting = hold(plan(tree, K.BRANCH_COMMITTEE))
    response = api_for("secretary").post(f"{BASE}{meeting.pk}/archive/")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"recorder", "agenda"} and "记录人" in str(errors["recorder"])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_the_api_names_people_not_logins(api_for, cast, tree, members):
    """User fields read as the person (周兴文, Chinese order, branches/people.py), with the account id beside them."""
    cast.secretary.last_name, cast.secretary.first_name = "周", "兴文"
    cast.secretary.save(update_fields=["last_name", "first_name"])
    meeting = archived(tree)
    client = api_for("secretary")
    body = {"reason": "地点漏记", "changes": {"place": "会议室"}}
    assert client.post(f"{BASE}{meeting.pk}/amendments/", body, format="json").status_code == 201
    row = client.get(f"{BASE}{meeting.pk}/amendments/").json()[0]
    assert (row["created_by"], row["created_by_id"]) == ("周兴文", cast.secretary.pk)
    assert "secretary" not in str(row)
