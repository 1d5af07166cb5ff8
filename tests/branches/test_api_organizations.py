"""/api/v1/organizations/: visibility per role, filters, writes through the services, refusals, query counts."""

import datetime

import pytest

from branches.models import Organization
from tests.factories import make_member, make_organization

URL = "/api/v1/organizations/"
EVERYTHING = {"ROOT", "EA", "EA-B1", "EA-B1-G1", "EA-B2", "EB", "EB-B1"}


def codes(response):
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("sasac", EVERYTHING),
        ("admin", EVERYTHING),
        ("committee", {"EA", "EA-B1", "EA-B1-G1", "EA-B2"}),
        ("secretary", {"EA-B1", "EA-B1-G1"}),
        ("secretary2", {"EA-B2"}),
    ],
)
def test_each_role_lists_exactly_the_organizations_it_may_see(client_for, role, expected):
    assert codes(client_for(role).get(URL)) == expected


def test_anonymous_visitor_is_refused(client_for):
    assert client_for(None).get(URL).status_code in (401, 403)
    assert client_for(None).get(f"{URL}EA-B1/").status_code in (401, 403)


def test_a_row_carries_parent_enterprise_and_member_count_but_not_the_path(client_for, members):
    row = client_for("committee").get(f"{URL}EA-B1/").json()
    assert row["parent"] == "EA"
    assert row["enterprise"] == {"code": "EA", "name": "甲集团有限公司"}
    assert row["kind"] == "branch" and row["kind_display"] == "党支部"
    assert row["depth"] == 3
    assert row["member_count"] == 7
    assert "path" not in row


def test_member_count_covers_the_subtree_and_a_group_counts_its_own_members(client_for, members):
    rows = {row["code"]: row for row in client_for("sasac").get(URL).json()["results"]}
    assert rows["ROOT"]["member_count"] == 11
    assert rows["ROOT"]["parent"] is None
    assert rows["EA"]["member_count"] == 10
    assert rows["EA-B1-G1"]["member_count"] == 4
    assert rows["EB-B1"]["member_count"] == 1


def test_filters_by_kind_status_enterprise_and_search(client_for, tree):
    client = client_for("sasac")
    assert codes(client.get(URL, {"kind": "branch"})) == {"EA-B1", "EA-B2", "EB-B1"}
    assert codes(client.get(URL, {"enterprise": "EB"})) == {"EB", "EB-B1"}
    assert codes(client.get(URL, {"search": "第二"})) == {"EA-B2"}
    assert codes(client.get(URL, {"search": "eb-"})) == {"EB-B1"}
    assert codes(client.get(URL, {"status": "dissolved"})) == set()


def test_under_lists_the_subtree_of_a_visible_organization(client_for, tree):
    assert codes(client_for("committee").get(URL, {"under": "EA-B1"})) == {"EA-B1", "EA-B1-G1"}


def test_under_an_invisible_or_unknown_organization_is_404(client_for, tree):
    assert client_for("committee").get(URL, {"under": "EB"}).status_code == 404
    assert client_for("committee").get(URL, {"under": "NOPE"}).status_code == 404


def test_a_bad_filter_value_is_400_in_the_error_shape(client_for, tree):
    response = client_for("sasac").get(URL, {"kind": "planet"})
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert "kind" in response.json()["errors"]


def test_outsider_gets_404_on_retrieve_and_update(client_for, tree):
    client = client_for("secretary2")
    assert client.get(f"{URL}EA-B1/").status_code == 404
    assert client.patch(f"{URL}EA-B1/", {"name": "x"}, content_type="application/json").status_code == 404


def test_officer_creates_a_branch_under_its_committee(client_for, tree):
    payload = {
        "parent": "EA",
        "code": "EA-B3",
        "name": "甲集团第三党支部",
        "kind": "branch",
        "established_on": "2024-05-04",
    }
    response = client_for("committee").post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == "EA"
    assert body["enterprise"]["code"] == "EA"  # inherited from the parent
    created = Organization.objects.get(code="EA-B3")
    assert created.path.startswith(tree.committee_a.path) and created.depth == tree.committee_a.depth + 1
    assert created.history.first().history_user.username == "committee"


