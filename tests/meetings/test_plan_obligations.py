"""What a branch owes per period (meetings/plan/): the rules the to-do list, the year plan and the indicators share."""

import datetime
from collections import Counter

import pytest

from branches.models import CommitteePosition, CommitteeTerm
from meetings import plan as p
from meetings.models import MemberReview, Talk
from tests.factories import make_member, make_organization, start_term
from tests.meetings.meeting_helpers import K, hold
from tests.meetings.meeting_helpers import plan as plan_meeting

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_END = D(2026, 1, 15)  # 2025 has ended: every period of 2025 is required


def find(items, kind, label, group=None):
    return next(o for o in items if o.kind == kind and o.period.label == label and o.group == group)


def held(tree, kind, day, **kwargs):
    return hold(plan_meeting(tree, kind, date=day, **kwargs))


def test_a_branch_with_a_committee_and_a_group_owes_the_full_year(tree, members):
    items = p.obligations(tree.branch_a, 2025, YEAR_END)
    counts = Counter(o.kind for o in items)
    assert counts == {
        K.BRANCH_COMMITTEE: 12,
        K.GROUP_MEETING: 12,
        K.THEME_DAY: 12,
        K.BRANCH_ASSEMBLY: 4,
        K.PARTY_LECTURE: 4,
        K.ORG_LIFE: 1,
        p.SECRETARY_LECTURE: 1,
        p.TALK: 1,
        p.MEMBER_REVIEW: 1,
    }
    assert all(o.state == p.OVERDUE and o.required for o in items)


def test_a_branch_without_a_committee_owes_no_committee_meetings(tree, members):
    kinds = {o.kind for o in p.obligations(tree.branch_b, 2025, YEAR_END)}
    assert K.BRANCH_COMMITTEE not in kinds and K.GROUP_MEETING not in kinds  # no committee, no group
    assert K.BRANCH_ASSEMBLY in kinds


def test_periods_count_separately(tree, members):
    held(tree, K.THEME_DAY, D(2025, 3, 3))
    held(tree, K.THEME_DAY, D(2025, 3, 28))
    items = p.obligations(tree.branch_a, 2025, YEAR_END)
    assert find(items, K.THEME_DAY, "2025-03").done
    assert len(find(items, K.THEME_DAY, "2025-03").meetings) == 2
    assert find(items, K.THEME_DAY, "2025-04").state == p.OVERDUE
    assert p.rate([o for o in items if o.kind == K.THEME_DAY]) == (1, 12)


def test_a_planned_meeting_that_was_not_held_does_not_count(tree, members):
    plan_meeting(tree, K.BRANCH_ASSEMBLY, date=D(2025, 2, 10))
    assert find(p.obligations(tree.branch_a, 2025, YEAR_END), K.BRANCH_ASSEMBLY, "2025-Q1").state == p.OVERDUE


def test_archived_meetings_count(tree, members):
    from meetings import services

    services.meeting_archive(meeting=held(tree, K.BRANCH_ASSEMBLY, D(2025, 2, 10)))
    assert find(p.obligations(tree.branch_a, 2025, YEAR_END), K.BRANCH_ASSEMBLY, "2025-Q1").done


def test_the_current_period_is_pending_not_failed(tree, members):
    today = D(2025, 5, 20)
    items = p.obligations(tree.branch_a, 2025, today)
    may = find(items, K.THEME_DAY, "2025-05")
    assert may.state == p.OPEN and may.pending and not may.required
    assert find(items, K.THEME_DAY, "2025-04").state == p.OVERDUE
    assert find(items, K.THEME_DAY, "2025-06").state == p.UPCOMING
    assert find(items, K.ORG_LIFE, "2025").state == p.OPEN  # yearly items pend until the year ends
    assert p.rate([o for o in items if o.kind == K.THEME_DAY]) == (0, 4)


def test_a_meeting_in_the_current_period_marks_it_done(tree, members):
    held(tree, K.THEME_DAY, D(2025, 5, 2))
    assert find(p.obligations(tree.branch_a, 2025, D(2025, 5, 20)), K.THEME_DAY, "2025-05").state == p.DONE


def test_periods_before_establishment_are_not_required(tree):
    branch = make_organization(tree.committee_a, "branch", established_on=D(2025, 5, 15))
    make_member(branch)
    items = p.obligations(branch, 2025, YEAR_END)
    months = [o.period.label for o in items if o.kind == K.THEME_DAY]
    # issue 11: a period is owed only if the branch existed on its first day
    assert months[0] == "2025-06" and len(months) == 7
    quarters = [o.period.label for o in items if o.kind == K.BRANCH_ASSEMBLY]
    assert quarters == ["2025-Q3", "2025-Q4"]
    assert p.obligations(branch, 2024, YEAR_END) == []


