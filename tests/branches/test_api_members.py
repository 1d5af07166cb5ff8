"""/api/v1/members/: visibility, masked ID numbers, writes and 组织关系转接 through the services, refusals."""

import datetime

import pytest

from branches.id_lookup import TRANSFER_GUIDANCE
from branches.models import Member, Membership
from branches.validators import make_id_number, mask_id_number
from tests.factories import make_member

URL = "/api/v1/members/"


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def new_member_payload(organization="EA-B1", **extra):
    birth = datetime.date(1990, 5, 6)
    payload = {
        "organization": organization,
        "name": "新党员",
        "gender": "female",
        "birth_date": birth.isoformat(),
        "education": "bachelor",
        "id_number": make_id_number("110101", birth, 777),
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
        "category": "full",
    }
    payload.update(extra)
    return payload


A = {f"甲{i}" for i in range(7)}
B = {f"乙{i}" for i in range(3)}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("sasac", A | B | {"丙0"}),
        ("admin", A | B | {"丙0"}),
        ("committee", A | B),
        ("secretary", A),
        ("secretary2", B),
    ],
)
def test_each_role_lists_exactly_the_members_it_may_see(client_for, members, role, expected):
    assert names(client_for(role).get(URL)) == expected


def test_anonymous_visitor_is_refused(client_for, members):
    assert client_for(None).get(URL).status_code in (401, 403)
    assert client_for(None).post(URL, new_member_payload(), content_type="application/json").status_code in (401, 403)


def test_filters_org_under_category_status_and_search(client_for, members, tree):
    client = client_for("committee")
    assert names(client.get(URL, {"org": "EA-B2"})) == B
    assert names(client.get(URL, {"org": "EA-B1-G1"})) == {"甲0", "甲1", "甲2", "甲3"}
    assert names(client.get(URL, {"under": "EA"})) == A | B
    assert names(client.get(URL, {"under": "EA-B1"})) == A
    assert names(client.get(URL, {"category": "probationary"})) == set()
    assert names(client.get(URL, {"status": "normal", "search": "乙"})) == B


def test_org_or_under_an_invisible_organization_is_404(client_for, members):
    client = client_for("secretary")
    assert client.get(URL, {"org": "EA-B2"}).status_code == 404
    assert client.get(URL, {"under": "EA"}).status_code == 404


@pytest.mark.parametrize("role", ["admin", "committee", "secretary", "sasac"])
def test_id_number_is_masked_for_every_role_by_default(client_for, members, role):
    member = members.a[0]
    detail = client_for(role).get(f"{URL}{member.pk}/").json()
    listed = next(row for row in client_for(role).get(URL).json()["results"] if row["id"] == member.pk)
    assert detail["id_number"] == listed["id_number"] == mask_id_number(member.id_number)
    assert detail["id_number_masked"] is True


@pytest.mark.parametrize("role", ["admin", "committee"])
def test_a_role_that_may_see_id_numbers_gets_them_when_it_asks(client_for, members, role):
    member = members.a[0]
    detail = client_for(role).get(f"{URL}{member.pk}/", {"reveal_id": "1"}).json()
    assert detail["id_number"] == member.id_number and detail["id_number_masked"] is False


def test_memberships_come_with_the_detail_only(client_for, members):
    client = client_for("secretary")
    member = members.a[0]
    detail = client.get(f"{URL}{member.pk}/").json()
    assert detail["memberships"] == [
        {
            "organization": {"code": "EA-B1", "name": "甲集团第一党支部"},
            "started_on": "2010-07-01",
            "ended_on": None,
            "note": "建立组织关系",
        }
    ]
    assert "memberships" not in client.get(URL).json()["results"][0]


def test_outsider_gets_404_on_retrieve_update_and_transfer(client_for, members):
    client = client_for("secretary2")
    pk = members.a[0].pk
    assert client.get(f"{URL}{pk}/").status_code == 404
    assert client.patch(f"{URL}{pk}/", {"phone": "1"}, content_type="application/json").status_code == 404
    response = client.post(f"{URL}{pk}/transfer/", {"to": "EA-B2", "on": "2025-01-01"}, content_type="application/json")
    assert response.status_code == 404


def test_reviewer_gets_403_on_every_member_write(client_for, members):
    client = client_for("sasac")
    pk = members.a[0].pk
    assert client.post(URL, new_member_payload(), content_type="application/json").status_code == 403
    assert client.patch(f"{URL}{pk}/", {"phone": "1"}, content_type="application/json").status_code == 403
    assert client.put(f"{URL}{pk}/", {}, content_type="application/json").status_code == 403
    response = client.post(f"{URL}{pk}/transfer/", {"to": "EA-B2", "on": "2025-01-01"}, content_type="application/json")
    assert response.status_code == 403
    assert not Member.objects.filter(name="新党员").exists()


