"""民主评议党员 rules: grading a branch's year in one go, all or nothing; 不合格 opens a follow-up."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches import services as branch_services
from meetings.models import MemberReview
from meetings.records.selectors import history_rows, review_coverage, review_list, review_roster
from meetings.records.services import review_follow_up_done, review_year_record
from tests.factories import make_member

D = datetime.date
G = MemberReview.Grade
TODAY = D(2026, 1, 20)


def grade_all(tree, members, *, year=2025, decided_on=datetime.date(2025, 12, 20), unqualified=(), user=None):
    grades = {m.pk: (G.UNQUALIFIED if m in unqualified else G.QUALIFIED, "") for m in members}
    return review_year_record(
        organization=tree.branch_a, year=year, decided_on=decided_on, grades=grades, user=user, today=TODAY
    )


def test_the_whole_branch_is_graded_in_one_go_and_unqualified_is_flagged(tree, members, cast):
    saved = grade_all(tree, members.a, unqualified=[members.a[5]], user=cast.secretary)
    assert len(saved) == 7
    flagged = review_list(organization=tree.branch_a, open_follow_up=True)
    assert [r.member for r in flagged] == [members.a[5]]
    assert flagged[0].needs_follow_up
    assert MemberReview.objects.get(member=members.a[0]).history.first().history_user == cast.secretary


def test_grading_is_all_or_nothing_with_every_problem_named(tree, members):
    grades = {m.pk: (G.QUALIFIED, "") for m in members.a}
    grades[members.a[1].pk] = ("great", "")
    grades[members.b[0].pk] = (G.EXCELLENT, "")
    with pytest.raises(ValidationError) as error:
        review_year_record(organization=tree.branch_a, year=2025, decided_on=D(2025, 12, 1), grades=grades, today=TODAY)
    text = "\n".join(error.value.messages)
    assert "甲1:请选择评议等次" in text
    assert "2025年不属于甲集团第一党支部" in text and "乙0" not in text
    assert not MemberReview.objects.exists()


@pytest.mark.parametrize(
    ("year", "decided_on", "message"),
    [
        (2027, D(2026, 1, 10), "2027年度尚未开始"),
        (2025, D(2026, 2, 1), "评议会议日期不能晚于今天"),
        (2023, D(2025, 1, 10), "2023年度的评议会议应在2023年或2024年召开"),
        (2025, None, "请填写评议会议日期"),
    ],
)
def test_review_dates_must_fit_the_year(tree, members, year, decided_on, message):
    with pytest.raises(ValidationError, match=message):
        review_year_record(
            organization=tree.branch_a,
            year=year,
            decided_on=decided_on,
            grades={members.a[0].pk: (G.QUALIFIED, "")},
            today=TODAY,
        )


def test_regrading_updates_the_grade_and_the_history_keeps_the_old_one(tree, members, cast):
    grade_all(tree, members.a[:2], unqualified=[members.a[1]])
    grade_all(tree, members.a[:2], user=cast.committee)
    review = MemberReview.objects.get(member=members.a[1])
    assert review.grade == G.QUALIFIED and not review.needs_follow_up
    changes = [c for row in history_rows(review) for c in row.changes]
    assert ("评议等次", "不合格", "合格") in changes


def test_follow_up_done_closes_the_flag_and_records_what_was_done(tree, members, cast):
    grade_all(tree, members.a, unqualified=[members.a[5]])
    review = MemberReview.objects.get(member=members.a[5])
    review_follow_up_done(review=review, user=cast.secretary, note="限期改正")
    review.refresh_from_db()
    assert review.follow_up_done and not review.needs_follow_up
    assert "处置:限期改正" in review.notes
    assert list(review_list(organization=tree.branch_a, open_follow_up=True)) == []
    with pytest.raises(ValidationError, match="已经办结"):
        review_follow_up_done(review=review)


def test_only_unqualified_needs_a_follow_up(tree, members):
    (review,) = grade_all(tree, members.a[:1])
    with pytest.raises(ValidationError, match="只有评定为不合格"):
        review_follow_up_done(review=review)


def test_regrading_as_unqualified_reopens_the_follow_up(tree, members):
    grade_all(tree, members.a[:1], unqualified=members.a[:1])
    review = MemberReview.objects.get()
    review_follow_up_done(review=review)
    grade_all(tree, members.a[:1])
    grade_all(tree, members.a[:1], unqualified=members.a[:1])
    assert MemberReview.objects.get().needs_follow_up


def test_a_member_reviewed_by_their_old_branch_cannot_be_regraded_by_the_new_one(tree, members):
    moved = members.a[6]
    grade_all(tree, [moved])
    branch_services.member_transfer(member=moved, to_organization=tree.branch_b, on=D(2025, 12, 25))
    with pytest.raises(ValidationError, match="甲6:2025年度已在其他支部评议"):
        review_year_record(
            organization=tree.branch_b,
            year=2025,
            decided_on=D(2025, 12, 28),
            grades={moved.pk: (G.EXCELLENT, "")},
            today=TODAY,
        )
    rows = {row.member.pk: row for row in review_roster(tree.branch_b, 2025)}
    assert rows[moved.pk].elsewhere


def test_roster_and_coverage_count_members_who_belonged_during_the_year(tree, members):
    moved = members.a[6]
    branch_services.member_transfer(member=moved, to_organization=tree.branch_b, on=D(2025, 6, 15))
    newcomer = make_member(tree.branch_a, name="新人", joined_on=D(2026, 1, 5))
    grade_all(tree, members.a[:3])
    roster_ids = {row.member.pk for row in review_roster(tree.branch_a, 2025)}
    assert moved.pk in roster_ids and newcomer.pk not in roster_ids
    graded, required = review_coverage(tree.branch_a, 2025)
    assert graded == {m.pk for m in members.a[:3]}
    assert len(required) == 6  # issue 11: the member who moved in June is owed by branch B on 31 December


def test_reviews_are_kept_by_branches(tree, members):
    with pytest.raises(ValidationError, match="按党支部记录"):
        review_year_record(organization=tree.committee_a, year=2025, decided_on=D(2025, 12, 1), grades={}, today=TODAY)
