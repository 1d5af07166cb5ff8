"""The organization tree, the organization page, and creating / editing organizations."""

import datetime

import pytest

from branches import services
from branches.models import Organization
from tests.branches.test_views_home import queries_for
from tests.factories import make_member, make_organization

K = Organization.Kind


# ---------------------------------------------------------------- tree


def test_tree_shows_only_the_visible_subtree(client_for, members, tree):
    response = client_for("committee").get("/orgs/")
    codes = [o.code for o in response.context["rows"]]
    assert codes == ["EA", "EA-B1", "EA-B2"]  # groups are not listed; enterprise B is not theirs


def test_tree_secretary_sees_only_own_branch(client_for, members, tree):
    response = client_for("secretary").get("/orgs/")
    assert [o.code for o in response.context["rows"]] == ["EA-B1"]
    assert response.context["base_depth"] == tree.branch_a.depth


def test_tree_member_counts_include_the_subtree(client_for, members, tree):
    rows = {o.code: o for o in client_for("sasac").get("/orgs/").context["rows"]}
    assert rows["EA-B1"].total_members == 7
    assert rows["EA"].total_members == 10
    assert rows["ROOT"].total_members == 11


def test_tree_search_by_name_or_code_and_filter_by_kind(client_for, members, tree):
    client = client_for("sasac")
    assert [o.code for o in client.get("/orgs/", {"q": "乙集团"}).context["rows"]] == ["EB", "EB-B1"]
    assert [o.code for o in client.get("/orgs/", {"q": "ea-b"}).context["rows"]] == ["EA-B1", "EA-B2"]
    assert [o.code for o in client.get("/orgs/", {"kind": "committee"}).context["rows"]] == ["ROOT", "EA", "EB"]
    empty = client.get("/orgs/", {"q": "不存在的组织"})
    assert "没有符合条件的组织" in empty.content.decode()


def test_tree_paginates_and_keeps_the_query_string(client_for, tree):
    for _ in range(105):
        make_organization(tree.committee_b, K.BRANCH)
    client = client_for("sasac")
    first = client.get("/orgs/", {"kind": "branch"})
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(first.context["rows"]) == 100
    assert "?kind=branch&amp;page=2" in first.content.decode()
    assert len(client.get("/orgs/", {"kind": "branch", "page": 2}).context["rows"]) == 8  # 3 + 105 branches


def test_tree_query_count_does_not_grow_with_organizations(client_for, members, tree, django_assert_max_num_queries):
    client = client_for("sasac")
    before = queries_for(client, "/orgs/")
    for i in range(30):
        branch = make_organization(tree.committee_a if i % 2 else tree.committee_b, K.BRANCH)
        make_member(branch)
    with django_assert_max_num_queries(8):
        client.get("/orgs/")
    assert queries_for(client, "/orgs/") == before


# ---------------------------------------------------------------- organization page


def test_org_page_shows_committee_term_groups_members_and_warnings(client_for, members, tree):
    response = client_for("secretary").get(f"/orgs/{tree.branch_a.code}/")
    body = response.content.decode()
    assert response.context["organization"] == tree.branch_a
    assert "书记" in body and members.a[0].name in body
    assert tree.group_a.name in body
    assert "距届满" in body or "已超期" in body
    assert 'role="progressbar"' in body
    assert f"/members/?org={tree.branch_a.code}" in body
    assert len(response.context["members"]) == 7


def test_org_page_lists_past_members_after_a_transfer(client_for, members, tree):
    services.member_transfer(
        member=members.a[6], to_organization=tree.branch_b, on=datetime.date(2025, 5, 1), note="工作调动"
    )
    body = client_for("secretary").get(f"/orgs/{tree.branch_a.code}/").content.decode()
    assert "组织关系已转出的党员" in body
    assert members.a[6].name in body and "2010-07-01 至 2025-05-01" in body


def test_org_page_shows_audit_history_with_chinese_field_names(client_for, members, tree, cast):
    services.organization_update(
        organization=Organization.objects.get(pk=tree.branch_a.pk), name="甲集团机关党支部", user=cast.committee
    )
    response = client_for("secretary").get(f"/orgs/{tree.branch_a.code}/")
    entry = response.context["history"][0]
    assert entry.who == "committee" and entry.action == "修改"
    change = entry.changes[0]
    assert (change.label, change.old, change.new) == ("组织名称", "甲集团第一党支部", "甲集团机关党支部")
    assert "组织名称" in response.content.decode()


def test_org_page_write_buttons_only_for_writers(client_for, members, tree):
    url = f"/orgs/{tree.branch_a.code}/"
    assert "/edit/" in client_for("secretary").get(url).content.decode()
    body = client_for("sasac").get(url).content.decode()
    assert f"/orgs/{tree.branch_a.code}/edit/" not in body
    assert "/terms/new/" not in body and "新增党员" not in body


