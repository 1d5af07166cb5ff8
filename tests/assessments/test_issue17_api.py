"""/api/v1/ for rubrics, inspection rounds and their scores, rectification items and their steps; query counts pinned
on every list (they do not grow with the rows)."""

import datetime

import pytest
from rest_framework.test import APIClient

from assessments.inspections import services as inspection_services
from assessments.inspections.models import InspectionRound
from assessments.rectification import services
from assessments.rectification.models import RectificationItem
from assessments.rubrics import services as rubric_services
from assessments.rubrics.models import Source

D = datetime.date
ITEMS = [
    {
        "title": "组织生活",
        "points": 100,
        "children": [
            {
                "title": "三会一课",
                "points": 100,
                "method": "deduction",
                "unit_points": "0.5",
                "source": Source.MISSING_MEETINGS,
            },
        ],
    },
]


@pytest.fixture
def api_for(cast):
    def make(name):
        client = APIClient()
        client.force_authenticate(getattr(cast, name))
        return client

    return make


def make_items(tree, n):
    for i in range(n):
        item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title=f"问题{i}")
        services.item_confirm(item=item, deadline=D(2099, 1, 1), responsible_text="书记", today=D(2025, 1, 1))


@pytest.mark.parametrize("rows", [1, 8])
def test_lists_cost_fixed_queries(tree, cast, api_for, django_assert_max_num_queries, rows):
    make_items(tree, rows)
    for i in range(rows):
        rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2025, name=f"细则{i}", items=ITEMS)
        inspection_services.round_open(
            committee=tree.committee_a,
            year=2025,
            kind="internal",
            title=f"观摩{i}",
            rubric=rubric,
            organizations=[tree.branch_a],
            team=[cast.committee],
        )
    client = api_for("committee")
    for path in ("/api/v1/rectification-items/", "/api/v1/rubrics/", "/api/v1/inspection-rounds/"):
        with django_assert_max_num_queries(6):
            response = client.get(path)
        assert response.status_code == 200
        assert response.json()["count"] == rows


def test_the_rectification_loop_through_the_api(tree, cast, api_for):
    item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="阵地标识缺失")
    committee, secretary = api_for("committee"), api_for("secretary")
    assert secretary.post(f"/api/v1/rectification-items/{item.pk}/confirm/", {}).status_code == 403
    response = committee.post(
        f"/api/v1/rectification-items/{item.pk}/confirm/", {"deadline": "2099-01-01", "responsible_text": "书记"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "open"
    response = committee.post(f"/api/v1/rectification-items/{item.pk}/close/", {})
    assert response.status_code == 400 and "尚未报告" in response.json()["detail"]
    assert secretary.post(f"/api/v1/rectification-items/{item.pk}/report/", {"measures": "已整改"}).status_code == 200
    assert api_for("sasac").post(f"/api/v1/rectification-items/{item.pk}/close/", {}).status_code == 403
    response = committee.post(f"/api/v1/rectification-items/{item.pk}/close/", {"note": "通过"})
    assert response.json()["state"] == "closed"
    assert [e["action"] for e in response.json()["events"]] == ["propose", "confirm", "report", "close"]
    assert api_for("secretary2").get(f"/api/v1/rectification-items/{item.pk}/").status_code == 404
    assert RectificationItem.objects.get(pk=item.pk).state == "closed"


def test_a_committee_opens_a_round_through_the_api(tree, cast, api_for):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="细则", items=ITEMS)
    body = {
        "committee": tree.committee_a.code,
        "year": 2026,
        "kind": "cross",
        "title": "交叉观摩",
        "rubric": rubric.pk,
        "organizations": [tree.branch_a.code, tree.branch_b.code],
        "team": ["committee"],
    }
    response = api_for("committee").post("/api/v1/inspection-rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "open"
    outside = api_for("committee").post(
        "/api/v1/inspection-rounds/", {**body, "organizations": [tree.branch_c.code]}, format="json"
    )
    assert outside.status_code == 404
    assert api_for("sasac").post("/api/v1/inspection-rounds/", body, format="json").status_code == 403
    assert api_for("secretary").post("/api/v1/inspection-rounds/", body, format="json").status_code == 404


def test_a_rubric_score_lists_its_occurrences(tree, members, api_for):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2025, name="细则", items=ITEMS)
    response = api_for("committee").get(f"/api/v1/rubrics/{rubric.pk}/score/", {"org": tree.branch_a.code})
    assert response.status_code == 200
    leaf = response.json()["rows"][1]
    assert leaf["title"] == "三会一课" and len(leaf["occurrences"]) > 0
    other = api_for("committee").get(f"/api/v1/rubrics/{rubric.pk}/score/", {"org": tree.branch_c.code})
    assert other.status_code == 404
    copied = api_for("committee").post(f"/api/v1/rubrics/{rubric.pk}/copy/", {"year": 2026}, format="json")
    assert copied.status_code == 201 and copied.json()["copied_from"] == rubric.pk
    assert len(copied.json()["items"]) == 2
    assert api_for("sasac").post(f"/api/v1/rubrics/{rubric.pk}/copy/", {"year": 2027}).status_code == 403


def test_sasac_opens_its_own_round_over_the_enterprises_through_the_api_and_nothing_else(tree, cast, api_for):
    rubric = rubric_services.rubric_create(committee=tree.root, year=2026, name="国资委细则", items=ITEMS)
    body = {
        "committee": tree.root.code,
        "year": 2026,
        "kind": "showcase",
        "title": "国资委示范观摩",
        "rubric": rubric.pk,
        "organizations": [tree.committee_a.code, tree.committee_b.code],
        "team": ["sasac"],
    }
    sasac = api_for("sasac")
    response = sasac.post("/api/v1/inspection-rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    response_round = response.json()
    branches = sasac.post("/api/v1/inspection-rounds/", {**body, "organizations": [tree.branch_a.code]}, format="json")
    assert branches.status_code == 400 and "所属企业党委" in str(branches.json())
    assert sasac.post(f"/api/v1/rubrics/{rubric.pk}/copy/", {"year": 2027}, format="json").status_code == 201
    theirs = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="企业细则", items=ITEMS)
    assert sasac.post(f"/api/v1/rubrics/{theirs.pk}/copy/", {"year": 2027}, format="json").status_code == 403
    assert sasac.post("/api/v1/inspection-rounds/", {**body, "committee": "EA"}, format="json").status_code == 403
    item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="问题")
    confirm = {"deadline": "2099-01-01", "responsible_text": "书记"}
    response = sasac.post(f"/api/v1/rectification-items/{item.pk}/confirm/", confirm, format="json")
    assert response.status_code == 403
    # The problems its own round found are SASAC's to verify.
    round_id = response_round["id"]
    found = inspection_services.problem_record(
        round=InspectionRound.objects.get(pk=round_id), organization=tree.committee_a, user=cast.sasac, title="问题"
    )
    response = sasac.post(f"/api/v1/rectification-items/{found.pk}/confirm/", confirm, format="json")
    assert response.status_code == 200 and response.json()["state"] == "open"
