"""The callers of the standing read it on the day that matters (issue 11 point 4; DOMAIN.md "Standing of members";
branches/standing.py): a member 停止党籍 from 1 March to 31 May 2025 (restored on 1 June) is on the January roll and in
its 应到 but not in April's, has no vote at an April 党员大会, is not owed a talk while still suspended on the day
coverage is counted, and owes no dues for March to May."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches import services as member_services
from branches.dues import dues_month_record
from branches.dues.selectors import dues_year_grid
from branches.models import Member
from meetings import attendance
from meetings.models import Meeting
from meetings.plan import selectors as plan
from meetings.votes.selectors import voters, voting_expected_by_meeting

from .meeting_helpers import K
from .meeting_helpers import plan as plan_meeting

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH, JUNE = D(2025, 3, 1), D(2025, 6, 1)


def suspend(member, start=MARCH, end=JUNE):
    """停止党籍 from `start`, restored on `end` (half-open: suspended through the day before)."""
    member_services.member_update(member=member, status=Member.Status.SUSPENDED, standing_on=start)
    if end is not None:
        member_services.member_update(member=member, status=Member.Status.NORMAL, standing_on=end)
    member.refresh_from_db()
    return member


def counts(meeting):
    return Meeting.objects.with_counts().get(pk=meeting.pk)


def test_a_member_suspended_from_march_to_may_is_on_the_january_roll_and_in_its_expected_count(tree, members):
    member = suspend(members.a[6])
    january = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 1, 15))
    april = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 4, 15))
    assert member in attendance.roll_members(organization=tree.branch_a, kind=K.BRANCH_ASSEMBLY, day=D(2025, 1, 15))
    assert member not in attendance.roll_members(organization=tree.branch_a, kind=K.BRANCH_ASSEMBLY, day=D(2025, 4, 15))
    assert member in attendance.roll_members(organization=tree.branch_a, kind=K.BRANCH_ASSEMBLY, day=D(2025, 6, 1))
    assert counts(january).expected_count == 7
    assert counts(april).expected_count == 6
    assert attendance.quorum(january).expected == 7  # the 应到 of the 党员大会's quorum
    assert attendance.quorum(april).expected == 6


def test_a_suspension_recorded_after_the_roll_still_takes_the_member_out_of_that_days_count_and_vote(tree, members):
    january = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 1, 15))
    april = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 4, 15))  # rolls built while the member stood well
    suspend(members.a[6])
    assert (counts(january).expected_count, counts(january).voting_expected_count) == (7, 7)
    assert (counts(april).expected_count, counts(april).voting_expected_count) == (6, 6)
    assert voters(january).expected == 7
    assert voters(april).expected == 6  # no vote at an April 党员大会
    assert {pk: v.expected for pk, v in voting_expected_by_meeting([january, april]).items()} == {
        january.pk: 7,
        april.pk: 6,
    }


def test_a_member_on_probation_in_april_has_no_vote_that_day_only(tree, members):
    member = members.a[5]
    april = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 4, 15))
    july = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 7, 15))
    member_services.member_update(member=member, disciplinary_probation=True, standing_on=D(2025, 3, 1))
    member_services.member_update(member=member, disciplinary_probation=False, standing_on=D(2025, 6, 1))
    assert voters(april).expected == 6 and voters(july).expected == 7
    assert counts(april).expected_count == 7  # 留党察看 stays on the roll
    assert counts(april).voting_expected_count == 6


def test_the_rolls_standing_costs_a_fixed_number_of_queries(tree, members, django_assert_max_num_queries):
    suspend(members.a[6])
    suspend(members.a[5], start=D(2025, 1, 1), end=None)
    april = plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 4, 15))
    with django_assert_max_num_queries(3):
        roll = attendance.roll_members(organization=tree.branch_a, kind=K.BRANCH_ASSEMBLY, day=D(2025, 4, 15))
        assert [attendance.has_vote(m, D(2025, 4, 15)) for m in roll] == [True] * 5
    with django_assert_max_num_queries(2):
        assert voters(april).expected == 5


def test_a_member_still_suspended_on_30_june_is_not_owed_a_talk_for_the_second_quarter(tree, members):
    still = suspend(members.a[6], end=D(2025, 8, 1))
    back = suspend(members.a[5])  # restored on 1 June
    owed_by_june = set(plan.coverage_members(tree.branch_a, 2025, as_of=D(2025, 6, 30)))
    assert still not in owed_by_june and back in owed_by_june
    owed_for_the_year = set(plan.coverage_members(tree.branch_a, 2025))
    assert still in owed_for_the_year  # in good standing again on 31 December
    facts = plan.load_year_facts([tree.branch_a], 2025, as_of=D(2025, 6, 30))
    assert facts[tree.branch_a.pk].members == 6


def test_a_member_suspended_from_march_to_may_owes_no_dues_for_those_months(tree, members):
    member = suspend(members.a[6])
    (row,) = [r for r in dues_year_grid(tree.branch_a, 2025, today=D(2025, 12, 15)) if r.member == member]
    assert [c.state for c in row.cells[:7]] == ["unpaid", "unpaid", "not_due", "not_due", "not_due", "unpaid", "unpaid"]
    with pytest.raises(ValidationError, match="停止党籍期间不交纳党费"):
        dues_month_record(
            organization=tree.branch_a,
            month=D(2025, 4, 1),
            rows={member.pk: (Decimal("30"), D(2025, 4, 10))},
            today=D(2025, 12, 15),
        )
    dues_month_record(
        organization=tree.branch_a,
        month=D(2025, 6, 1),
        rows={member.pk: (Decimal("30"), D(2025, 6, 10))},
        today=D(2025, 12, 15),
    )


def test_the_dues_indicator_counts_the_same_months_as_the_grid(tree, members):
    suspend(members.a[6])
    due = plan.load_year_facts([tree.branch_a], 2025, with_dues=True)[tree.branch_a.pk].dues_due
    assert [due.get(month, 0) for month in range(1, 8)] == [7, 7, 6, 6, 6, 7, 7]
