"""Who sees which dashboard: the SASAC roots a user's grants cover and the link bar on top of each dashboard."""

from django.db.models import Q
from django.urls import reverse

from branches.access import grants
from branches.models import Organization


def sasac_roots(user) -> list[Organization]:
    """The root-level organizations (国资委党委) the user's grants cover: SASAC reviewers and administrators."""
    paths = [path for path, _a, _k in grants(user) if len(path) <= Organization.steplen]
    if not paths:
        return []
    if "" in paths:  # administrator: every root
        return list(Organization.objects.get_root_nodes())
    return list(Organization.objects.filter(path__in=paths).order_by("path"))


def dashboard_links(user) -> list[tuple[str, str, str, str]]:
    """(kind, organization code, label, url) of the dashboards the user may open: the link bar on top of each one."""

    paths = [path for path, _a, _k in grants(user)]
    if not paths:
        return []
    links = []
    if "" in paths or any(len(p) == Organization.steplen for p in paths):
        links.append(("sasac", "", "国资委总览", reverse("assessments:sasac_dashboard")))
    query = Q(path__in=[p for p in paths if p])
    if "" in paths:
        query |= Q(depth=1)
    for org in Organization.objects.filter(query).exclude(kind=Organization.Kind.GROUP).order_by("path")[:8]:
        if org.kind == Organization.Kind.BRANCH:
            links.append(
                ("scorecard", org.code, f"{org.name}评分卡", reverse("assessments:scorecard", args=[org.code]))
            )
        else:
            links.append(
                ("committee", org.code, f"{org.name}看板", reverse("assessments:committee_dashboard", args=[org.code]))
            )
    return links
