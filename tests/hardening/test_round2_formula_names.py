"""Issue 12 point 3 (the input half; the workbook writer neutralises the rest): an organization or group name that
starts with = + - @ would run as a formula in every workbook that shows it, so it is refused where it is typed —
form, API and service — with one Chinese message from branches.validators."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from branches import services
from branches.models import Organization

pytestmark = pytest.mark.django_db

NAMES = ['=HYPERLINK("http://evil.example/","点此")', "+SUM(1+1)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", " =1+1"]


@pytest.mark.parametrize("name", NAMES)
def test_the_service_refuses_a_formula_name_on_create_and_rename(tree, name):
    with pytest.raises(ValidationError, match="不能以"):
        services.organization_create(
            parent=tree.branch_a, name=name, code="EA-B1-G9", kind="group", established_on=datetime.date(2020, 1, 1)
        )
    with pytest.raises(ValidationError, match="不能以"):
        services.organization_update(organization=tree.branch_a, name=name)
    assert not Organization.objects.filter(name__contains="SUM").exists()


def test_the_rename_form_refuses_a_formula_name(client_for, tree):
    response = client_for("secretary").post(
        reverse("branches:org_edit", args=["EA-B1"]), {"name": NAMES[0], "status": "active"}
    )
    assert response.status_code == 200 and "不能以" in response.content.decode()
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.name == "甲集团第一党支部"


def test_the_create_form_refuses_a_formula_name_for_a_group(client_for, tree):
    response = client_for("committee").post(
        reverse("branches:org_create", args=["EA-B1"]),
        {"name": "@SUM(A1)", "code": "EA-B1-G9", "kind": "group", "established_on": "2020-01-01"},
    )
    assert response.status_code == 200 and "不能以" in response.content.decode()
    assert not Organization.objects.filter(code="EA-B1-G9").exists()


def test_the_api_refuses_a_formula_name_on_create_and_rename(cast, tree):
    client = APIClient()
    client.force_authenticate(cast.committee)
    created = client.post(
        "/api/v1/organizations/",
        {"parent": "EA", "code": "EA-B9", "name": "+SUM(1+1)", "kind": "branch", "established_on": "2020-01-01"},
        format="json",
    )
    assert created.status_code == 400 and "不能以" in created.json()["errors"]["name"][0]
    renamed = client.patch("/api/v1/organizations/EA-B1/", {"name": "=1+1"}, format="json")
    assert renamed.status_code == 400 and "不能以" in renamed.json()["errors"]["name"][0]
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.name == "甲集团第一党支部"


def test_ordinary_names_with_signs_inside_are_kept(tree):
    services.organization_update(organization=tree.branch_a, name="甲集团第一党支部(A+B)")
    tree.branch_a.refresh_from_db()
    assert tree.branch_a.name == "甲集团第一党支部(A+B)"