def test_the_committee_creates_a_group_in_a_branch_below_it(client_for, tree):
    # Issue 12 point 4: a group is part of its branch's obligations, so the branch's superior sets it up (the
    # secretary did before; tests/hardening/test_round2_obligations.py checks that they are refused now).
    payload = {
        "parent": "EA-B1",
        "code": "EA-B1-G2",
        "name": "第二党小组",
        "kind": "group",
        "established_on": "2024-05-04",
    }
    assert client_for("committee").post(URL, payload, content_type="application/json").status_code == 201


def test_create_under_an_invisible_parent_is_404(client_for, tree):
    payload = {"parent": "EA-B1", "code": "X1", "name": "x", "kind": "group", "established_on": "2024-05-04"}
    assert client_for("secretary2").post(URL, payload, content_type="application/json").status_code == 404


def test_reviewer_gets_403_on_every_organization_write(client_for, tree):
    client = client_for("sasac")
    payload = {"parent": "EA", "code": "EA-B3", "name": "x", "kind": "branch", "established_on": "2024-05-04"}
    assert client.post(URL, payload, content_type="application/json").status_code == 403
    assert client.patch(f"{URL}EA-B1/", {"name": "x"}, content_type="application/json").status_code == 403
    assert client.put(f"{URL}EA-B1/", {}, content_type="application/json").status_code == 403
    assert not Organization.objects.filter(code="EA-B3").exists()


def test_a_rule_broken_in_the_service_is_400_with_a_chinese_message(client_for, tree):
    payload = {"parent": "EA", "code": "EA-G9", "name": "x", "kind": "group", "established_on": "2024-05-04"}
    response = client_for("committee").post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "党委下不能设立党小组。",
        "errors": {"non_field_errors": ["党委下不能设立党小组。"]},
    }


def test_missing_fields_are_400_per_field(client_for, tree):
    response = client_for("committee").post(URL, {"parent": "EA"}, content_type="application/json")
    assert response.status_code == 400
    assert {"code", "name", "kind", "established_on"} <= set(response.json()["errors"])


def test_officer_updates_and_dissolves_an_empty_branch(client_for, tree):
    client = client_for("committee")
    response = client.patch(f"{URL}EA-B2/", {"name": "甲集团第二党支部(改)"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["name"] == "甲集团第二党支部(改)"
    dissolve = {"status": "dissolved", "reason": "甲党委批复撤销"}  # issue 12.4: a reason is required
    response = client.patch(f"{URL}EA-B2/", dissolve, content_type="application/json")
    assert response.json()["status"] == "dissolved"


def test_put_replaces_the_editable_fields(client_for, tree):
    payload = {
        "name": "新名称",
        "enterprise": "EA",
        "established_on": "2016-01-01",
        "status": "active",
        "reason": "更正",
    }
    response = client_for("committee").put(f"{URL}EA-B2/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    tree.branch_b.refresh_from_db()
    assert (tree.branch_b.name, tree.branch_b.established_on) == ("新名称", datetime.date(2016, 1, 1))


def test_a_branch_with_members_cannot_be_dissolved(client_for, members):
    response = client_for("committee").patch(f"{URL}EA-B1/", {"status": "dissolved"}, content_type="application/json")
    assert response.status_code == 400
    assert "仍有党员" in response.json()["detail"]


def test_organizations_are_never_deleted(client_for, tree):
    assert client_for("admin").delete(f"{URL}EA-B2/").status_code == 405


@pytest.mark.parametrize("extra", [5, 50])
def test_organization_list_query_count_does_not_grow_with_rows(client_for, tree, django_assert_max_num_queries, extra):
    for _ in range(extra):
        branch = make_organization(tree.committee_a, Organization.Kind.BRANCH)
        make_member(branch)
    client = client_for("committee")
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert len(response.json()["results"]) == min(50, 4 + extra)
