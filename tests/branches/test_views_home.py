"""The home page fits the role, and costs a fixed number of queries whatever the size of the tree."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import CommitteePosition, Organization
from tests.factories import UserFactory, make_member, make_organization, start_term

K = Organization.Kind


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow_tree(tree, n=30):
    """30 more branches (in enterprise A and B) and 30 more members in branch A, some with overdue terms."""
    for i in range(n):
        branch = make_organization(tree.committee_a if i % 2 else tree.committee_b, K.BRANCH)
        make_member(tree.branch_a)
        if i % 3 == 0:
            start_term(organization=branch, started_on=datetime.date(2018, 1, 1), positions=[])


def test_secretary_home_shows_own_branch_card(client_for, members, tree):
    body = client_for("secretary").get("/").content.decode()
    assert tree.branch_a.name in body
    assert "支部委员会" in body and members.a[0].name in body  # the 书记
    assert f"/members/?org={tree.branch_a.code}" in body
    assert f"/members/new/?org={tree.branch_a.code}" in body
    assert tree.branch_b.name not in body


def test_secretary_home_context_carries_branch_for_the_meetings_panel(client_for, members, tree):
    response = client_for("secretary").get("/")
    assert response.context["branch"] == tree.branch_a
    assert response.context["kind"] == "secretary"


def test_secretary_home_warns_about_a_vacant_secretary(client_for, tree, cast):
    body = client_for("secretary").get("/").content.decode()
    assert "书记空缺" in body
    assert "正式党员仅 0 名" in body


def test_officer_home_summarises_the_subtree_and_points_at_who_needs_help(client_for, members, tree):
    # Branch B's term (2023-06-01, 3 years) is overdue once 2026-06-01 has passed; make one overdue for sure.
    start_term(organization=tree.committee_a, started_on=datetime.date(2015, 1, 1), positions=[])
    response = client_for("committee").get("/")
    body = response.content.decode()
    assert response.context["kind"] == "officer"
    assert response.context["branch_count"] == 2
    assert response.context["member_count"] == 10
    assert tree.branch_c.name not in body  # enterprise B is not theirs
    helped = [o.code for o in response.context["needing_help"]]
    assert helped[0] == "EA"  # the overdue term comes first
    assert "已超期" in body


def test_officer_home_lists_terms_expiring_within_six_months(client_for, members, tree):
    soon = datetime.date.today() - datetime.timedelta(days=3 * 365 - 60)
    start_term(organization=tree.branch_b, started_on=soon, has_committee=False, positions=[])
    response = client_for("committee").get("/")
    orgs = [t.organization.code for t, _s in response.context["expiring"]]
    assert tree.branch_b.code in orgs
    assert "换届提醒" in response.content.decode()


def test_reviewer_home_has_one_row_per_enterprise(client_for, members, tree):
    response = client_for("sasac").get("/")
    rows = {row["enterprise"].code: row for row in response.context["enterprises"] if row["enterprise"]}
    assert rows["EA"]["members"] == 10 and rows["EA"]["branches"] == 2
    assert rows["EB"]["members"] == 1 and rows["EB"]["branches"] == 1
    body = response.content.decode()
    assert f"/orgs/{tree.committee_a.code}/" in body
    assert "/admin/" not in body.split("各企业概况")[1].split("</div>")[0]


def test_admin_home_links_to_django_admin(client_for, members):
    response = client_for("admin").get("/")
    assert response.context["kind"] == "admin"
    assert "/admin/branches/role/" in response.content.decode()


def test_user_without_role_is_asked_to_contact_the_administrator(client, tree):
    client.force_login(UserFactory(username="nobody"))
    body = client.get("/").content.decode()
    assert "还没有分配角色" in body


@pytest.mark.parametrize("who", ["secretary", "committee", "sasac", "admin"])
def test_home_query_count_does_not_grow_with_the_tree(client_for, members, tree, who, django_assert_max_num_queries):
    client = client_for(who)
    before = queries_for(client, "/")
    grow_tree(tree)
    with django_assert_max_num_queries(17):  # +1: the unread-notification badge on every page
        client.get("/")
    assert queries_for(client, "/") == before


def test_secretary_with_a_committee_position_member_count_is_exact(client_for, members, tree):
    start_term(
        organization=tree.branch_a,
        started_on=datetime.date(2025, 3, 1),
        positions=[(members.a[3], CommitteePosition.Role.SECRETARY)],
        has_committee=False,
    )
    response = client_for("secretary").get("/")
    assert [p.member for p in response.context["overview"]["positions"]] == [members.a[3]]


# The meetings to-do is computed by the view (through branches/panels.py), not by a template tag: the whole page is
# pinned. Secretary: the branch card and the to-do (plan.todo loads a year's facts in a fixed number of queries):
# 14, +1 for the open 整改 items (assessments' home section, issue 17), +2 for the 发展党员 section (people, steps).
@pytest.mark.parametrize(("who", "queries"), [("secretary", 17), ("committee", 8), ("sasac", 8)])
def test_home_query_count_is_pinned_for_each_role(
    client_for, members, tree, who, queries, django_assert_max_num_queries
):
    client = client_for(who)
    client.get("/")  # the first request of a session may load more (e.g. the session row)
    with django_assert_max_num_queries(queries):
        body = client.get("/").content.decode()
    assert ("组织生活待办" in body) == (who == "secretary")
