"""首页: a secretary's own branch, or an officer's / reviewer's overview of the organizations needing help."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .. import access, panels, selectors
from ..health import help_order
from ..models import Role
from .common import K, _roster_url


def _overview(user, kind: str, today) -> dict:
    """An officer's / reviewer's 首页: the organizations needing help most, the terms expiring, per enterprise."""
    organizations = selectors.organization_health(user, today=today)
    needing_help = sorted((o for o in organizations if o.needs_help), key=help_order)
    expiring = [(t, selectors.term_status(t, today)) for t in selectors.terms_expiring(user, today=today)]
    top_depth = min((o.depth for o in organizations), default=0)
    return {
        "organization_count": len(organizations),
        "branch_count": sum(o.kind == K.BRANCH for o in organizations),
        "member_count": sum(o.all_members for o in organizations),
        "needing_help": needing_help[:10],
        "needing_help_count": len(needing_help),
        "expiring": expiring[:15],
        "expiring_count": len(expiring),
        "overdue_count": sum(1 for _t, s in expiring if s.state == "overdue"),
        "enterprises": selectors.enterprise_rows(organizations) if kind != "officer" else [],
        "tops": [o for o in organizations if o.depth == top_depth],
    }


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    kind = access.home_kind(user)
    context = {"kind": kind, "today": today, "roster_url": _roster_url()}
    if kind == "secretary":
        roles = list(
            Role.objects.filter(user=user, kind=Role.Kind.SECRETARY)
            .select_related("organization__enterprise")
            .order_by("organization__path")
        )
        branch = roles[0].organization
        context.update(
            branch=branch,
            other_branches=[r.organization for r in roles[1:]],
            overview=selectors.organization_overview(branch, today=today),
            home_sections=panels.home_sections(request, branch),  # e.g. the meetings to-do (branches/panels.py)
        )
    elif kind in ("officer", "reviewer", "admin"):
        context.update(_overview(user, kind, today))
    return render(request, "branches/home.html", context)
