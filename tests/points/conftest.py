import datetime
from decimal import Decimal

import pytest

from meetings import services as meeting_services
from meetings.models import Meeting
from points.models import Rule, RuleSet

YEAR = 2025
AS_OF = datetime.date(2025, 12, 31)


def held(branch, kind, day, *, absent=None, topic="学习", **fields):
    """A held meeting of `branch` with everybody on the roll present except `absent` ({member_id: (reason, note)})."""
    meeting = meeting_services.meeting_plan(organization=branch, kind=kind, date=day, topic=topic, **fields)
    meeting_services.meeting_hold(meeting=meeting, absent=absent or {})
    return meeting


@pytest.fixture
def rule_set(tree):
    """企业A党委's own 2025 set: a small scheme so the sums read easily."""
    rule_set = RuleSet.objects.create(organization=tree.committee_a, year=YEAR, name="测试方案")

    def add(source, points, *, kind="", cap_month=None, cap_year=None, category="basic", name=None, evidence=""):
        return Rule.objects.create(
            rule_set=rule_set,
            category=category,
            name=name or f"{source}{kind}",
            source=source,
            meeting_kind=kind,
            points=Decimal(points),
            cap_month=None if cap_month is None else Decimal(cap_month),
            cap_year=None if cap_year is None else Decimal(cap_year),
            evidence=evidence,
        )

    rule_set.add = add
    return rule_set


@pytest.fixture
def kinds():
    return Meeting.Kind
