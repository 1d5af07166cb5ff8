"""Member list, member page, and creating / editing / transferring / removing members."""

import datetime

import pytest

from branches.models import Member, Membership, Organization
from branches.validators import make_id_number, mask_id_number
from tests.branches.test_views_home import queries_for
from tests.factories import make_member, make_organization

K = Organization.Kind


def member_data(**overrides):
    birth = datetime.date(1990, 5, 17)
    data = {
        "name": "新党员",
        "gender": "female",
        "ethnicity": "汉族",
        "birth_date": birth.isoformat(),
        "education": "bachelor",
        "id_number": make_id_number("110101", birth, 777),
        "phone": "13900001111",
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
        "category": "full",
        "position": "技术员",
        "group": "",
        "dues_class": "employed",
        "dues_base": "5000.00",
        "status": "normal",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_member_list_shows_what_each_role_may_see(client_for, members, tree):
    def names(who):
        return {m.name for m in client_for(who).get("/members/").context["page_obj"]}

    assert names("secretary") == {m.name for m in members.a}
    assert names("secretary2") == {m.name for m in members.b}
    assert names("committee") == {m.name for m in members.a + members.b}
    assert names("sasac") == names("admin") == {m.name for m in members.a + members.b + members.c}


def test_member_list_filters(client_for, members, tree):
    client = client_for("sasac")

    def names(**params):
        return {m.name for m in client.get("/members/", params).context["page_obj"]}

    assert names(q="甲1") == {"甲1"}
    assert names(q=members.b[0].phone[-6:]) == {members.b[0].name}
    assert names(org=tree.committee_a.code) == {m.name for m in members.a + members.b}
    assert names(org=tree.branch_c.code) == {"丙0"}
    assert names(org="NOPE") == set()
    make_member(tree.branch_b, name="预备甲", category="probationary", gender="female", education="college")
    assert names(category="probationary") == {"预备甲"}
    assert names(education="college", gender="female") == {"预备甲"}
    members.a[0].status = "left"
    members.a[0].save()
    assert names(status="left") == {"甲0"}


def test_member_list_org_filter_outside_the_users_reach_shows_nothing(client_for, members, tree):
    response = client_for("secretary").get("/members/", {"org": tree.branch_c.code})
    assert list(response.context["page_obj"]) == []
    assert response.context["filter_org"] is None
    assert tree.branch_c.name not in response.content.decode()


@pytest.mark.parametrize("who", ["secretary", "committee", "sasac", "admin"])
def test_member_list_always_masks_id_numbers(client_for, members, who):
    body = client_for(who).get("/members/").content.decode()
    assert members.a[0].id_number not in body
    assert mask_id_number(members.a[0].id_number) in body


def test_member_list_paginates_50_and_keeps_filters(client_for, tree, cast):
    for i in range(55):
        make_member(tree.branch_b, name=f"批量{i:02d}")
    client = client_for("committee")
    response = client.get("/members/", {"q": "批量"})
    assert len(response.context["page_obj"]) == 50
    assert "?q=%E6%89%B9%E9%87%8F&amp;page=2" in response.content.decode()
    assert len(client.get("/members/", {"q": "批量", "page": 2}).context["page_obj"]) == 5


def test_member_list_empty_state_offers_adding_and_importing(client_for, tree, cast):
    body = client_for("secretary").get("/members/").content.decode()
    assert "还没有党员" in body and "新增党员" in body
    filtered = client_for("secretary").get("/members/", {"q": "无此人"}).content.decode()
    assert "没有符合条件的党员" in filtered


def test_member_list_query_count_does_not_grow_with_members(client_for, members, tree, django_assert_max_num_queries):
    for who in ("committee", "sasac"):
        client = client_for(who)
        before = (queries_for(client, "/members/"), queries_for(client, f"/members/?org={tree.branch_a.code}&q=甲"))
        for _ in range(15):
            make_member(tree.branch_a, name="甲新", group=tree.group_a)
            make_member(make_organization(tree.committee_a, K.BRANCH), name="甲新")
        with django_assert_max_num_queries(8):
            client.get("/members/")
        after = (queries_for(client, "/members/"), queries_for(client, f"/members/?org={tree.branch_a.code}&q=甲"))
        assert after == before


# ---------------------------------------------------------------- member page


@pytest.mark.parametrize("who", ["secretary", "sasac", "committee", "admin"])
def test_member_page_shows_the_id_number_masked_to_everyone_by_default(client_for, members, who):
    body = client_for(who).get(f"/members/{members.a[0].pk}/").content.decode()
    assert members.a[0].id_number not in body
    assert mask_id_number(members.a[0].id_number) in body


@pytest.mark.parametrize("who", ["committee", "admin"])
def test_officers_and_admin_reveal_the_full_id_number_on_request(client_for, members, who):
    member = members.a[0]
    body = client_for(who).post(f"/members/{member.pk}/", {"reveal_id_number": "1"}).content.decode()
    assert member.id_number in body


def test_member_page_shows_roster_fields_memberships_positions_and_history(client_for, members, tree, cast):
    member = members.a[0]
    client_for("committee").post(f"/members/{member.pk}/edit/", member_data(name=member.name, phone="13700000000"))
    response = client_for("secretary").get(f"/members/{member.pk}/")
    body = response.content.decode()
    for text in ("汉族", "大学本科", "2010-07-01", "正式党员", "书记", tree.branch_a.name, "建立组织关系"):
        assert text in body
    entry = response.context["history"][0]
    assert entry.who == "committee"
    labels = {c.label for c in entry.changes}
    assert "联系电话" in labels
    # The masked viewer never sees a full ID number, not even in the history diff.
    assert member.id_number not in body


def test_member_history_masks_id_number_changes_for_secretary(client_for, members, cast):
    member = members.a[1]
    new_id = make_id_number("110101", member.birth_date, 901)
    response = client_for("committee").post(
        f"/members/{member.pk}/edit/", member_data(name=member.name, id_number=new_id)
    )
    assert response.status_code == 302
    body = client_for("secretary").get(f"/members/{member.pk}/").content.decode()
    assert new_id not in body and mask_id_number(new_id) in body
    revealed = client_for("committee").post(f"/members/{member.pk}/", {"reveal_id_number": "1"})
    assert new_id in revealed.content.decode()


# ---------------------------------------------------------------- create


def test_secretary_adds_a_member_to_own_branch(client_for, members, tree, cast):
    data = member_data(group=str(tree.group_a.pk))
    response = client_for("secretary").post(f"/members/new/?org={tree.branch_a.code}", data)
    member = Member.objects.get(name="新党员")
    assert response.status_code == 302 and response.url == f"/members/{member.pk}/"
    assert member.organization == tree.branch_a and member.group == tree.group_a
    assert member.memberships.get().started_on == datetime.date(2015, 7, 1)
    assert member.history.first().history_user == cast.secretary


def test_add_another_returns_to_an_empty_form_for_the_same_branch(client_for, tree, cast):
    response = client_for("secretary").post(
        f"/members/new/?org={tree.branch_a.code}", {**member_data(), "add_another": "1"}
    )
    assert response.url == f"/members/new/?org={tree.branch_a.code}"


def test_create_form_error_keeps_typed_values_and_speaks_chinese(client_for, tree, cast):
    response = client_for("secretary").post(
        f"/members/new/?org={tree.branch_a.code}",
        member_data(id_number="110101199005170001", full_on=""),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "id_number" in form.errors and "full_on" in form.errors
    body = response.content.decode()
    assert "身份证号码校验位不正确" in body and "正式党员须填写转正日期" in body
    assert 'value="新党员"' in body and 'value="13900001111"' in body and 'value="1990-05-17"' in body
    assert not Member.objects.filter(name="新党员").exists()


def test_create_rejects_a_duplicate_id_number(client_for, members, tree):
    response = client_for("secretary").post(
        f"/members/new/?org={tree.branch_a.code}", member_data(id_number=members.b[0].id_number)
    )
    assert response.status_code == 200 and "id_number" in response.context["form"].errors


def test_create_without_org_redirects_a_single_branch_secretary(client_for, tree):
    response = client_for("secretary").get("/members/new/")
    assert response.status_code == 302 and response.url == f"/members/new/?org={tree.branch_a.code}"


def test_create_without_org_lets_an_officer_choose_a_branch(client_for, tree):
    response = client_for("committee").get("/members/new/")
    assert response.status_code == 200
    assert {b.code for b in response.context["branches"]} == {"EA-B1", "EA-B2"}


def test_create_in_a_committee_sends_back_to_choose_a_branch(client_for, tree):
    response = client_for("committee").get(f"/members/new/?org={tree.committee_a.code}")
    assert response.status_code == 302 and response.url == "/members/new/"


# ---------------------------------------------------------------- edit


def test_secretary_edits_a_member_without_seeing_the_id_number(client_for, members, tree):
    member = members.a[2]
    page = client_for("secretary").get(f"/members/{member.pk}/edit/")
    assert "id_number" not in page.context["form"].fields
    assert member.id_number not in page.content.decode()
    data = member_data(name=member.name, position="党建专员")
    data.pop("id_number")
    response = client_for("secretary").post(f"/members/{member.pk}/edit/", data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.position == "党建专员" and member.phone == "13900001111"


def test_edit_form_error_keeps_typed_values(client_for, members):
    member = members.a[2]
    response = client_for("committee").post(
        f"/members/{member.pk}/edit/", member_data(name="改了名字", joined_on="2020-01-01", full_on="2019-01-01")
    )
    assert response.status_code == 200
    assert "转正日期不能早于入党日期" in response.content.decode()
    assert 'value="改了名字"' in response.content.decode()
    member.refresh_from_db()
    assert member.name != "改了名字"


def test_edit_group_of_another_branch_is_refused(client_for, members, tree):
    other_group = make_organization(tree.branch_b, K.GROUP)
    member = members.a[2]
    response = client_for("committee").post(
        f"/members/{member.pk}/edit/", member_data(name=member.name, group=str(other_group.pk))
    )
    assert response.status_code == 200 and "group" in response.context["form"].errors


# ---------------------------------------------------------------- transfer / leave


def test_committee_transfers_a_member_between_its_branches(client_for, members, tree, cast):
    member = members.a[5]
    form = client_for("committee").get(f"/members/{member.pk}/transfer/").context["form"]
    assert {b.code for b in form.fields["to_organization"].queryset} == {"EA-B2"}
    response = client_for("committee").post(
        f"/members/{member.pk}/transfer/",
        {"to_organization": tree.branch_b.pk, "on": "2025-06-01", "note": "介绍信 2025-018"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == tree.branch_b
    old, new = Membership.objects.filter(member=member).order_by("started_on")
    assert old.ended_on == datetime.date(2025, 6, 1) and new.note == "介绍信 2025-018"


def test_secretary_cannot_transfer_into_a_branch_they_do_not_write(client_for, members, tree):
    response = client_for("secretary").post(
        f"/members/{members.a[5].pk}/transfer/", {"to_organization": tree.branch_b.pk, "on": "2025-06-01"}
    )
    assert response.status_code == 200 and "to_organization" in response.context["form"].errors
    members.a[5].refresh_from_db()
    assert members.a[5].organization == tree.branch_a


def test_transfer_before_joining_the_branch_shows_the_service_error(client_for, members, tree):
    response = client_for("committee").post(
        f"/members/{members.a[5].pk}/transfer/", {"to_organization": tree.branch_b.pk, "on": "2000-01-01"}
    )
    assert response.status_code == 200
    assert "转接日期不能早于" in response.content.decode()
    assert 'value="2000-01-01"' in response.content.decode()


def test_secretary_records_a_member_leaving(client_for, members, tree):
    member = members.a[6]
    response = client_for("secretary").post(
        f"/members/{member.pk}/leave/", {"status": "deceased", "on": "2025-08-01", "note": "病故"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "deceased"
    assert member.memberships.get().ended_on == datetime.date(2025, 8, 1)


def test_leave_form_offers_only_leaving_statuses(client_for, members):
    form = client_for("secretary").get(f"/members/{members.a[6].pk}/leave/").context["form"]
    assert {v for v, _l in form.fields["status"].choices} == {"left", "deceased", "transferred_out"}
