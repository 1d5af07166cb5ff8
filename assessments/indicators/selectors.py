"""Reads of the indicators: the year's indicator set, and the results of one organization or of a subtree.

Each loads the facts with meetings.plan.load_year_facts (a fixed number of queries, whatever the records) and runs
the computation (computation.py) on them. So `indicator_results` (one organization) and `indicator_summary`
(dashboards, the API, letters' scoring) give the same figures by construction.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterable

from django.db.models import Q
from django.utils import timezone

from branches.models import Organization
from meetings import plan

from .computation import ORG_FIELDS, OrgRow, Run, org_row
from .models import DEFAULT_INDICATORS, Indicator
from .rules import IndicatorResult

OrgKind = Organization.Kind


def default_as_of() -> datetime.date:
    """Today in Asia/Shanghai (settings.TIME_ZONE)."""
    return timezone.localdate()


def judged_on(year: int, as_of: datetime.date | None = None) -> datetime.date:
    """The day a year's figures are judged on, as pages say it ("截至…"): as_of (today by default), or the year's
    last day once it has ended. One as_of rule for every page, export and API answer."""
    as_of = as_of or default_as_of()
    return min(as_of, datetime.date(year, 12, 31))


def indicators_for(year: int) -> list[Indicator]:
    """That year's active indicators in their order, or the default set's when the year has no rows of its own.
    One query."""
    rows = list(Indicator.objects.filter(Q(year=year) | Q(year__isnull=True)).order_by("order", "id"))
    own = [row for row in rows if row.year == year]
    return [row for row in (own or [row for row in rows if row.year is None]) if row.active]


def indicator_choices(year: int) -> list[tuple[str, str]]:
    """(code, name) of the year's indicator set; the DOMAIN.md defaults when no set is loaded."""
    return [(r.code, r.name) for r in indicators_for(year)] or [(r["code"], r["name"]) for r in DEFAULT_INDICATORS]


def indicator_results(organization, year: int, as_of: datetime.date | None = None) -> list[IndicatorResult]:
    """The applicable indicators of that year for one organization, in the Indicator set's order.
    About 8 queries for a branch, whatever its records."""
    as_of = as_of or default_as_of()
    org = org_row(organization)
    run = Run(indicators_for(year), year, as_of, [org.kind])
    if org.kind == OrgKind.GROUP or not run.applicable[org.kind]:
        return []
    facts = plan.load_year_facts([org], year, with_dues=run.needs_dues(), as_of=as_of).get(org.pk)
    return run.results(org, facts)


def summary_organizations(root) -> list[OrgRow]:
    """Every active organization of root's subtree (root included) that indicators apply to (党小组 have none),
    in tree order: one query."""
    return [
        OrgRow(*row)
        for row in Organization.objects.under(root)
        .active()
        .exclude(kind=OrgKind.GROUP)
        .order_by("path")
        .values_list(*ORG_FIELDS)
    ]


BY_ID_LIMIT = 200


def indicator_summary(
    root, year: int, as_of: datetime.date | None = None, *, organizations: list[OrgRow] | None = None
) -> dict[int, list[IndicatorResult]]:
    """Every active organization of root's subtree (root included; 党小组 excluded, nothing applies to them) -> its
    results, in tree order. A fixed number of SQL queries (about 10) whatever the subtree's size: this is what the
    dashboards and the API use. `organizations` (from summary_organizations) saves the first query when the caller
    already has them."""
    as_of = as_of or default_as_of()
    orgs = organizations if organizations is not None else summary_organizations(root)
    run = Run(indicators_for(year), year, as_of, {org.kind for org in orgs})
    # A page of the subtree (the API) reads the records of its own organizations by id; the whole subtree reads them by
    # path prefix, which needs no list of thousands of ids. The number of queries is the same either way.
    scope = None if organizations is not None and len(orgs) <= BY_ID_LIMIT else root
    with bulk_objects():
        facts = plan.load_year_facts(orgs, year, root=scope, with_dues=run.needs_dues(), as_of=as_of)
        results = run.results
        get = facts.get
        return {org.pk: results(org, get(org.pk)) for org in orgs}


def monthly_trend(results: Iterable[IndicatorResult]) -> list[tuple[str, int, int]]:
    """[("2026-01", done, required), ...] summed over the monthly periods of the given results, in month order.
    Pending months are left out (shown elsewhere, never counted)."""
    # Organizations with the same figures share one `periods` tuple (see _Run): sum each distinct tuple once, times
    # the number of results that carry it, instead of walking every period of every result of a province.
    shared: dict[int, list] = {}
    for result in results:
        entry = shared.get(id(result.periods))
        if entry is None:
            shared[id(result.periods)] = [result.periods, 1]
        else:
            entry[1] += 1
    # ... and each distinct outcome (they are shared too) once, times the results that carry it.
    weights: dict[int, list] = {}
    for periods, n in shared.values():
        for outcome in periods:
            entry = weights.get(id(outcome))
            if entry is None:
                weights[id(outcome)] = [outcome, n]
            else:
                entry[1] += n
    totals: dict[str, list[int]] = {}
    for outcome, n in weights.values():
        label = outcome.label
        if outcome.pending or len(label) != 7 or label[5] == "Q":
            continue
        counts = totals.get(label)
        if counts is None:
            counts = totals[label] = [0, 0]
        counts[0] += outcome.done * n
        counts[1] += outcome.required * n
    return [(label, done, required) for label, (done, required) in sorted(totals.items())]


@contextlib.contextmanager
def bulk_objects():
    """Pause Python's cyclic garbage collector while a province's results are built: hundreds of thousands of small
    acyclic objects (tuples, lists) would trigger many full collections, each walking every live object (about a third
    of the CPU time at --scale 15). Reference counting still frees them; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