def test_committee_page_lists_child_organizations_with_subtree_counts(client_for, members, tree):
    response = client_for("committee").get(f"/orgs/{tree.committee_a.code}/")
    children = {c.code: c.total_members for c in response.context["children"]}
    assert children == {"EA-B1": 7, "EA-B2": 3}
    assert response.context["subtree_members"] == 10
    assert "?kind=branch" in response.content.decode()


def test_org_page_query_count_does_not_grow_with_members_or_children(
    client_for, members, tree, django_assert_max_num_queries
):
    client = client_for("committee")
    branch_url, committee_url = f"/orgs/{tree.branch_a.code}/", f"/orgs/{tree.committee_a.code}/"
    before = (queries_for(client, branch_url), queries_for(client, committee_url))
    for _ in range(30):
        make_member(tree.branch_a)
        make_member(make_organization(tree.committee_a, K.BRANCH))
        make_organization(tree.branch_a, K.GROUP)
    with django_assert_max_num_queries(20):
        client.get(branch_url)
    assert (queries_for(client, branch_url), queries_for(client, committee_url)) == before


# ---------------------------------------------------------------- create / edit


def test_the_committee_creates_a_group_in_a_branch_below_it(client_for, members, tree, cast):
    # Issue 12 point 4: the secretary did before; now the branch's superior sets up its groups.
    response = client_for("committee").post(
        f"/orgs/{tree.branch_a.code}/new/",
        {"name": "第二党小组", "code": "EA-B1-G2", "kind": "group", "established_on": "2025-01-01"},
    )
    assert response.status_code == 302 and response.url == "/orgs/EA-B1-G2/"
    group = Organization.objects.get(code="EA-B1-G2")
    assert Organization.objects.get_parent(group) == tree.branch_a and group.enterprise == tree.enterprise_a
    assert group.history.first().history_user == cast.committee


def test_create_form_offers_only_allowed_child_kinds(client_for, tree):
    form = client_for("committee").get(f"/orgs/{tree.committee_a.code}/new/").context["form"]
    assert [v for v, _l in form.fields["kind"].choices] == ["committee", "general_branch", "branch"]
    assert "enterprise" not in form.fields  # only administrators move organizations between enterprises


def test_create_form_error_keeps_typed_values(client_for, tree):
    response = client_for("committee").post(
        f"/orgs/{tree.committee_a.code}/new/",
        {"name": "新设党支部", "code": "EA-B1", "kind": "branch", "established_on": "2025-01-01"},
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    body = response.content.decode()
    assert 'value="新设党支部"' in body and "已存在" in body


def test_create_rejects_a_kind_not_allowed_under_the_parent(client_for, tree):
    response = client_for("secretary").post(
        f"/orgs/{tree.branch_a.code}/new/",
        {"name": "错误支部", "code": "BAD", "kind": "branch", "established_on": "2025-01-01"},
    )
    assert response.status_code == 200 and not Organization.objects.filter(code="BAD").exists()


def test_committee_edits_a_branch_name_and_date(client_for, tree):
    response = client_for("committee").post(
        f"/orgs/{tree.branch_b.code}/edit/",
        {"name": "甲集团第二党支部(生产)", "established_on": "2016-03-01", "status": "active", "reason": "更正"},
    )
    assert response.status_code == 302
    tree.branch_b.refresh_from_db()
    assert tree.branch_b.name == "甲集团第二党支部(生产)"
    assert tree.branch_b.established_on == datetime.date(2016, 3, 1)


def test_edit_keeps_tree_bookkeeping_intact(client_for, members, tree):
    client_for("secretary").post(
        f"/orgs/{tree.branch_a.code}/edit/",
        {"name": "改名支部", "established_on": "2015-01-01", "status": "active"},
    )
    branch = Organization.objects.get(pk=tree.branch_a.pk)
    assert branch.numchild == 1 and list(Organization.objects.get_children(branch)) == [tree.group_a]


def test_dissolving_a_branch_with_members_shows_the_service_error(client_for, members, tree):
    response = client_for("committee").post(
        f"/orgs/{tree.branch_b.code}/edit/",
        {"name": tree.branch_b.name, "established_on": "2015-01-01", "status": "dissolved"},
    )
    assert response.status_code == 200
    assert "仍有党员" in response.content.decode()
    tree.branch_b.refresh_from_db()
    assert tree.branch_b.status == "active"


def test_admin_may_set_the_enterprise(client_for, tree):
    form = client_for("admin").get(f"/orgs/{tree.root.code}/new/").context["form"]
    assert "enterprise" in form.fields


@pytest.mark.parametrize(("code", "queries"), [("EA-B1", 17), ("EA", 12)])
def test_org_page_query_count_is_pinned_with_its_meetings_panel(
    client_for, members, tree, code, queries, django_assert_max_num_queries
):
    client = client_for("committee")
    client.get(f"/orgs/{code}/")
    with django_assert_max_num_queries(queries):
        body = client.get(f"/orgs/{code}/").content.decode()
    assert "近期会议" in body  # the meetings panel, passed by the view
