"""Reads of 考核细则: the rubrics a user may see, a rubric's tree, and an organization scored on it.

score_organization computes every computed item from the records (a deduction from its occurrences, a rate from the
indicator) and takes the rest from `given` (item pk -> the reviewer's value: points for manual and bonus, the count
for a deduction without a source, 1 for a failed veto).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from branches.access import check_organization, visible_organizations_q
from branches.models import Organization

from ..indicators import selectors as indicators
from ..inspections import access as runners
from . import occurrences as occ
from . import scoring
from .models import Rubric, RubricItem


def rubric_list(user, *, year: int | None = None):
    rubrics = Rubric.objects.select_related("committee", "copied_from").filter(
        visible_organizations_q(user, "committee__")
    )
    return rubrics.filter(year=year) if year else rubrics


def get_rubric_for_user(user, pk, *, write: bool = False) -> Rubric:
    """Read: readers of the committee; write: writers of it, or SASAC on its own rubrics (inspections/access.py)."""
    rubric = Rubric.objects.select_related("committee").filter(pk=pk).first()
    if rubric is None:
        raise Http404("没有找到该细则。")
    if write:
        runners.check_runner(user, rubric.committee)
    else:
        check_organization(user, rubric.committee)
    return rubric


def get_rubric_item(rubric: Rubric, pk) -> RubricItem:
    item = rubric.items.filter(pk=pk).first()
    if item is None:
        raise Http404("没有找到该条目。")
    return item


def rubric_roots(rubric: Rubric) -> list[RubricItem]:
    """The 大项 with their 小项 in `.kids` (one query)."""
    rows = list(rubric.items.all())
    for row in rows:
        row.kids = [r for r in rows if r.parent_id == row.pk]
    return [r for r in rows if r.parent_id is None]


@dataclass
class Scored:
    roots: list[scoring.Node]
    outcome: scoring.Outcome
    occurrences: dict[int, list[occ.Occurrence]] = field(default_factory=dict)

    def rows(self):
        """(depth, node, occurrences or None) in tree order, for a page or an export."""
        for root in self.roots:
            for depth, node in root.walk():
                yield depth, node, self.occurrences.get(node.key.pk)


def _leaf(item, organization, year, today, given, rates, found) -> scoring.ItemScore | None:
    value = given.get(item.pk)
    if item.method == scoring.DEDUCTION:
        if item.source:
            found[item.pk] = occ.occurrences(item.source, organization, year, today)
            return scoring.deduction_score(item.points, item.unit_points, len(found[item.pk]))
        return None if value is None else scoring.deduction_score(item.points, item.unit_points, int(value))
    if item.method == scoring.RATE and item.indicator_code:
        return scoring.rate_score(item.points, rates.get(item.indicator_code))
    if value is None:
        return None
    if item.method == scoring.BONUS:
        return scoring.bonus_score(item.points, value)
    if item.method == scoring.VETO:
        return scoring.veto_score(item.points, failed=bool(Decimal(str(value))))
    return scoring.manual_score(item.points, min(Decimal(str(value)), item.points))


def score_organization(
    rubric: Rubric, organization: Organization, *, today: datetime.date, given: dict | None = None, roots=None
) -> Scored:
    given = given or {}
    roots = roots if roots is not None else rubric_roots(rubric)
    as_of = min(today, datetime.date(rubric.year, 12, 31))
    rates = {}
    if any(i.method == scoring.RATE and i.indicator_code for r in roots for i in [r, *r.kids]):
        rates = {r.code: r.rate for r in indicators.indicator_results(organization, rubric.year, as_of)}
    found: dict[int, list] = {}

    def node(item):
        kids = [node(k) for k in item.kids]
        result = None if kids else _leaf(item, organization, rubric.year, today, given, rates, found)
        return scoring.Node(item, item.title, item.points, item.method, result, kids)

    nodes = [node(r) for r in roots]
    return Scored(nodes, scoring.outcome(nodes, full=rubric.full_points), found)


def rubric_for(organization: Organization, year: int, *, pk=None) -> Rubric | None:
    """The rubric an organization is scored on: `pk` if it is one of its committees', else the latest rubric of the
    year of its nearest committee above it (or its own, for a committee)."""
    step = organization.steplen
    paths = [organization.path[:i] for i in range(step, len(organization.path) + 1, step)]
    rubrics = Rubric.objects.select_related("committee").filter(committee__path__in=paths)
    if pk is not None:
        return rubrics.filter(pk=pk).first()
    return rubrics.filter(year=year).order_by("-committee__depth", "-created_at", "-id").first()