def test_group_meetings_are_owed_per_group(tree, members):
    group_b = make_organization(tree.branch_a, "group", established_on=D(2015, 1, 1))
    members.a[5].group = group_b
    members.a[5].save()
    held(tree, K.GROUP_MEETING, D(2025, 3, 3), group=tree.group_a)
    items = p.obligations(tree.branch_a, 2025, YEAR_END)
    assert find(items, K.GROUP_MEETING, "2025-03", tree.group_a).done
    assert find(items, K.GROUP_MEETING, "2025-03", group_b).state == p.OVERDUE
    assert sum(o.kind == K.GROUP_MEETING for o in items) == 24


def test_the_secretary_lectures_once_a_year(tree, members):
    held(tree, K.PARTY_LECTURE, D(2025, 2, 3), lecturer=members.a[1])  # the 组织委员, not the 书记
    assert find(p.obligations(tree.branch_a, 2025, YEAR_END), p.SECRETARY_LECTURE, "2025").state == p.OVERDUE
    held(tree, K.PARTY_LECTURE, D(2025, 6, 3), lecturer=members.a[0])
    assert find(p.obligations(tree.branch_a, 2025, YEAR_END), p.SECRETARY_LECTURE, "2025").done


def test_talks_must_cover_every_member(tree, members):
    talk = Talk.objects.create(
        organization=tree.branch_a, held_on=D(2025, 4, 1), initiator=members.a[0], summary="谈心"
    )
    talk.participants.set(members.a[1:6])
    item = find(p.obligations(tree.branch_a, 2025, YEAR_END), p.TALK, "2025")
    assert (item.covered, item.total, item.state) == (6, 7, p.OVERDUE)
    Talk.objects.create(
        organization=tree.branch_a, held_on=D(2025, 9, 1), initiator=members.a[6], summary="谈心"
    ).participants.set([members.a[0]])
    assert find(p.obligations(tree.branch_a, 2025, YEAR_END), p.TALK, "2025").done


def test_every_member_needs_a_review_for_the_year(tree, members):
    for m in members.a[:6]:
        MemberReview.objects.create(
            member=m, organization=tree.branch_a, year=2025, grade="qualified", decided_on=D(2025, 12, 20)
        )
    item = find(p.obligations(tree.branch_a, 2025, YEAR_END), p.MEMBER_REVIEW, "2025")
    assert (item.covered, item.total, item.done) == (6, 7, False)


def test_a_committee_owes_a_democratic_life_meeting(tree, members):
    start_term(
        organization=tree.committee_a,
        started_on=D(2023, 1, 1),
        positions=[(members.a[0], CommitteePosition.Role.SECRETARY)],
    )
    items = p.obligations(tree.committee_a, 2025, YEAR_END)
    assert [(o.kind, o.period.label) for o in items] == [(K.DEMOCRATIC_LIFE, "2025")]


def test_a_committee_without_a_committee_term_in_the_year_owes_no_democratic_life_meeting(tree, members):
    # Like a branch without a committee owes no 支委会: the meeting service refuses to record a 民主生活会 without a
    # term in force, so a year with no term owes none. A term that ended before the year does not count either.
    assert p.obligations(tree.committee_a, 2025, YEAR_END) == []
    start_term(
        organization=tree.committee_a,
        started_on=D(2019, 1, 1),
        positions=[(members.a[0], CommitteePosition.Role.SECRETARY)],
    )
    CommitteeTerm.objects.filter(organization=tree.committee_a).update(ended_on=D(2024, 12, 31))
    assert p.obligations(tree.committee_a, 2025, YEAR_END) == []
    assert [o.period.label for o in p.obligations(tree.committee_a, 2024, YEAR_END)] == ["2024"]


def test_todo_lists_this_month_this_quarter_and_overdue(tree, members):
    held(tree, K.THEME_DAY, D(2025, 5, 2))
    todo = p.todo(tree.branch_a, D(2025, 5, 20))
    assert {o.kind for o in todo["month"]} == {K.BRANCH_COMMITTEE, K.GROUP_MEETING}
    assert {o.kind for o in todo["quarter"]} == {K.BRANCH_ASSEMBLY, K.PARTY_LECTURE}
    assert find(todo["overdue"], K.THEME_DAY, "2025-04")
    assert all(o.state == p.OVERDUE for o in todo["overdue"])


def test_default_date_and_topic_for_one_click_planning():
    april = p.period_by_label("2025-04")
    assert p.default_date(april, D(2025, 4, 10)) == D(2025, 4, 10)
    assert p.default_date(april, D(2025, 6, 1)) == D(2025, 4, 30)
    assert p.default_date(april, D(2025, 1, 1)) == D(2025, 4, 1)
    assert p.suggest_topic(K.BRANCH_ASSEMBLY, p.period_by_label("2025-Q2")) == "2025年第二季度支部党员大会"
    assert p.period_by_label("2025-13") is None and p.period_by_label("x") is None


@pytest.mark.parametrize("n", [1, 20])
def test_obligations_cost_a_fixed_number_of_queries(tree, members, django_assert_max_num_queries, n):
    for i in range(n):
        held(tree, K.THEME_DAY, D(2025, 1, 1) + datetime.timedelta(days=i * 17))
    with django_assert_max_num_queries(8):
        p.obligations(tree.branch_a, 2025, YEAR_END)
