"""Reads of 整改事项: what a user may see, one item with its history, the secretary's open items, the dashboard."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from branches.access import check_organization, visible_organizations_q
from branches.models import Organization

from .models import RectificationEvent, RectificationEvidence, RectificationItem

S = RectificationItem.State


def item_list(user, *, under: Organization | None = None, state: str = "", today: datetime.date | None = None):
    items = RectificationItem.objects.with_parties().filter(visible_organizations_q(user, "organization__"))
    if under is not None:
        items = items.under(under)
    if state == "overdue" and today is not None:
        return items.overdue(today)
    if state == "live":
        return items.live()
    return items.filter(state=state) if state in S.values else items


def get_item_for_user(user, pk, *, write: bool = False) -> RectificationItem:
    item = RectificationItem.objects.with_parties().select_related("round").filter(pk=pk).first()
    if item is None:
        raise Http404("没有找到该整改事项。")
    check_organization(user, item.organization, write=write)
    return item


def item_history(item: RectificationItem) -> list[RectificationEvent]:
    """Every step with its user and its evidence (two queries)."""
    return list(
        item.events.select_related("user").prefetch_related(
            Prefetch("evidence", queryset=RectificationEvidence.objects.order_by("id"))
        )
    )


def get_evidence_for_user(user, pk) -> RectificationEvidence:
    evidence = RectificationEvidence.objects.select_related("event__item__organization").filter(pk=pk).first()
    if evidence is None:
        raise Http404("没有找到该文件。")
    check_organization(user, evidence.event.item.organization)
    return evidence


def open_items_for(organization: Organization, today: datetime.date) -> list[RectificationItem]:
    """The secretary's to-do: the organization's confirmed items not yet closed, overdue first, then by deadline."""
    items = list(RectificationItem.objects.filter(organization=organization).live().order_by("deadline", "id"))
    for item in items:
        item.overdue = item.is_overdue(today)
        item.days_left = (item.deadline - today).days
    return items


@dataclass
class DashboardRow:
    organization: Organization
    live: int
    overdue: int
    reported: int
    closed: int
    drill: bool = False  # the row sums organizations below it: its own dashboard is one click away


def dashboard_rows(root: Organization, today: datetime.date) -> list[DashboardRow]:
    """Open, overdue, awaiting verification and closed items by organization of the subtree (two queries)."""
    counts = (
        RectificationItem.objects.under(root)
        .values("organization_id")
        .annotate(
            live=Count("id", filter=Q(state__in=RectificationItem.LIVE_STATES)),
            overdue=Count("id", filter=Q(state__in=RectificationItem.LIVE_STATES, deadline__lt=today)),
            reported=Count("id", filter=Q(state=S.REPORTED)),
            closed=Count("id", filter=Q(state=S.CLOSED)),
        )
    )
    by_org = {row["organization_id"]: row for row in counts}
    organizations = Organization.objects.filter(pk__in=by_org).order_by("path")
    return [
        DashboardRow(o, by_org[o.pk]["live"], by_org[o.pk]["overdue"], by_org[o.pk]["reported"], by_org[o.pk]["closed"])
        for o in organizations
    ]


def dashboard_rollup(root: Organization, today: datetime.date) -> list[DashboardRow]:
    """The dashboard's rows, drilled down like the indicators: the root's own items, then each organization directly
    below it summing its subtree (SASAC sees its enterprises, an enterprise its 党委 and 党支部); three queries."""
    size = len(root.path) + Organization.steplen
    rows = dashboard_rows(root, today)
    heads = {o.path: o for o in Organization.objects.filter(path__in={r.organization.path[:size] for r in rows})}
    rolled: dict[str, DashboardRow] = {}
    for row in rows:
        key = row.organization.path[:size] if row.organization.pk != root.pk else root.path
        total = rolled.setdefault(key, DashboardRow(heads.get(key, root), 0, 0, 0, 0))
        total.live, total.overdue = total.live + row.live, total.overdue + row.overdue
        total.reported, total.closed = total.reported + row.reported, total.closed + row.closed
        total.drill = total.drill or row.organization.path != key
    return [rolled[key] for key in sorted(rolled)]


def proposals_for(committee: Organization):
    return RectificationItem.objects.with_parties().under(committee).filter(committee=committee, state=S.PROPOSED)
