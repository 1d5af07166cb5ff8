"""A member's 党小组 is a dated period like their branch (DOMAIN.md "Standing of members"): a past 党小组会's roll uses
the group the member was in on that date, and a dissolved group keeps its past years' figures."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from branches import services as branch_services
from branches.models import GroupMembership, Organization
from meetings import attendance
from meetings import plan as p
from meetings.models import Meeting
from tests.factories import make_organization

pytestmark = pytest.mark.django_db
D = datetime.date
K = Meeting.Kind


def test_group_roll_uses_the_group_of_the_meeting_date(tree, members):
    group_b = make_organization(tree.branch_a, "group", established_on=D(2015, 1, 1))
    moved = members.a[0]  # in group A since the start
    branch_services.member_group_change(member=moved, group=group_b, on=D(2025, 6, 1))
    roll = attendance.roll_members
    march_a = roll(organization=tree.branch_a, kind=K.GROUP_MEETING, day=D(2025, 3, 10), group=tree.group_a)
    july_a = roll(organization=tree.branch_a, kind=K.GROUP_MEETING, day=D(2025, 7, 10), group=tree.group_a)
    july_b = roll(organization=tree.branch_a, kind=K.GROUP_MEETING, day=D(2025, 7, 10), group=group_b)
    assert moved in march_a and moved not in july_a and moved in july_b
    # On the day of the move the member is in the new group (half-open periods, like branch membership).
    assert moved in roll(organization=tree.branch_a, kind=K.GROUP_MEETING, day=D(2025, 6, 1), group=group_b)
    assert [(g.group, g.ended_on) for g in GroupMembership.objects.filter(member=moved)] == [
        (tree.group_a, D(2025, 6, 1)),
        (group_b, None),
    ]


def test_group_membership_has_one_open_period_per_member(tree, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(member=members.a[0], group=tree.group_a, started_on=D(2025, 1, 1))


def test_group_membership_ends_when_the_member_transfers_out(tree, members):
    branch_services.member_transfer(member=members.a[1], to_organization=tree.branch_b, on=D(2025, 4, 1))
    period = GroupMembership.objects.get(member=members.a[1])
    assert period.ended_on == D(2025, 4, 1)


def test_a_dissolved_group_keeps_its_past_years_figures(tree, members):
    group = make_organization(tree.branch_a, "group", established_on=D(2015, 1, 1))
    branch_services.organization_update(organization=group, status=Organization.Status.DISSOLVED)
    Organization.objects.filter(pk=group.pk).update(dissolved_on=D(2025, 7, 1))

    def group_months(year):
        items = p.obligations(tree.branch_a, year, D(year + 1, 1, 15))
        return [o.period.label for o in items if o.kind == K.GROUP_MEETING and o.group.pk == group.pk]

    assert len(group_months(2024)) == 12  # a past year keeps the group
    assert group_months(2025) == [f"2025-{m:02d}" for m in range(1, 7)]  # the months it existed
    assert group_months(2026) == []
