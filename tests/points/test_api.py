"""/api/v1/points/: rule sets and a branch's points read, manual items recorded and decided with the pages' rules."""

import datetime

import pytest
from rest_framework.test import APIClient

from points.models import ManualItem, RuleSet
from tests.factories import make_user

from .conftest import YEAR, held

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(cast):
    def make(user):
        client = APIClient()
        client.force_authenticate(getattr(cast, user) if isinstance(user, str) else user)
        return client

    return make


def test_rule_sets_and_a_branch_table_are_read(api_for, tree, members, kinds, django_assert_max_num_queries):
    held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, 5))
    sets = api_for("secretary").get("/api/v1/points/rule-sets/").json()
    default = next(s for s in sets["results"] if s["organization"] is None) if "results" in sets else sets[0]
    detail = api_for("secretary").get(f"/api/v1/points/rule-sets/{default['id']}/").json()
    assert any(r["source"] == "unexcused" and float(r["points"]) < 0 for r in detail["rules"])
    client = api_for("sasac")
    with django_assert_max_num_queries(8):
        rows = client.get(f"/api/v1/points/branches/{tree.branch_a.code}/", {"year": YEAR}).json()
    assert len(rows) == 7 and all(float(r["months"][2]) >= 1 for r in rows)  # 主题党日 in March
    assert (
        api_for("secretary2").get(f"/api/v1/points/branches/{tree.branch_a.code}/", {"year": YEAR}).status_code == 404
    )


def test_an_item_is_recorded_and_approved_by_another_committee_member(api_for, tree, members, cast):
    rule = RuleSet.objects.get(organization__isnull=True).rules.get(name="参加志愿服务")
    body = {
        "organization": tree.branch_a.code,
        "member": members.a[2].pk,
        "rule": rule.pk,
        "occurred_on": f"{YEAR}-05-04",
        "reason": "参加社区义务植树",
    }
    assert api_for("sasac").post("/api/v1/points/items/", body, format="json").status_code == 403
    response = api_for("secretary").post("/api/v1/points/items/", body, format="json")
    assert response.status_code == 400  # 参加志愿服务 needs evidence: files go through the page
    rule.evidence = ""
    rule.save()
    item = api_for("secretary").post("/api/v1/points/items/", body, format="json").json()
    assert item["state"] == "pending"
    assert api_for("secretary").post(f"/api/v1/points/items/{item['id']}/approve/").status_code == 400
    assert api_for("committee").post(f"/api/v1/points/items/{item['id']}/approve/").status_code == 403
    other = make_user("zuzhi", tree.branch_a, "secretary")
    assert api_for(other).post(f"/api/v1/points/items/{item['id']}/approve/").json()["state"] == "approved"
    assert ManualItem.objects.get().decided_by == other
