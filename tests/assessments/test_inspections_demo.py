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
    assert summary["rounds"] == 3  # the committee's two and SASAC's 大观摩
    last, current = Rubric.objects.exclude(committee=ctx.root).order_by("year")
    assert (last.year, current.year, current.copied_from) == (2025, 2026, last)
    done = InspectionRound.objects.get(year=2025)  # the committee's; SASAC's is this year's
    assert done.state == InspectionRound.State.FINISHED
    ranks = list(done.results.values_list("rank", flat=True))
    assert ranks and ranks[0] == 1 and len(ranks) == done.organizations.count()
    assert done.showcases.count() == 2
    assert set(done.rectification_items.values_list("state", flat=True)) == {S.CLOSED}
    live = InspectionRound.objects.get(year=2026, committee__enterprise__isnull=False)
    assert live.state == InspectionRound.State.OPEN and live.scores.exists()
    items = live.rectification_items
    assert items.filter(state=S.OPEN, deadline__lt=TODAY).exists()  # overdue
    assert items.filter(state=S.OPEN, deadline__gte=TODAY).exists()
    assert items.filter(state=S.REPORTED).exists() and items.filter(state=S.PROPOSED).exists()
    rows = dashboard_rows(ctx.root, TODAY)
    assert sum(r.overdue for r in rows) >= 1 and sum(r.closed for r in rows) == 3


def test_the_demo_has_a_sasac_round_over_enterprise_committees_ranked_with_a_tie():
    ctx = DemoContext(rng=random.Random(2026), scale=1, today=TODAY)
    build_organizations(ctx)
    build_members(ctx)
    build_terms(ctx)
    build_users(ctx)
    seed_inspections(ctx)
    rubric = Rubric.objects.get(committee=ctx.root)
    assert rubric.year == 2026 and rubric.items.count() == 6
    sasac = InspectionRound.objects.get(committee=ctx.root)
    assert sasac.state == InspectionRound.State.FINISHED and sasac.kind == "showcase"
    assert list(sasac.team.values_list("username", flat=True)) == ["sasac"]
    organizations = list(sasac.organizations.all())
    assert len(organizations) == 4 and all(o.enterprise_id and o.kind == "committee" for o in organizations)
    results = list(sasac.results.order_by("rank", "organization__path").values_list("rank", "tied"))
    assert results == [(1, False), (2, True), (2, True), (4, False)]
    assert sasac.showcases.filter(kind="practice").count() == 1
    item = sasac.rectification_items.get()
    assert item.state == S.OPEN and item.organization in organizations
