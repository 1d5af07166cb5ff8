"""Helpers for the indicator tests: records are made through the same services the application uses."""

import datetime
from decimal import Decimal

import pytest

from assessments.indicators import selectors
from branches.models import DuesPayment
from meetings import services as meeting_services
from meetings.models import Meeting, MemberReview, Talk

D = datetime.date
K = Meeting.Kind
AFTER_2025 = D(2026, 1, 15)  # 2025 has ended: every period of 2025 is required


def held(organization, kind, day, *, group=None, lecturer=None):
    meeting = meeting_services.meeting_plan(
        organization=organization, kind=kind, date=day, topic="会议", group=group, lecturer=lecturer
    )
    return meeting_services.meeting_hold(meeting=meeting, absent={}, resolutions="", content="学习讨论")


def planned(organization, kind, day, *, group=None):
    return meeting_services.meeting_plan(organization=organization, kind=kind, date=day, topic="会议", group=group)


def talk(branch, day, initiator, *participants):
    record = Talk.objects.create(organization=branch, held_on=day, initiator=initiator, summary="谈心")
    record.participants.set(participants)
    return record


def review(member, branch, year=2025):
    return MemberReview.objects.create(
        member=member, organization=branch, year=year, grade="qualified", decided_on=D(year, 12, 20)
    )


def pay(member, branch, month: datetime.date, amount="90.00"):
    amount = Decimal(amount)
    return DuesPayment.objects.create(
        member=member,
        organization=branch,
        month=month,
        base=Decimal("6000"),
        rate=Decimal("0.015"),
        amount_due=Decimal("90.00"),
        amount_paid=amount,
        paid_on=month + datetime.timedelta(days=5) if amount > 0 else None,
    )


def result(organization, code, year=2025, as_of=AFTER_2025):
    found = [r for r in selectors.indicator_results(organization, year, as_of) if r.code == code]
    return found[0] if found else None


@pytest.fixture
def figures():
    """figures(result) -> (required, done, rate rounded, status, missing): one comparable tuple per result."""

    def make(r):
        return r.required, r.done, None if r.rate is None else round(r.rate, 4), r.status, r.missing

    return make
