"""/api/v1/member-reviews/: visibility, filters, grading through the services, follow-up, refusals."""

import datetime

import pytest

from meetings.models import MemberReview
from meetings.records.services import review_year_record
from tests.factories import make_member

URL = "/api/v1/member-reviews/"
G = MemberReview.Grade
D = datetime.date


def grade(branch, members, year=2025, grade_=G.QUALIFIED):
    return review_year_record(
        organization=branch, year=year, decided_on=D(year, 12, 20), grades={m.pk: (grade_, "") for m in members}
    )


@pytest.fixture
def reviews(tree, members):
    grade(tree.branch_a, members.a[:6])
    grade(tree.branch_a, members.a[6:], grade_=G.UNQUALIFIED)
    grade(tree.branch_a, members.a[:1], year=2024, grade_=G.EXCELLENT)
    grade(tree.branch_b, members.b)
    return MemberReview.objects.get(member=members.a[6])


def count(response):
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.parametrize(("who", "n"), [("secretary", 8), ("secretary2", 3), ("committee", 11), ("sasac", 11)])
def test_each_role_lists_exactly_its_subtree(client_for, reviews, who, n):
    assert count(client_for(who).get(URL)) == n


def test_anonymous_is_refused(client_for, reviews):
    assert client_for(None).get(URL).status_code == 403


def test_filters_by_org_year_grade_follow_up_and_dates(client_for, reviews):
    client = client_for("committee")
    assert count(client.get(URL, {"org": "EA-B2"})) == 3
    assert count(client.get(URL, {"under": "EA", "year": 2024})) == 1
    assert count(client.get(URL, {"grade": "unqualified"})) == 1
    assert count(client.get(URL, {"follow_up": "open"})) == 1
    assert count(client.get(URL, {"date_from": "2025-01-01", "date_to": "2025-12-31"})) == 10


def test_unqualified_is_flagged_in_the_api(client_for, reviews):
    data = client_for("secretary").get(f"{URL}{reviews.pk}/").json()
    assert data["grade"] == "unqualified" and data["grade_display"] == "不合格" and data["needs_follow_up"] is True


def test_outsider_gets_404_and_reviewer_403(client_for, reviews, members):
    assert client_for("secretary2").get(f"{URL}{reviews.pk}/").status_code == 404
    assert client_for("secretary2").get(URL, {"org": "EA-B1"}).status_code == 404
    sasac = client_for("sasac")
    assert (
        sasac.patch(f"{URL}{reviews.pk}/", {"grade": "qualified"}, content_type="application/json").status_code == 403
    )
    assert sasac.post(f"{URL}{reviews.pk}/follow-up-done/", {}, content_type="application/json").status_code == 403


def test_secretary_grades_a_member_and_a_second_create_is_refused(client_for, members):
    client = client_for("secretary")
    body = {"org": "EA-B1", "member": members.a[0].pk, "year": 2025, "grade": "excellent", "decided_on": "2025-12-20"}
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    again = client.post(URL, body, content_type="application/json")
    assert again.status_code == 400 and "已有记录" in again.json()["detail"]


def test_a_member_of_another_branch_cannot_be_graded_here(client_for, members):
    body = {"org": "EA-B1", "member": members.b[0].pk, "year": 2025, "grade": "excellent", "decided_on": "2025-12-20"}
    response = client_for("committee").post(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert "不能在本支部评议" in response.json()["detail"]


def test_regrade_and_close_follow_up(client_for, reviews):
    client = client_for("secretary")
    done = client.post(f"{URL}{reviews.pk}/follow-up-done/", {"note": "限期改正"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["needs_follow_up"] is False
    again = client.post(f"{URL}{reviews.pk}/follow-up-done/", {}, content_type="application/json")
    assert again.status_code == 400 and again.json()["detail"] == "该党员的组织处置已经办结。"
    response = client.patch(f"{URL}{reviews.pk}/", {"grade": "qualified"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["grade"] == "qualified"


def test_list_costs_the_same_for_11_or_31_reviews(client_for, tree, reviews, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).status_code == 200
    baseline = len(small.captured_queries)
    grade(tree.branch_a, [make_member(tree.branch_a, name=f"新{i}") for i in range(20)])
    with django_assert_max_num_queries(baseline):
        assert client.get(URL).json()["count"] == 31
