"""/api/v1/indicators/results/ and /summary/: the contract, the access matrix of the cast, bounded query counts."""

import pytest

from branches.models import CommitteePosition, Organization
from tests.assessments.conftest import D, K, held
from tests.factories import make_member, make_organization, start_term

pytestmark = pytest.mark.django_db

RESULTS, SUMMARY = "/api/v1/indicators/results/", "/api/v1/indicators/summary/"


def get(client, url, **params):
    return client.get(url, params)


def test_results_give_each_applicable_indicator_of_the_organization(client_for, tree, members):
    for month in range(1, 12):
        if month != 4:
            held(tree.branch_a, K.THEME_DAY, D(2025, month, 3))
    response = get(client_for("secretary"), RESULTS, org="EA-B1", year=2025, as_of="2025-12-01")
    assert response.status_code == 200
    body = {row["code"]: row for row in response.json()}
    assert list(body) == [
        "three_meetings_one_lesson",
        "theme_day",
        "org_life",
        "talks",
        "member_review",
        "term_on_time",
        "dues",
    ]
    theme = body["theme_day"]
    assert {k: theme[k] for k in ("name", "required", "done", "status", "missing")} == {
        "name": "主题党日",
        "required": 11,
        "done": 10,
        "status": "partly_met",
        "missing": ["2025-04"],
    }
    assert theme["rate"] == pytest.approx(10 / 11)
    assert theme["status_label"] == "基本达标"
    assert theme["gaps"][0]["text"] == "无主题党日" and theme["gaps"][0]["link"].startswith("/meetings/?")
    assert body["org_life"]["status"] == "pending" and body["org_life"]["rate"] is None


def test_as_of_and_year_default_to_today(client_for, tree, members):
    from django.utils import timezone

    today = timezone.localdate()
    body = get(client_for("secretary"), RESULTS, org="EA-B1").json()
    explicit = get(client_for("secretary"), RESULTS, org="EA-B1", year=today.year, as_of=today.isoformat()).json()
    assert body == explicit


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "请提供组织编码 org。"),
        ({"org": "EA-B1", "year": "26"}, "年度应不早于2000年。"),
        ({"org": "EA-B1", "year": "abcd"}, "年度应为四位数字,如 2026。"),
        ({"org": "EA-B1", "as_of": "2025-13-01"}, "截至日期格式应为 yyyy-mm-dd。"),
    ],
)
def test_bad_parameters_answer_400_in_chinese(client_for, tree, params, message):
    response = get(client_for("sasac"), RESULTS, **params)
    assert response.status_code == 400
    assert response.json()["detail"] == message


@pytest.mark.parametrize(
    "user, code, status",
    [
        ("sasac", "EB-B1", 200),
        ("sasac", "ROOT", 200),
        ("committee", "EA-B2", 200),
        ("committee", "EB-B1", 404),
        ("committee", "ROOT", 404),
        ("secretary", "EA-B1", 200),
        ("secretary", "EA-B2", 404),
        ("secretary2", "EA-B1", 404),
        ("admin", "EB-B1", 200),
        ("sasac", "NO-SUCH", 404),
    ],
)
def test_results_follow_the_access_rules(client_for, tree, user, code, status):
    assert get(client_for(user), RESULTS, org=code, year=2025).status_code == status
    assert get(client_for(user), SUMMARY, under=code, year=2025).status_code == status


def test_anonymous_visitors_are_refused(client_for, tree):
    assert get(client_for(None), RESULTS, org="EA-B1").status_code == 403
    assert get(client_for(None), SUMMARY, under="ROOT").status_code == 403


def test_writes_are_not_allowed(client_for, tree):
    assert client_for("committee").post(RESULTS, {"org": "EA-B1"}).status_code == 405
    assert client_for("sasac").post(SUMMARY, {"under": "ROOT"}).status_code == 405


def test_the_summary_lists_the_subtree_in_tree_order(client_for, tree, members):
    body = get(client_for("committee"), SUMMARY, under="EA", year=2025, as_of="2026-01-15").json()
    assert body["count"] == 3
    rows = body["results"]
    assert [row["organization"] for row in rows] == [
        {"code": "EA", "name": "甲集团党委", "kind": "committee"},
        {"code": "EA-B1", "name": "甲集团第一党支部", "kind": "branch"},
        {"code": "EA-B2", "name": "甲集团第二党支部", "kind": "branch"},
    ]
    assert [r["code"] for r in rows[0]["results"]] == ["democratic_life", "term_on_time"]
    single = get(client_for("committee"), RESULTS, org="EA-B2", year=2025, as_of="2026-01-15").json()
    assert rows[2]["results"] == single


def add_branches(tree, n):
    for _ in range(n):
        branch = make_organization(tree.committee_b, Organization.Kind.BRANCH)
        people = [make_member(branch) for _ in range(3)]
        start_term(
            organization=branch,
            started_on=D(2024, 1, 1),
            has_committee=False,
            positions=[(people[0], CommitteePosition.Role.SECRETARY)],
        )
        held(branch, K.THEME_DAY, D(2025, 3, 3))


@pytest.mark.parametrize("extra", [0, 8])
def test_the_summary_query_count_does_not_grow_with_the_tree(
    client_for, tree, members, django_assert_max_num_queries, extra
):
    add_branches(tree, extra)
    client = client_for("sasac")
    with django_assert_max_num_queries(16):
        response = get(client, SUMMARY, under="ROOT", year=2025, as_of="2026-01-15")
    assert response.json()["count"] == 6 + extra


def test_the_summary_is_paginated(client_for, tree, members, settings):
    add_branches(tree, 50)
    client = client_for("sasac")
    first = get(client, SUMMARY, under="ROOT", year=2025).json()
    assert first["count"] == 56 and len(first["results"]) == 50 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6
