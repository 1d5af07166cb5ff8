"""Issue 12 point 2: whether an ID number belongs to someone outside my scope is not mine to learn.

A secretary who types (or uploads) the number of a member of another enterprise gets the same guidance as for a
transfer-in (组织关系转接, done by the committee that sees both sides), never "已存在"/"系统中已有" for that row; the lookup is
audited (IdNumberAccess, purpose lookup), and the roster import is rate-limited per user."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from branches import id_lookup
from branches.models import IdNumberAccess, Member
from tests.branches.fixtures_roster import roster_row, roster_upload, valid_rows

pytestmark = pytest.mark.django_db

LEAKS = ("已存在", "系统中已有", "已登记")


def form_data(id_number: str) -> dict:
    return {
        "name": "新党员",
        "gender": "male",
        "ethnicity": "汉族",
        "birth_date": "1985-01-01",
        "education": "bachelor",
        "id_number": id_number,
        "joined_on": "2010-07-01",
        "full_on": "2011-07-01",
        "category": "full",
        "dues_class": "employed",
        "dues_base": "5000",
    }


def post_form(client_for, id_number):
    url = reverse("branches:member_create") + "?org=EA-B1"
    return client_for("secretary").post(url, form_data(id_number))


def lookups():
    return list(IdNumberAccess.objects.filter(purpose="lookup").values_list("user__username", "member__name", "via"))


def test_the_member_form_answers_a_number_held_elsewhere_with_the_transfer_guidance_and_audits(client_for, members):
    count = Member.objects.count()
    body = post_form(client_for, members.c[0].id_number).content.decode()  # 丙0: another enterprise
    assert Member.objects.count() == count
    assert id_lookup.TRANSFER_GUIDANCE in body
    assert not any(leak in body for leak in LEAKS)
    assert lookups() == [("secretary", "丙0", "page")]
    # The answer is the same for a number held in the next branch of the same committee (also outside my scope).
    other = post_form(client_for, members.b[0].id_number).content.decode()
    assert id_lookup.TRANSFER_GUIDANCE in other and not any(leak in other for leak in LEAKS)
    assert len(lookups()) == 2


def test_the_api_answers_a_number_held_elsewhere_with_the_transfer_guidance_and_audits(cast, members):
    client = APIClient()
    client.force_authenticate(cast.secretary)
    payload = {**form_data(members.c[0].id_number), "organization": "EA-B1"}
    response = client.post("/api/v1/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"] == [id_lookup.TRANSFER_GUIDANCE]
    assert lookups() == [("secretary", "丙0", "api")]


def test_a_number_held_inside_my_scope_is_named_as_registered_and_not_audited(client_for, cast, members):
    client = APIClient()
    client.force_authenticate(cast.secretary)
    payload = {**form_data(members.a[5].id_number), "organization": "EA-B1"}
    response = client.post("/api/v1/members/", payload, format="json")
    assert response.json()["errors"]["id_number"] == ["该身份证号码已登记。"]
    assert lookups() == []


def test_the_roster_import_does_not_list_numbers_held_elsewhere_row_by_row(client_for, members):
    rows = [
        *valid_rows(3, "EA-B1"),
        roster_row("EA-B1", 7, id_number=members.c[0].id_number, birth_date=members.c[0].birth_date),
    ]
    rows.append(roster_row("EA-B1", 9, id_number=members.b[1].id_number, birth_date=members.b[1].birth_date))
    count = Member.objects.count()
    body = client_for("secretary").post("/roster/import/", {"file": roster_upload(rows)}).content.decode()
    assert Member.objects.count() == count
    assert "系统中已有" not in body and "第 5 行" not in body and "第 6 行" not in body
    assert id_lookup.IMPORT_GUIDANCE in body
    assert sorted(lookups()) == [("secretary", "丙0", "import"), ("secretary", "乙1", "import")]


def test_the_roster_import_is_rate_limited_per_user(client_for, tree, settings):
    settings.ROSTER_IMPORT_RATE = "3/h"
    client = client_for("secretary")
    for _ in range(3):
        body = client.post("/roster/import/", {"file": roster_upload([roster_row("NOPE", 1)])}).content.decode()
        assert "未找到该党支部或无权导入" in body
    body = client.post("/roster/import/", {"file": roster_upload(valid_rows(1, "EA-B1"))}).content.decode()
    assert id_lookup.IMPORT_RATE_REFUSED.format(limit="3 次/小时") in body
    assert not Member.objects.exists()
    # Another user has their own allowance.
    other = client_for("committee").post("/roster/import/", {"file": roster_upload(valid_rows(1, "EA-B1"))})
    assert other.status_code == 302 and Member.objects.count() == 1
