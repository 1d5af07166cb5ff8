"""The admin writes members, roles and election steps through the services, and is read-only for terms and
memberships (those change through term_start, member_transfer and member_leave on the pages)."""

import datetime

import pytest
from django.db.models import Model

from branches.models import CommitteeTerm, ElectionStep, Member, Membership, Organization, Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The admin form's current values, as the browser would post them back (inline formsets included)."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, Model):
            value = value.pk
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    for inline in response.context.get("inline_admin_formsets", []):
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for inline_form in inline.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[inline_form.add_prefix(name)] = "" if value is None else getattr(value, "pk", value)
    return data


def change_url(model, pk, action="change"):
    return f"/admin/branches/{model}/{pk}/{action}/"


def test_member_change_goes_through_member_update(client_for, members):
    member = members.a[5]
    client = client_for("admin")
    data = {**form_data(client.get(change_url("member", member.pk))), "phone": "13900000000"}
    response = client.post(change_url("member", member.pk), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.phone == "13900000000"
    assert member.history.first().history_user.username == "admin"


def test_member_change_shows_a_refused_rule_on_the_form(client_for, tree, members):
    member = members.a[5]
    other_group = make_member(tree.branch_b).organization  # any organization that is not a group of branch A
    client = client_for("admin")
    data = {**form_data(client.get(change_url("member", member.pk))), "group": other_group.pk}
    response = client.post(change_url("member", member.pk), data)
    assert response.status_code == 200 and "党小组必须属于该党员所在的党支部" in response.content.decode()
    member.refresh_from_db()
    assert member.group_id is None


def test_member_branch_is_not_changed_in_the_admin_but_by_transfer(client_for, tree, members):
    member = members.a[5]
    client = client_for("admin")
    data = {**form_data(client.get(change_url("member", member.pk))), "organization": tree.branch_b.pk}
    assert client.post(change_url("member", member.pk), data).status_code == 302
    member.refresh_from_db()
    assert member.organization_id == tree.branch_a.pk
    assert Membership.objects.filter(member=member, ended_on__isnull=True).get().organization_id == tree.branch_a.pk


def test_members_are_not_deleted_in_the_admin(client_for, members):
    member = members.a[5]
    assert client_for("admin").post(change_url("member", member.pk, "delete"), {"post": "yes"}).status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("model", ["membership", "committeeterm"])
def test_terms_and_memberships_are_read_only_in_the_admin(client_for, members, model):
    obj = {"membership": Membership, "committeeterm": CommitteeTerm}[model].objects.order_by("pk").first()
    client = client_for("admin")
    page = client.get(change_url(model, obj.pk))
    assert page.status_code == 200 and 'name="started_on"' not in page.content.decode()
    assert client.get(f"/admin/branches/{model}/add/").status_code == 403
    assert client.post(change_url(model, obj.pk), {"started_on": "2020-01-01"}).status_code == 403
    assert client.post(change_url(model, obj.pk, "delete"), {"post": "yes"}).status_code == 403
    assert type(obj).objects.filter(pk=obj.pk, started_on=obj.started_on).exists()


def test_role_grant_in_the_admin_applies_the_service_rule(client_for, cast, tree):
    data = {"user": cast.secretary2.pk, "organization": tree.committee_a.pk, "kind": Role.Kind.SECRETARY}
    response = client_for("admin").post("/admin/branches/role/add/", data)
    assert response.status_code == 200 and "支部书记角色只能授予党支部" in response.content.decode()
    assert not Role.objects.filter(user=cast.secretary2, organization=tree.committee_a).exists()


def test_role_revoke_in_the_admin_is_recorded(client_for, cast, tree):
    role = Role.objects.filter(user=cast.secretary2).first()
    response = client_for("admin").post(change_url("role", role.pk, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    assert Role.history.filter(id=role.pk, history_type="-").get().history_user.username == "admin"


def test_election_step_in_the_admin_checks_the_quorum(client_for, tree, members):
    # Issue 11: the election itself is recorded with its held 党员大会 (counts from the attendance), never typed
    # here; the admin records the other steps, in order.
    data = {"organization": tree.branch_a.pk, "step": ElectionStep.Step.ELECTION, "done_on": "2025-03-01"}
    response = client_for("admin").post("/admin/branches/electionstep/add/", data)
    assert response.status_code == 200 and "党员大会会议记录中登记" in response.content.decode()
    assert not ElectionStep.objects.exists()
    response = client_for("admin").post("/admin/branches/electionstep/add/", {**data, "step": "decision"})
    assert response.status_code == 302
    assert ElectionStep.objects.get().outgoing_term == CommitteeTerm.objects.get(organization=tree.branch_a)


def test_organization_add_in_the_admin_goes_through_organization_create(client_for, tree):
    client = client_for("admin")
    data = {"name": "新党支部", "code": "EA-NEW", "kind": "branch", "established_on": "2024-01-01", "status": "active"}
    refused = client.post("/admin/branches/organization/add/", {**data, "kind": "group", "parent": tree.committee_a.pk})
    assert refused.status_code == 200 and "下不能设立" in refused.content.decode()
    response = client.post("/admin/branches/organization/add/", {**data, "parent": tree.committee_a.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organization.objects.get(code="EA-NEW")
    assert (
        Organization.objects.get_parent(created) == tree.committee_a
        and created.enterprise_id == tree.committee_a.enterprise_id
    )


def test_organization_change_in_the_admin_goes_through_organization_update(client_for, tree, members):
    client = client_for("admin")
    url = change_url("organization", tree.branch_a.pk)
    data = form_data(client.get(url))
    refused = client.post(url, {**data, "status": Organization.Status.DISSOLVED})
    assert refused.status_code == 200 and "该组织仍有党员" in refused.content.decode()
    assert client.post(url, {**data, "name": "甲集团第一党支部(改)"}).status_code == 302
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.name == "甲集团第一党支部(改)" and tree.branch_a.status == Organization.Status.ACTIVE
    assert tree.branch_a.history.first().history_user.username == "admin"


def test_organizations_are_not_moved_or_deleted_in_the_admin(client_for, tree):
    client = client_for("admin")
    move = {"node": tree.branch_a.pk, "target": tree.committee_b.pk, "relation": "child"}
    assert client.post("/admin/branches/organization/move/", move).status_code == 403
    assert client.post(change_url("organization", tree.branch_a.pk, "delete"), {"post": "yes"}).status_code == 403
    tree.branch_a.refresh_from_db()
    assert Organization.objects.get_parent(tree.branch_a) == tree.committee_a
