"""Standing of members as dated periods (DOMAIN.md "Standing of members"; issue 11 point 4): 停止党籍 and 留党察看 hold
from a day to a day, and a past day is judged by the periods in force that day (branches/standing.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches import services, standing
from branches.models import Member, StandingPeriod

pytestmark = pytest.mark.django_db
D = datetime.date


def test_suspension_is_a_dated_period_opened_and_closed_by_the_member_update(members):
    member = members.a[6]
    services.member_update(member=member, status=Member.Status.SUSPENDED, standing_on=D(2025, 3, 1))
    (period,) = StandingPeriod.objects.filter(member=member)
    assert (period.kind, period.started_on, period.ended_on) == ("suspended", D(2025, 3, 1), None)
    with pytest.raises(ValidationError, match="恢复日期不能早于停止党籍的起始日期"):
        services.member_update(member=member, status=Member.Status.NORMAL, standing_on=D(2025, 2, 28))
    services.member_update(member=member, status=Member.Status.NORMAL, standing_on=D(2025, 9, 1))
    period.refresh_from_db()
    assert period.ended_on == D(2025, 9, 1)


def test_a_suspended_member_is_judged_by_the_standing_of_the_day(members):
    member = members.a[6]
    services.member_update(member=member, status=Member.Status.SUSPENDED, standing_on=D(2025, 3, 1))
    services.member_update(member=member, status=Member.Status.NORMAL, standing_on=D(2025, 9, 1))
    periods = list(member.standing_periods.all())
    # Half-open [3-01, 9-01): suspended from the first day, in good standing again on the day it ends.
    assert [standing.suspended_on(periods, day) for day in (D(2025, 2, 28), D(2025, 3, 1), D(2025, 8, 31))] == [
        False,
        True,
        True,
    ]
    assert standing.suspended_on(periods, D(2025, 9, 1)) is False
    in_good_standing = Member.objects.filter(organization=member.organization)
    assert member not in in_good_standing.filter(standing.good_standing_on_q(D(2025, 5, 1)))
    assert member in in_good_standing.filter(standing.good_standing_on_q(D(2025, 10, 1)))
    assert member in in_good_standing.filter(standing.good_standing_on_q(D(2025, 2, 28)))


def test_a_member_on_probation_has_no_vote_during_it_only(members):
    member = members.a[5]
    services.member_update(member=member, disciplinary_probation=True, standing_on=D(2025, 1, 10))
    services.member_update(member=member, disciplinary_probation=False, standing_on=D(2026, 1, 10))
    periods = list(member.standing_periods.all())
    assert [p.kind for p in periods] == ["probation"]
    assert standing.has_vote_on(member, periods, D(2025, 1, 9)) is True
    assert standing.has_vote_on(member, periods, D(2025, 1, 10)) is False
    assert standing.has_vote_on(member, periods, D(2026, 1, 9)) is False
    assert standing.has_vote_on(member, periods, D(2026, 1, 10)) is True
    assert not standing.suspended_on(periods, D(2025, 6, 1))  # 留党察看 keeps the member on the rolls


def test_the_migration_turns_todays_standing_into_periods_from_joining(members):
    # branches/migrations/0010_standing_period: today's values become open periods from the day the member joined,
    # so past figures stay what they were.
    from importlib import import_module

    from django.apps import apps

    migration = import_module("branches.migrations.0010_standing_period")
    Member.objects.filter(pk=members.a[6].pk).update(status=Member.Status.SUSPENDED)
    Member.objects.filter(pk=members.a[5].pk).update(disciplinary_probation=True)
    migration.periods_from_todays_values(apps, None)
    rows = sorted(StandingPeriod.objects.values_list("member_id", "kind", "started_on", "ended_on"))
    assert rows == sorted(
        [
            (members.a[6].pk, "suspended", members.a[6].joined_on, None),
            (members.a[5].pk, "probation", members.a[5].joined_on, None),
        ]
    )
