"""A meeting planned far ahead (more than a year) asks for confirmation in the page, then is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.forms import far_ahead
from meetings.models import Meeting

pytestmark = pytest.mark.django_db

URL = reverse("meetings:meeting_create") + "?org=EA-B1"


def test_far_ahead_rule():
    today = datetime.date(2026, 12, 3)
    assert not far_ahead(datetime.date(2027, 12, 3), today)
    assert far_ahead(datetime.date(2027, 12, 4), today)
    assert far_ahead(datetime.date(2036, 1, 1), today)


def test_far_date_asks_then_saves(client_for, tree, members):
    client = client_for("secretary")
    day = timezone.localdate() + datetime.timedelta(days=3650)
    data = {"kind": Meeting.Kind.BRANCH_ASSEMBLY, "date": day.isoformat(), "topic": "十年后的会"}
    body = client.post(URL, data).content.decode()
    assert "请核对" in body and 'name="confirm_far_date"' in body and not Meeting.objects.exists()
    response = client.post(URL, {**data, "confirm_far_date": "on"})
    assert response.status_code == 302 and Meeting.objects.get().date == day


def test_near_date_needs_no_confirmation(client_for, tree, members):
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {"kind": Meeting.Kind.BRANCH_ASSEMBLY, "date": day.isoformat(), "topic": "下月的会"}
    assert client_for("secretary").post(URL, data).status_code == 302


def test_errors_are_listed_all_at_once(client_for, tree, members):
    body = client_for("secretary").post(URL, {"kind": Meeting.Kind.BRANCH_ASSEMBLY}).content.decode()
    assert "请修改下面 2 处" in body and "会议日期:请填写这一项" in body and "会议主题:请填写这一项" in body
    assert "字段" not in body
