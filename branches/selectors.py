"""Reads: each function owns its select_related/prefetch_related so that query counts stay flat. The rules they apply
to what they read (term status, formation warnings, who needs help) are in health.py."""

import bisect
import datetime

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Left, Length

from .access import Access, organization_access, visible_organizations_q
from .health import expiring_from, needs_help, organization_warnings, term_status
from .models import CommitteePosition, CommitteeTerm, Member, Membership, Organization


def current_term(organization: Organization) -> CommitteeTerm | None:
    return (
        CommitteeTerm.objects.current()
        .filter(organization=organization)
        .prefetch_related(Prefetch("positions", queryset=CommitteePosition.objects.select_related("member")))
        .first()
    )


def organization_overview(organization: Organization, *, today: datetime.date) -> dict:
    """Everything the organization page shows, in a fixed number of queries."""
    term = current_term(organization)
    positions = list(term.positions.all()) if term else []
    counts = (
        Member.objects.filter(organization=organization)
        .registered()
        .aggregate(
            all=Count("id"),
            full=Count("id", filter=Q(category=Member.Category.FULL)),
        )
    )
    children = list(
        Organization.objects.get_children(organization).annotate(
            member_count=Count("group_members", filter=Q(group_members__status__in=Member.COUNTED_STATUSES))
        )
        if organization.kind == Organization.Kind.BRANCH
        else Organization.objects.get_children(organization)
    )
    has_secretary = any(p.role == CommitteePosition.Role.SECRETARY for p in positions)
    return {
        "term": term,
        "positions": positions,
        "term_status": term_status(term, today),
        "member_count": counts["all"],
        "full_member_count": counts["full"],
        "children": children,
        "warnings": organization_warnings(
            organization,
            full_members=counts["full"],
            all_members=counts["all"],
            term=term,
            has_secretary=has_secretary,
        ),
    }


def past_memberships(organization: Organization):
    """Members whose 组织关系 was in this branch and has since moved on."""
    return (
        Membership.objects.filter(organization=organization, ended_on__isnull=False)
        .select_related("member")
        .order_by("-ended_on")
    )


def members_during(organization: Organization, start: datetime.date, end: datetime.date):
    """Members who belonged to the branch at some time in [start, end]: the basis of coverage indicators.
    A membership period is half-open: on the day of a transfer the member belongs to the new branch."""
    # Half-open like standing.belongs_on_q: in force at some day of [start, end].
    periods = Membership.objects.filter(organization=organization, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    return Member.objects.filter(pk__in=periods.values("member_id"))


def member_list(user, *, under: Organization | None = None):
    """Members the user may see, newest structure first; filters are applied by the caller (django-filter)."""
    qs = Member.objects.filter(visible_organizations_q(user, "organization__")).select_related(
        "organization",
        "group",
        "organization__enterprise",
    )
    if under is not None:
        qs = qs.filter(organization__path__startswith=under.path)
    return qs


def organization_tree(user, *, search: str = ""):
    """The organizations the user may see, in tree order, with member counts, in one query."""
    qs = (
        Organization.objects.filter(visible_organizations_q(user))
        .exclude(kind=Organization.Kind.GROUP)
        .select_related("enterprise")
        .annotate(member_count=Count("members", filter=Q(members__status__in=Member.COUNTED_STATUSES)))
        .order_by("path")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return qs


def terms_expiring(user, *, today: datetime.date):
    """Current terms of visible organizations that are expiring (health.expiring_from: the first reminder's window,
    settings.TERM_REMINDER_MONTHS) or overdue, soonest first."""
    terms = (
        CommitteeTerm.objects.current()
        .filter(visible_organizations_q(user, "organization__"))
        .select_related("organization")
    )
    result = [t for t in terms if today >= expiring_from(t.expires_on)]
    return sorted(result, key=lambda t: t.expires_on)


# ----- API rows (moved from branches/api.py): each owns its joins so a page costs the same for 5 rows or 50 -----


def organization_rows(queryset):
    """Organizations with their parent's code and member count, as subqueries of one query."""
    parent_code = (
        Organization.objects.order_by()
        .filter(path=Left(OuterRef("path"), Length(OuterRef("path")) - Organization.steplen))
        .values("code")[:1]
    )
    # A member counts for every organization above their branch, and for their 党小组.
    member_count = (
        Member.objects.order_by()
        .registered()
        .filter(Q(organization__path__startswith=OuterRef("path")) | Q(group=OuterRef("pk")))
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return queryset.select_related("enterprise").annotate(
        parent_code=Subquery(parent_code),
        member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0),
    )


def member_detail(pk) -> Member:
    return (
        Member.objects.select_related("organization", "group", "organization__enterprise")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("organization").order_by("started_on"))
        )
        .get(pk=pk)
    )


def term_rows(queryset):
    return queryset.select_related("organization").prefetch_related(
        Prefetch("positions", queryset=CommitteePosition.objects.select_related("member"))
    )


def branches_to_choose(user, *, search: str = ""):
    """The branches the user may see, with their counted members, for a "pick a branch" page (one query per page)."""
    branches = (
        Organization.objects.filter(visible_organizations_q(user))
        .branches()
        .select_related("enterprise")
        .annotate(member_count=Count("members", filter=Q(members__status__in=Member.COUNTED_STATUSES)))
        .order_by("path")
    )
    if search:
        branches = branches.filter(Q(name__icontains=search) | Q(code__icontains=search))
    return branches


