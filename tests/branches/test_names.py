"""Issue 14 points 10 and 11: people by their Chinese names in Chinese order, periods in Chinese, and organizations
chosen by name rather than by an internal code typed into a box."""

import types

import pytest
from django.template import Context, Template
from django.urls import reverse

from branches.people import display_name

pytestmark = pytest.mark.django_db


def user(**names):
    return types.SimpleNamespace(get_username=lambda: "zhouxw", **{"first_name": "", "last_name": "", **names})


def test_chinese_names_read_surname_first_without_a_space():
    assert display_name(user(last_name="周", first_name="兴文")) == "周兴文"
    assert display_name(user(last_name="Smith", first_name="John")) == "John Smith"
    assert display_name(user()) == "zhouxw"
    assert display_name(None) == "系统"


def test_the_filters_name_people_and_periods():
    template = Template(
        "{% load names %}{{ u|display_name }} {{ q|period_name }} {{ m|period_name }} {{ y|period_name }} {{ x|period_name }}"
    )
    text = template.render(
        Context(
            {"u": user(last_name="周", first_name="兴文"), "q": "2025-Q3", "m": "2025-04", "y": "2025", "x": "E01-B001"}
        )
    )
    assert text == "周兴文 2025年第三季度 2025年4月 2025年 E01-B001"


def test_the_navbar_and_the_audit_history_show_the_chinese_name(client_for, cast, tree, members):
    cast.secretary.last_name, cast.secretary.first_name = "周", "兴文"
    cast.secretary.save()
    client = client_for("secretary")
    assert "周兴文" in client.get(reverse("branches:home")).content.decode()


def test_a_person_filters_by_organization_name_not_code(client_for, tree, members):
    client = client_for("committee")
    response = client.get(reverse("meetings:meeting_list") + "?org=第一党支部")
    assert response.status_code == 200 and response.context["under"].code == "EA-B1"
    plan = client.get(reverse("meetings:year_plan") + f"?org={tree.branch_b.name}&year=2025")
    assert plan.context["organization"].code == "EA-B2"
    assert 'placeholder="组织名称"' in plan.content.decode()
    members_page = client.get(reverse("branches:member_list") + "?org=第二党支部")
    assert {m.organization.code for m in members_page.context["page_obj"]} == {"EA-B2"}


def test_a_name_matches_only_what_the_user_may_see(client_for, tree, members):
    client = client_for("secretary2")  # branch B of 甲集团 only
    assert client.get(reverse("meetings:meeting_list") + f"?org={tree.branch_c.name}").status_code == 404
    assert client.get(reverse("meetings:year_plan") + "?org=EB-B1").status_code == 404  # an outsider's code
