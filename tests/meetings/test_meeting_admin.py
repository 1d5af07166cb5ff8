"""The admin writes through the services and keeps archived meetings locked."""

import pytest

from meetings.models import Meeting
from tests.meetings.meeting_helpers import K, archived, hold, plan

pytestmark = pytest.mark.django_db


def admin_url(meeting, action="change"):
    return f"/admin/meetings/meeting/{meeting.pk}/{action}/"


def form_data(meeting, **overrides):
    data = {"date": meeting.date.isoformat(), "topic": meeting.topic, "place": meeting.place}
    for prefix in ("agenda_items", "attendances", "attachments", "amendments"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_archived_meeting_is_read_only_in_the_admin(client_for, tree, members):
    meeting = archived(tree, topic="原主题")
    client = client_for("admin")
    page = client.get(admin_url(meeting))
    assert page.status_code == 200 and 'name="topic"' not in page.content.decode()
    assert client.post(admin_url(meeting), form_data(meeting, topic="改了")).status_code == 403
    assert client.post(admin_url(meeting, "delete"), {"post": "yes"}).status_code == 403
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert fresh.topic == "原主题" and fresh.status == Meeting.Status.ARCHIVED


def test_admin_change_goes_through_the_service(client_for, tree, members):
    meeting = plan(tree, topic="原主题")
    response = client_for("admin").post(admin_url(meeting), form_data(meeting, topic="新主题", place="会议室"))
    assert response.status_code == 302
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert (fresh.topic, fresh.place) == ("新主题", "会议室")
    assert fresh.history.first().history_user.username == "admin"


def test_admin_shows_a_refused_rule_on_the_form(client_for, tree, members):
    meeting = hold(plan(tree, K.PARTY_LECTURE), lecturer_name="王老师")
    response = client_for("admin").post(admin_url(meeting), form_data(meeting, lecturer_name=""))
    assert response.status_code == 200 and "授课人" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).lecturer_name == "王老师"


def test_admin_add_plans_with_a_roll(client_for, tree, members):
    data = form_data(Meeting(date=tree.branch_a.established_on.replace(year=2025), topic="主题党日"))
    data.update({"organization": tree.branch_a.pk, "kind": "theme_day"})
    response = client_for("admin").post("/admin/meetings/meeting/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Meeting.objects.get().attendances.count() == 7


def test_admin_deletes_only_plans(client_for, tree, members):
    client = client_for("admin")
    held = hold(plan(tree))
    assert client.post(admin_url(held, "delete"), {"post": "yes"}).status_code == 403
    planned = plan(tree)
    assert client.post(admin_url(planned, "delete"), {"post": "yes"}).status_code == 302
    assert list(Meeting.objects.values_list("pk", flat=True)) == [held.pk]