def organization_health(user, *, today: datetime.date) -> list[Organization]:
    """Visible active organizations (no groups) with member counts, term status, warnings and `needs_help`: 3 queries."""
    counted = Q(members__status__in=Member.COUNTED_STATUSES)
    organizations = list(
        Organization.objects.filter(visible_organizations_q(user))
        .active()
        .exclude(kind=Organization.Kind.GROUP)
        .select_related("enterprise")
        .annotate(
            all_members=Count("members", filter=counted),
            full_members=Count("members", filter=counted & Q(members__category=Member.Category.FULL)),
        )
        .order_by("path")
    )
    terms = {
        t.organization_id: t
        for t in CommitteeTerm.objects.current().filter(visible_organizations_q(user, "organization__"))
    }
    with_secretary = set(
        CommitteePosition.objects.filter(role=CommitteePosition.Role.SECRETARY, term__ended_on__isnull=True)
        .filter(visible_organizations_q(user, "term__organization__"))
        .values_list("term__organization_id", flat=True)
    )
    for org in organizations:
        term = terms.get(org.pk)
        org.term_status = term_status(term, today)
        org.warnings = organization_warnings(
            org,
            full_members=org.full_members,
            all_members=org.all_members,
            term=term,
            has_secretary=org.pk in with_secretary,
        )
        org.needs_help = needs_help(warnings=org.warnings, status=org.term_status)
    return organizations


def enterprise_rows(organizations) -> list[dict]:
    """Per enterprise, from organization_health's rows: organizations, branches, members, overdue terms, needing help."""
    rows = {}
    for org in organizations:  # tree order: the first organization seen of an enterprise is its top
        row = rows.setdefault(
            org.enterprise_id,
            {"enterprise": org.enterprise, "top": org, "orgs": 0, "branches": 0, "members": 0, "overdue": 0, "help": 0},
        )
        row["orgs"] += 1
        row["branches"] += org.kind == Organization.Kind.BRANCH
        row["members"] += org.all_members
        row["overdue"] += org.term_status.state == "overdue"
        row["help"] += org.needs_help
    return sorted(rows.values(), key=lambda r: (r["enterprise"] is None, r["top"].path))


def member_memberships(user, member: Member) -> list[Membership]:
    """A member's 组织关系 periods, newest first; `visible` says whether the user may open each organization."""
    memberships = list(member.memberships.select_related("organization").order_by("-started_on", "-id"))
    for membership in memberships:
        membership.visible = organization_access(user, membership.organization) > Access.NONE
    return memberships


def organization_list(user):
    """The organizations the user may see, as the API lists them (organization_rows' joins and counts)."""
    return organization_rows(Organization.objects.filter(visible_organizations_q(user)))


def term_list(user):
    """The committee terms of the organizations the user may see, newest first within each organization."""
    visible = CommitteeTerm.objects.filter(visible_organizations_q(user, "organization__"))
    return term_rows(visible).order_by("organization__path", "-started_on")


def subtree_member_counts(user, organizations) -> dict[int, int]:
    """Members in good standing under each organization, in one GROUP BY query for any number of rows."""
    prefixes = [o.path for o in organizations]
    if not prefixes:
        return {}
    under = Q()
    for prefix in prefixes:
        under |= Q(organization__path__startswith=prefix)
    rows = (
        Member.objects.registered()
        .filter(visible_organizations_q(user, "organization__"))
        .filter(under)
        .values("organization__path")
        .annotate(n=Count("id"))
        .order_by("organization__path")
    )
    paths, totals, running = [], [0], 0
    for row in rows:
        paths.append(row["organization__path"])
        running += row["n"]
        totals.append(running)
    # Paths under a prefix are contiguous in sorted order: two bisections give the sum.
    return {
        o.pk: totals[bisect.bisect_left(paths, o.path + "\uffff")] - totals[bisect.bisect_left(paths, o.path)]
        for o in organizations
    }


ORG_PAGE_MEMBERS = 20  # the organization page lists the first members; the member list has them all


def organization_page(organization: Organization, *, user, today: datetime.date) -> dict:
    """What the organization page shows besides its panels and history: the overview, the term's progress, the first
    members (a branch) or the members under each child (above a branch)."""
    overview = organization_overview(organization, today=today)
    status = overview["term_status"]
    progress = None
    if status.term is not None:
        total = (status.expires_on - status.term.started_on).days or 1
        progress = min(max(round(100 * (today - status.term.started_on).days / total), 0), 100)
    members, past, subtree_members = [], [], None
    kind = Organization.Kind(organization.kind)
    if kind == Organization.Kind.BRANCH:
        members = list(
            Member.objects.filter(organization=organization).registered().select_related("group")[:ORG_PAGE_MEMBERS]
        )
        past = list(past_memberships(organization)[:ORG_PAGE_MEMBERS])
    else:
        totals = subtree_member_counts(user, overview["children"])
        for child in overview["children"]:
            child.total_members = totals.get(child.pk, 0)
        subtree_members = sum(totals.values())
    return {
        "organization": organization,
        **overview,
        "progress": progress,
        "members": members,
        "subtree_members": subtree_members,
        "past_memberships": past,
        "child_kinds": [(k.value, k.label) for k in kind.child_kinds],
        "has_term": kind.has_term,
        "today": today,
    }
