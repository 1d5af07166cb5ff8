"""Issue 12 point 1: a masked ID number stays masked. What a role without the reveal right sees — the masked number
together with 出生日期 shown beside it — must not give back the 18-character number: the mask shows at most the last
four characters, so neither the region code nor the birth-date digits are on the page, in the API or in the ledger."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches.models import IdNumberAccess
from branches.validators import mask_id_number

pytestmark = pytest.mark.django_db

# Anything that looks like an ID number, masked or not: 18 characters of digits, X and *.
ID_LIKE = re.compile(r"(?<![0-9X*])[0-9X*]{18}(?![0-9X*])")


def assert_not_rebuildable(text: str, members) -> None:
    """No shown ID-like string carries more than the last four characters, and none holds a member's birth digits."""
    shown = ID_LIKE.findall(text)
    assert shown, "the page shows no ID number at all"
    for token in shown:
        assert token[:14] == "*" * 14, f"{token} shows more than the last four characters"
    for member in members:
        assert member.id_number not in text
        assert member.id_number[:6] + "*" not in text  # the old mask's region code
        assert f"*{member.id_number[-4:]}" in text


def test_the_mask_keeps_only_the_last_four_characters():
    masked = mask_id_number("11010119900307123X")
    assert masked == "**************123X"
    assert "19900307" not in masked and "110101" not in masked


def test_sasac_on_a_member_page_cannot_rebuild_the_number_from_mask_and_birth_date(client_for, members):
    member = members.a[2]
    body = client_for("sasac").get(reverse("branches:member_detail", args=[member.pk])).content.decode()
    assert member.birth_date.strftime("%Y-%m-%d") in body  # 出生日期 is shown beside the mask
    assert_not_rebuildable(body, [member])
    assert not IdNumberAccess.objects.exists()


def test_a_secretary_on_the_members_api_cannot_rebuild_any_number(cast, members):
    client = APIClient()
    client.force_authenticate(cast.secretary)
    rows = client.get("/api/v1/members/", {"org": "EA-B1"}).json()["results"]
    assert len(rows) == 7 and all(row["birth_date"] for row in rows)
    assert_not_rebuildable(" ".join(row["id_number"] for row in rows), members.a)
    detail = client.get(f"/api/v1/members/{members.a[0].pk}/").json()
    assert_not_rebuildable(detail["id_number"], [members.a[0]])


def test_the_ledger_roster_sheet_cannot_give_back_any_number(client_for, members):
    response = client_for("committee").get(reverse("ledgers:branch_ledger", args=["EA-B1", 2026]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["党员花名册"]
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert_not_rebuildable(text, members.a)
    assert not IdNumberAccess.objects.exists()


def test_the_admin_changelist_and_the_template_filter_use_the_same_mask(client_for, members):
    body = client_for("admin").get(reverse("admin:branches_member_changelist")).content.decode()
    assert_not_rebuildable(body, [*members.a, *members.b, *members.c])
    member_list = client_for("secretary").get(reverse("branches:member_list"), {"org": "EA-B1"}).content.decode()
    assert_not_rebuildable(member_list, members.a)
