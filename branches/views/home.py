"""首页: a secretary's own branch, or an officer's / reviewer's overview of the organizations needing help."""

import datetime

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from .. import access, panels, selectors
from ..models import CommitteePosition, CommitteeTerm, Member, Organization, Role
from .common import K, _roster_url


def _organization_health(user, today: datetime.date) -> list[Organization]:
    """Visible active organizations (no groups) with member counts, term status and warnings: 3 queries."""
    counted = Q(members__status__in=Member.COUNTED_STATUSES)
    organizations = list(
        Organization.objects.filter(access.visible_organizations_q(user))
        .active()
        .exclude(kind=K.GROUP)
        .select_related("enterprise")
        .annotate(
            all_members=Count("members", filter=counted),
            full_members=Count("members", filter=counted & Q(members__category=Member.Category.FULL)),
        )
        .order_by("path")
    )
    terms = {
        t.organization_id: t
        for t in CommitteeTerm.objects.current().filter(access.visible_organizations_q(user, "organization__"))
    }
    with_secretary = set(
        CommitteePosition.objects.filter(role=CommitteePosition.Role.SECRETARY, term__ended_on__isnull=True)
        .filter(access.visible_organizations_q(user, "term__organization__"))
        .values_list("term__organization_id", flat=True)
    )
    for org in organizations:
        term = terms.get(org.pk)
        org.term_status = selectors.term_status(term, today)
        org.warnings = selectors.organization_warnings(
            org,
            full_members=org.full_members,
            all_members=org.all_members,
            term=term,
            has_secretary=org.pk in with_secretary,
        )
        # An overdue term is a failing indicator (按期换届): it counts as needing help too.
        org.needs_help = bool(org.warnings) or org.term_status.state == "overdue"
    return organizations


def _enterprise_rows(organizations) -> list[dict]:
    rows = {}
    for org in organizations:  # tree order: the first organization seen of an enterprise is its top
        row = rows.setdefault(
            org.enterprise_id,
            {"enterprise": org.enterprise, "top": org, "orgs": 0, "branches": 0, "members": 0, "overdue": 0, "help": 0},
        )
        row["orgs"] += 1
        row["branches"] += org.kind == K.BRANCH
        row["members"] += org.all_members
        row["overdue"] += org.term_status.state == "overdue"
        row["help"] += org.needs_help
    return sorted(rows.values(), key=lambda r: (r["enterprise"] is None, r["top"].path))


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
        organizations = _organization_health(user, today)
        # Overdue terms first (a failing indicator), then the most warnings: the few that need help most.
        needing_help = sorted(
            (o for o in organizations if o.needs_help),
            key=lambda o: (o.term_status.state != "overdue", -len(o.warnings), o.path),
        )
        expiring = [(t, selectors.term_status(t, today)) for t in selectors.terms_expiring(user, today=today)]
        top_depth = min((o.depth for o in organizations), default=0)
        context.update(
            organization_count=len(organizations),
            branch_count=sum(o.kind == K.BRANCH for o in organizations),
            member_count=sum(o.all_members for o in organizations),
            needing_help=needing_help[:10],
            needing_help_count=len(needing_help),
            expiring=expiring[:15],
            expiring_count=len(expiring),
            overdue_count=sum(1 for _t, s in expiring if s.state == "overdue"),
            enterprises=_enterprise_rows(organizations) if kind != "officer" else [],
            tops=[o for o in organizations if o.depth == top_depth],
        )
    return render(request, "branches/home.html", context)
