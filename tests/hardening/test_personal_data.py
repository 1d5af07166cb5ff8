"""Personal data (issue 6 point 5): ID numbers are masked in every page, export and API answer; a role allowed to see
the full number must ask for it, and each showing writes one IdNumberAccess row (who, whom, when, via, ip)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from branches import services
from branches.models import IdNumberAccess
from branches.validators import make_id_number
from tests.factories import make_member

pytestmark = pytest.mark.django_db

API = "/api/v1/members/"
READERS = ["secretary", "committee", "sasac", "admin"]  # everyone who may open branch A's members


def detail_url(member):
    return reverse("branches:member_detail", args=[member.pk])


@pytest.fixture
def api_for(cast):
    def make(name):
        client = APIClient()
        if name is not None:
            client.force_authenticate(getattr(cast, name))
        return client

    return make


def assert_masked_only(body: str, *members):
    for member in members:
        assert member.id_number not in body
        assert member.masked_id_number in body


# ---- masked by default, for every role ------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_every_role_sees_masked_id_numbers_on_the_member_list(client_for, members, who):
    response = client_for(who).get(reverse("branches:member_list"), {"org": "EA-B1"})
    assert response.status_code == 200
    assert_masked_only(response.content.decode(), *members.a)


@pytest.mark.parametrize("who", READERS)
def test_every_role_sees_masked_id_numbers_on_the_member_page_and_its_history(client_for, members, who):
    member = members.a[3]
    old = member.id_number
    new = make_id_number("110101", member.birth_date, 987)
    services.member_update(member=member, id_number=new)  # the change history holds both numbers
    member.refresh_from_db()
    body = client_for(who).get(detail_url(member)).content.decode()
    assert old not in body and new not in body
    assert member.masked_id_number in body
    assert not IdNumberAccess.objects.exists()


@pytest.mark.parametrize("who", READERS)
def test_every_role_gets_masked_id_numbers_from_the_api_list_and_detail(api_for, members, who):
    client = api_for(who)
    rows = client.get(API, {"org": "EA-B1"}).json()["results"]
    assert len(rows) == 7
    assert all(row["id_number_masked"] for row in rows)
    assert {row["id_number"] for row in rows} == {m.masked_id_number for m in members.a}
    detail = client.get(f"{API}{members.a[0].pk}/").json()
    assert (detail["id_number"], detail["id_number_masked"]) == (members.a[0].masked_id_number, True)
    assert not IdNumberAccess.objects.exists()


def test_api_write_answers_are_masked_too(api_for, members):
    response = api_for("committee").patch(f"{API}{members.a[0].pk}/", {"phone": "13900000000"}, format="json")
    assert response.status_code == 200
    assert response.json()["id_number"] == members.a[0].masked_id_number


def test_the_ledger_workbook_masks_id_numbers(client_for, members):
    response = client_for("committee").get(reverse("ledgers:branch_ledger", args=["EA-B1", 2026]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {m.masked_id_number for m in members.a} <= cells
    assert not any(m.id_number in cell for m in members.a for cell in cells)


def test_officer_edit_page_shows_the_id_number_masked_and_keeps_it_when_sent_back(client_for, members):
    member = members.a[1]
    client = client_for("committee")
    url = reverse("branches:member_edit", args=[member.pk])
    body = client.get(url).content.decode()
    assert_masked_only(body, member)
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(phone="13911112222", group=form["group"].value() or "")
    assert data["id_number"] == member.masked_id_number
    response = client.post(url, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13911112222" and member.id_number == members.a[1].id_number
    # A correction typed in full is taken.
    corrected = make_id_number("110101", member.birth_date, 555)
    assert client.post(url, {**data, "id_number": corrected}).status_code == 302
    member.refresh_from_db()
    assert member.id_number == corrected
    assert not IdNumberAccess.objects.exists()


def test_member_admin_change_form_shows_the_id_number_masked(client_for, members):
    member = members.a[0]
    body = client_for("admin").get(reverse("admin:branches_member_change", args=[member.pk])).content.decode()
    assert_masked_only(body, member)


# ---- revealing, on the page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["committee", "admin"])
def test_allowed_role_reveals_the_full_number_on_the_page_and_one_audit_row_is_written(client_for, cast, members, who):
    member = members.a[2]
    client = client_for(who)
    assert "查看完整身份证号" in client.get(detail_url(member)).content.decode()
    response = client.post(detail_url(member), {"reveal_id_number": "1"})
    assert response.status_code == 200 and member.id_number in response.content.decode()
    row = IdNumberAccess.objects.get()
    assert (row.user, row.member, row.via, row.ip) == (getattr(cast, who), member, "page", "127.0.0.1")
    assert row.at is not None
    # The next plain visit is masked again.
    assert member.id_number not in client.get(detail_url(member)).content.decode()
    assert IdNumberAccess.objects.count() == 1


@pytest.mark.parametrize("who", ["secretary", "sasac"])
def test_roles_that_may_not_see_the_full_number_get_no_button_and_403(client_for, members, who):
    member = members.a[2]
    client = client_for(who)
    assert "查看完整身份证号" not in client.get(detail_url(member)).content.decode()
    response = client.post(detail_url(member), {"reveal_id_number": "1"})
    assert response.status_code == 403 and member.id_number not in response.content.decode()
    assert not IdNumberAccess.objects.exists()


def test_outsider_and_anonymous_cannot_reveal(client_for, members):
    member = members.a[2]
    assert client_for("secretary2").post(detail_url(member), {"reveal_id_number": "1"}).status_code == 404
    response = client_for(None).post(detail_url(member), {"reveal_id_number": "1"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not IdNumberAccess.objects.exists()


def test_an_officer_cannot_reveal_outside_the_subtree(client_for, members):
    assert client_for("committee").post(detail_url(members.c[0]), {"reveal_id_number": "1"}).status_code == 404
    assert not IdNumberAccess.objects.exists()


# ---- revealing, in the API -------------------------------------------------------------------------------------------


def test_officer_reveals_one_member_through_the_api_and_it_is_audited(api_for, cast, members):
    member = members.a[0]
    data = api_for("committee").get(f"{API}{member.pk}/", {"reveal_id": "1"}).json()
    assert (data["id_number"], data["id_number_masked"]) == (member.id_number, False)
    row = IdNumberAccess.objects.get()
    assert (row.user, row.member, row.via) == (cast.committee, member, "api")


def test_officer_reveals_a_list_page_and_each_member_shown_is_audited_once(api_for, members):
    rows = api_for("committee").get(API, {"under": "EA", "reveal_id": "true"}).json()["results"]
    shown = {m.pk: m.id_number for m in [*members.a, *members.b]}
    assert {row["id"]: row["id_number"] for row in rows} == shown
    assert not any(row["id_number_masked"] for row in rows)
    assert sorted(IdNumberAccess.objects.values_list("member_id", flat=True)) == sorted(shown)
    assert set(IdNumberAccess.objects.values_list("via", flat=True)) == {"api"}


@pytest.mark.parametrize("who", ["secretary", "sasac"])
def test_roles_that_may_not_see_the_full_number_get_403_from_the_api(api_for, members, who):
    client = api_for(who)
    assert client.get(f"{API}{members.a[0].pk}/", {"reveal_id": "1"}).status_code == 403
    assert client.get(API, {"org": "EA-B1", "reveal_id": "1"}).status_code == 403
    assert not IdNumberAccess.objects.exists()


def test_outsider_and_anonymous_cannot_reveal_through_the_api(api_for, members):
    assert api_for("secretary2").get(f"{API}{members.a[0].pk}/", {"reveal_id": "1"}).status_code == 404
    assert api_for(None).get(f"{API}{members.a[0].pk}/", {"reveal_id": "1"}).status_code in (401, 403)
    assert not IdNumberAccess.objects.exists()


def test_revealing_a_list_costs_the_same_queries_for_more_members(
    api_for, tree, members, django_assert_max_num_queries
):
    client = api_for("committee")
    bound = 8  # user, roles, count, page, audit insert (+ savepoint) — not one per member
    with django_assert_max_num_queries(bound):
        assert len(client.get(API, {"under": "EA", "reveal_id": "1"}).json()["results"]) == 10
    for i in range(15):
        make_member(tree.branch_b, name=f"新{i}")
    with django_assert_max_num_queries(bound):
        assert len(client.get(API, {"under": "EA", "reveal_id": "1"}).json()["results"]) == 25
    assert IdNumberAccess.objects.count() == 35


# ---- the audit log is read-only ----------------------------------------------------------------------------------------


def test_the_audit_admin_lists_rows_but_nobody_adds_changes_or_deletes(client_for, cast, members):
    row = IdNumberAccess.objects.create(user=cast.committee, member=members.a[0], via="page", ip="10.0.0.1")
    client = client_for("admin")
    changelist = client.get(reverse("admin:branches_idnumberaccess_changelist"))
    assert changelist.status_code == 200 and "10.0.0.1" in changelist.content.decode()
    assert client.get(reverse("admin:branches_idnumberaccess_add")).status_code == 403
    change_url = reverse("admin:branches_idnumberaccess_change", args=[row.pk])
    page = client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view-only
    assert client.post(change_url, {"via": "api", "ip": "1.2.3.4"}).status_code == 403
    assert (
        client.post(reverse("admin:branches_idnumberaccess_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    )
    bulk = client.post(
        reverse("admin:branches_idnumberaccess_changelist"), {"action": "delete_selected", "_selected_action": [row.pk]}
    )
    assert bulk.status_code in (200, 302)
    row.refresh_from_db()
    assert (row.via, row.ip) == ("page", "10.0.0.1")
