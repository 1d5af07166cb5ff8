"""Issue 12 point 4: the assessed do not set what they are assessed on.

A secretary moved their branch's 成立日期 to make missing items disappear from the committee's ranking (or to 2099, to
leave the counts altogether). The fields that define an organization's obligations — 成立日期, status, its groups'
existence, kind and parent — are changed only by the superior committee (write access to the parent of the assessed
organization), through the service, with a reason recorded in the history; future dates are refused. The same holds
for a branch going without a committee, a term's extension, and a member's standing (停止党籍, 出党)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from branches import services
from branches.models import CommitteeTerm, Member, Organization
from tests.factories import start_term

pytestmark = pytest.mark.django_db

EDIT = "/orgs/{}/edit/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_secretary_cannot_move_their_own_branchs_established_date(client_for, cast, tree):
    client = client_for("secretary")
    form = client.get(EDIT.format("EA-B1")).context["form"]
    assert "established_on" not in form.fields and "status" not in form.fields  # not offered any more
    client.post(EDIT.format("EA-B1"), {"name": tree.branch_a.name, "established_on": "2026-11-25", "status": "active"})
    response = api(cast.secretary).patch(
        "/api/v1/organizations/EA-B1/", {"established_on": "2099-01-01"}, format="json"
    )
    assert response.status_code == 400 and "上级党委" in response.json()["detail"]
    with pytest.raises(ValidationError, match="上级党委"):
        services.organization_update(
            organization=tree.branch_a, user=cast.secretary, established_on=datetime.date(2026, 11, 25)
        )
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.established_on == datetime.date(2015, 1, 1)


def test_a_secretary_cannot_dissolve_their_own_branch_or_group(cast, tree):
    client = api(cast.secretary2)
    assert client.patch("/api/v1/organizations/EA-B2/", {"status": "dissolved"}, format="json").status_code == 400
    assert (
        api(cast.secretary).patch("/api/v1/organizations/EA-B1-G1/", {"status": "dissolved"}, format="json").status_code
        == 400
    )
    assert not Organization.objects.filter(status="dissolved").exists()


def test_a_secretary_cannot_create_groups_in_their_own_branch(client_for, cast, tree):
    data = {"name": "第二党小组", "code": "EA-B1-G2", "kind": "group", "established_on": "2025-01-01"}
    response = client_for("secretary").post("/orgs/EA-B1/new/", data)
    assert response.status_code == 200 and "上级党委" in response.content.decode()
    assert (
        api(cast.secretary).post("/api/v1/organizations/", {**data, "parent": "EA-B1"}, format="json").status_code
        == 400
    )
    assert not Organization.objects.filter(code="EA-B1-G2").exists()


def test_the_committee_changes_the_date_with_a_reason_that_the_history_keeps(client_for, cast, tree):
    client = client_for("committee")
    no_reason = client.post(
        EDIT.format("EA-B1"), {"name": tree.branch_a.name, "established_on": "2016-03-01", "status": "active"}
    )
    assert no_reason.status_code == 200 and "原因" in no_reason.content.decode()
    response = client.post(
        EDIT.format("EA-B1"),
        {
            "name": tree.branch_a.name,
            "established_on": "2016-03-01",
            "status": "active",
            "reason": "据甲党委〔2016〕5号更正",
        },
    )
    assert response.status_code == 302
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.established_on == datetime.date(2016, 3, 1)
    record = tree.branch_a.history.first()
    assert (record.history_user, record.history_change_reason) == (cast.committee, "据甲党委〔2016〕5号更正")


def test_the_committee_creates_a_group_in_a_branch_below_it(client_for, tree):
    data = {"name": "第二党小组", "code": "EA-B1-G2", "kind": "group", "established_on": "2025-01-01"}
    assert client_for("committee").post("/orgs/EA-B1/new/", data).status_code == 302


def test_future_dates_are_refused_even_for_the_committee(cast, tree):
    client = api(cast.committee)
    response = client.patch(
        "/api/v1/organizations/EA-B1/", {"established_on": "2099-01-01", "reason": "测试"}, format="json"
    )
    assert response.status_code == 400 and "晚于今天" in response.json()["detail"]
    created = client.post(
        "/api/v1/organizations/",
        {"parent": "EA", "code": "EA-B9", "name": "未来支部", "kind": "branch", "established_on": "2099-01-01"},
        format="json",
    )
    assert created.status_code == 400 and not Organization.objects.filter(code="EA-B9").exists()


def test_the_committee_cannot_set_its_own_obligations_either(cast, tree):
    response = api(cast.committee).patch(
        "/api/v1/organizations/EA/", {"established_on": "2020-01-01", "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "上级党委" in response.json()["detail"]


def test_a_secretary_cannot_drop_the_committee_or_extend_the_term(client_for, cast, members, tree):
    with pytest.raises(ValidationError, match="上级党委"):
        start_term(
            organization=tree.branch_a, started_on=datetime.date(2026, 6, 1), positions=[], has_committee=False,
            user=cast.secretary,
        )  # fmt: skip
    term = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    response = client_for("secretary").post(f"/terms/{term.pk}/extend/", {"months": "6", "approved_on": "2026-01-10"})
    assert response.status_code == 200 and "上级党委" in response.content.decode()
    term.refresh_from_db()
    assert term.extension_months == 0
    assert CommitteeTerm.objects.filter(organization=tree.branch_a).count() == 1


def test_a_secretary_cannot_suspend_or_expel_a_member(client_for, cast, members):
    member = members.a[6]
    with pytest.raises(ValidationError, match="上级党委"):
        services.member_update(member=member, user=cast.secretary, status=Member.Status.SUSPENDED)
    response = client_for("secretary").post(
        reverse("branches:member_leave", args=[member.pk]), {"status": "left", "on": "2026-01-05", "note": ""}
    )
    assert response.status_code == 200 and "上级党委" in response.content.decode()
    member.refresh_from_db()
    assert member.status == Member.Status.NORMAL
    # The committee may; a death is recorded by the branch, but not for a future day.
    services.member_update(member=member, user=cast.committee, status=Member.Status.SUSPENDED)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.member_leave(member=members.a[5], user=cast.secretary, status="deceased", on=datetime.date(2099, 1, 1))
