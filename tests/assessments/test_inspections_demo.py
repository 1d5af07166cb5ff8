"""The demo 考核细则, 观摩/督查 and 整改 (demo.inspections.seed_inspections): last year's rubric and finished round with
its ranking and closed items, this year's round in progress with open and overdue items."""

import datetime
import random

import pytest

from assessments.inspections.models import InspectionRound
from assessments.rectification.models import RectificationItem
from assessments.rectification.selectors import dashboard_rows
from assessments.rubrics.models import Rubric
from demo.inspections import seed_inspections
from demo.people import build_members
from demo.seed import DemoContext
from demo.terms import build_terms
from demo.tree import build_organizations
from demo.users import build_users

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 21)
S = RectificationItem.State


def test_the_demo_has_last_years_round_ranked_and_this_years_in_progress():
    ctx = DemoContext(rng=random.Random(2026), scale=1, today=TODAY)
    build_organizations(ctx)
    build_members(ctx)
    build_terms(ctx)
    build_users(ctx)
    summary = seed_inspections(ctx)
    assert summary["rounds"] == 2
    last, current = Rubric.objects.order_by("year")
    assert (last.year, current.year, current.copied_from) == (2025, 2026, last)
    done = InspectionRound.objects.get(year=2025)
    assert done.state == InspectionRound.State.FINISHED
    ranks = list(done.results.values_list("rank", flat=True))
    assert ranks and ranks[0] == 1 and len(ranks) == done.organizations.count()
    assert done.showcases.count() == 2
    assert set(done.rectification_items.values_list("state", flat=True)) == {S.CLOSED}
    live = InspectionRound.objects.get(year=2026)
    assert live.state == InspectionRound.State.OPEN and live.scores.exists()
    items = live.rectification_items
    assert items.filter(state=S.OPEN, deadline__lt=TODAY).exists()  # overdue
    assert items.filter(state=S.OPEN, deadline__gte=TODAY).exists()
    assert items.filter(state=S.REPORTED).exists() and items.filter(state=S.PROPOSED).exists()
    rows = dashboard_rows(ctx.root, TODAY)
    assert sum(r.overdue for r in rows) >= 1 and sum(r.closed for r in rows) == 3