def test_secretary_registers_a_member_in_own_branch_with_the_full_id_number(client_for, members):
    payload = new_member_payload(group="EA-B1-G1", joined_branch_on="2020-01-01")
    response = client_for("secretary").post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    member = Member.objects.get(pk=body["id"])
    assert member.id_number == payload["id_number"]
    assert body["id_number"] == mask_id_number(payload["id_number"])  # a secretary reads it masked
    assert body["group"] == {"code": "EA-B1-G1", "name": "第一党小组"}
    assert body["memberships"][0]["started_on"] == "2020-01-01"


def test_secretary_cannot_register_a_member_in_another_branch(client_for, members):
    response = client_for("secretary").post(URL, new_member_payload("EA-B2"), content_type="application/json")
    assert response.status_code == 404
    assert not Member.objects.filter(name="新党员").exists()


def test_a_member_belongs_to_a_branch_not_a_committee(client_for, members):
    response = client_for("committee").post(URL, new_member_payload("EA"), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"organization": ["党员的组织关系应在党支部。"]}


def test_invalid_or_duplicate_id_numbers_are_400_on_the_field(client_for, members):
    client = client_for("secretary")
    valid = new_member_payload()["id_number"]
    wrong_check = valid[:17] + ("1" if valid[17] != "1" else "2")
    bad = client.post(URL, new_member_payload(id_number=wrong_check), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["errors"]["id_number"] == ["身份证号码校验位不正确"]
    taken = new_member_payload(id_number=members.a[1].id_number)  # issue 12.2: in scope; b[0] was outside it
    response = client.post(URL, taken, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["id_number"] == ["该身份证号码已登记。"]
    elsewhere = client.post(URL, new_member_payload(id_number=members.b[0].id_number), content_type="application/json")
    assert elsewhere.json()["errors"]["id_number"] == [TRANSFER_GUIDANCE]  # outside the scope: no "已登记"


def test_a_model_constraint_broken_is_400(client_for, members):
    # A 正式党员 must have a 转正日期 (CheckConstraint member_full_has_full_on), checked by the service.
    response = client_for("secretary").post(URL, new_member_payload(full_on=None), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_secretary_updates_a_member_and_moves_them_out_of_the_group(client_for, members):
    member = members.a[0]
    response = client_for("secretary").patch(
        f"{URL}{member.pk}/", {"phone": "13900000000", "group": None}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    member.refresh_from_db()
    assert (member.phone, member.group) == ("13900000000", None)


def test_update_cannot_move_a_member_into_a_group_of_another_branch(client_for, members, tree):
    member = members.b[0]
    response = client_for("committee").patch(
        f"{URL}{member.pk}/", {"group": "EA-B1-G1"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"group": ["党小组必须属于该党员所在的党支部。"]}


def test_members_are_never_deleted(client_for, members):
    assert client_for("admin").delete(f"{URL}{members.a[0].pk}/").status_code == 405


def test_officer_transfers_a_member_between_its_branches(client_for, members, tree):
    member = members.a[6]
    payload = {"to": "EA-B2", "on": "2025-03-01", "note": "工作调动"}
    response = client_for("committee").post(f"{URL}{member.pk}/transfer/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organization"]["code"] == "EA-B2"
    assert [(m["organization"]["code"], m["ended_on"]) for m in body["memberships"]] == [
        ("EA-B1", "2025-03-01"),
        ("EA-B2", None),
    ]
    assert Membership.objects.filter(member=member).count() == 2


def test_transfer_needs_write_access_to_the_target_branch_too(client_for, members):
    member = members.a[6]
    response = client_for("secretary").post(
        f"{URL}{member.pk}/transfer/", {"to": "EA-B2", "on": "2025-03-01"}, content_type="application/json"
    )
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.organization.code == "EA-B1"


def test_transfer_to_the_same_branch_is_400(client_for, members):
    member = members.a[6]
    response = client_for("committee").post(
        f"{URL}{member.pk}/transfer/", {"to": "EA-B1", "on": "2025-03-01"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "转入组织与当前所在组织相同。"


@pytest.mark.parametrize("extra", [5, 50])
def test_member_list_query_count_does_not_grow_with_rows(
    client_for, members, tree, django_assert_max_num_queries, extra
):
    for _ in range(extra):
        make_member(tree.branch_a, group=tree.group_a)
    client = client_for("committee")
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.json()["results"]) == min(50, 10 + extra)
    with django_assert_max_num_queries(6):
        client.get(URL, {"under": "EA-B1", "search": "党员"})
