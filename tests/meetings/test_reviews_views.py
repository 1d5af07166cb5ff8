"""民主评议党员 pages for the whole cast: the list, the one-screen grading of a year, the detail and the follow-up."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import MemberReview
from meetings.records.services import review_year_record
from tests.factories import make_member

G = MemberReview.Grade
YEAR = timezone.localdate().year - 1


def year_url(code="EA-B1", year=YEAR):
    return reverse("meetings:review_year", args=[code, year])


def list_url(code="EA-B1"):
    return reverse("meetings:review_list", args=[code])


def grading_post(members, *, unqualified=(), decided_on=None):
    data = {"decided_on": decided_on or f"{YEAR}-12-20"}
    for member in members:
        data[f"grade_{member.pk}"] = G.UNQUALIFIED if member in unqualified else G.QUALIFIED
        data[f"notes_{member.pk}"] = ""
    return data


@pytest.fixture
def graded(tree, members, cast):
    grades = {m.pk: (G.QUALIFIED, "") for m in members.a}
    grades[members.a[5].pk] = (G.UNQUALIFIED, "长期不参加组织生活")
    review_year_record(
        organization=tree.branch_a,
        year=YEAR,
        decided_on=datetime.date(YEAR, 12, 20),
        grades=grades,
        user=cast.secretary,
    )
    return MemberReview.objects.get(member=members.a[5])


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretary", 200), ("committee", 200), ("sasac", 200), ("admin", 200), ("secretary2", 404)],
)
def test_review_pages_are_readable_by_the_branch_and_its_superiors_only(client_for, graded, who, status):
    client = client_for(who)
    assert client.get(list_url()).status_code == status
    assert client.get(year_url()).status_code == status
    assert client.get(reverse("meetings:review_detail", args=["EA-B1", graded.pk])).status_code == status


@pytest.mark.parametrize(("who", "status"), [("secretary2", 404), ("sasac", 403)])
def test_outsiders_and_readers_cannot_grade_or_close_follow_ups(client_for, members, graded, who, status):
    client = client_for(who)
    assert client.post(year_url(), grading_post(members.a)).status_code == status
    done_url = reverse("meetings:review_follow_up_done", args=["EA-B1", graded.pk])
    assert client.post(done_url, {"note": "x"}).status_code == status
    graded.refresh_from_db()
    assert graded.grade == G.UNQUALIFIED and graded.needs_follow_up


def test_anonymous_visitor_is_sent_to_login(client_for, graded):
    for url in (list_url(), year_url(), reverse("meetings:review_index")):
        response = client_for(None).get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_reader_sees_the_grading_screen_without_inputs_to_save(client_for, graded):
    body = client_for("sasac").get(year_url()).content.decode()
    assert "全部保存" not in body and "disabled" in body


# ---------------------------------------------------------------- grading screen


def test_grading_screen_has_one_row_and_one_select_per_member(client_for, members):
    body = client_for("secretary").get(year_url()).content.decode()
    assert body.count('class="form-select form-select-sm grade-select') == 7
    assert "乙0" not in body


def test_secretary_grades_the_whole_branch_in_one_post(client_for, members):
    response = client_for("secretary").post(year_url(), grading_post(members.a, unqualified=[members.a[2]]))
    assert response.status_code == 302
    assert MemberReview.objects.filter(year=YEAR).count() == 7
    assert MemberReview.objects.get(member=members.a[2]).needs_follow_up


def test_a_refused_grading_saves_nothing_and_keeps_the_selects(client_for, members):
    data = grading_post(members.a, unqualified=[members.a[2]], decided_on=f"{YEAR - 3}-01-01")
    response = client_for("secretary").post(year_url(), data)
    body = response.content.decode()
    assert response.status_code == 200 and "未保存" in body and "应在" in body
    assert '<option value="unqualified" selected>' in body
    assert not MemberReview.objects.exists()


def test_rows_left_blank_are_not_graded_yet(client_for, members):
    data = grading_post(members.a[:2])
    data["decided_on"] = f"{YEAR}-12-20"
    client_for("secretary").post(year_url(), data)
    assert MemberReview.objects.count() == 2


def test_review_screen_costs_the_same_for_7_or_27_members(client_for, tree, members, django_assert_max_num_queries):
    client = client_for("secretary")
    with django_assert_max_num_queries(12) as small:
        assert client.get(year_url()).status_code == 200
    baseline = len(small.captured_queries)  # read now: each request resets the query log
    for i in range(20):
        make_member(tree.branch_a, name=f"新{i:02d}")
    client.post(year_url(), grading_post(list(tree.branch_a.members.all())))
    with django_assert_max_num_queries(baseline):
        assert client.get(year_url()).status_code == 200


# ---------------------------------------------------------------- list, detail, follow-up


def test_list_filters_open_follow_ups(client_for, graded):
    body = client_for("secretary").get(list_url(), {"follow_up": "open"}).content.decode()
    assert "甲5" in body and "待处置" in body and "甲0" not in body


def test_list_has_an_empty_state(client_for, members):
    body = client_for("secretary").get(list_url()).content.decode()
    assert "empty-state" in body and "评定表" in body


def test_review_list_costs_the_same_for_7_or_27_reviews(
    client_for, tree, members, graded, django_assert_max_num_queries
):
    client = client_for("secretary")
    with django_assert_max_num_queries(12) as small:
        assert client.get(list_url()).status_code == 200
    baseline = len(small.captured_queries)  # read now: each request resets the query log
    others = [make_member(tree.branch_a, name=f"新{i:02d}") for i in range(20)]
    review_year_record(
        organization=tree.branch_a,
        year=YEAR,
        decided_on=datetime.date(YEAR, 12, 20),
        grades={m.pk: (G.EXCELLENT, "") for m in others},
    )
    with django_assert_max_num_queries(baseline):
        assert client.get(list_url()).status_code == 200


def test_secretary_closes_a_follow_up_and_the_detail_shows_the_history(client_for, graded):
    client = client_for("secretary")
    response = client.post(reverse("meetings:review_follow_up_done", args=["EA-B1", graded.pk]), {"note": "限期改正"})
    assert response.status_code == 302
    graded.refresh_from_db()
    assert graded.follow_up_done
    body = client.get(reverse("meetings:review_detail", args=["EA-B1", graded.pk])).content.decode()
    assert "已办结" in body and "修改历史" in body and "已组织处置" in body


def test_the_grading_screen_counts_whom_the_indicator_counts(client_for, tree, members):
    """Issue 11: a member who died during the year is on the roster (the record stays) but is owed no review, so the
    screen's 应评 is the member_review indicator's figure, not the roster's length."""
    from branches import services as branch_services
    from branches.models import Member

    gone = make_member(tree.branch_a, name="离世者")
    branch_services.member_leave(member=gone, status=Member.Status.DECEASED, on=datetime.date(YEAR, 2, 10))
    html = client_for("secretary").get(year_url()).content.decode()
    expected = len(members.a)
    assert f'data-figure="reviews-coverage" data-covered="0" data-total="{expected}"' in html
    assert f"名单共 {expected + 1} 人" in html
