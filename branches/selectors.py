"""Reads: each function owns its select_related/prefetch_related so that query counts stay flat."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Left, Length

from .access import visible_organizations_q
from .models import CommitteePosition, CommitteeTerm, Member, Membership, Organization

# Local practice (DOMAIN.md): the superior reminds 6 months before expiry.
TERM_EXPIRING_DAYS = 183


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class TermStatus:
    term: CommitteeTerm | None
    expires_on: datetime.date | None
    days_left: int | None
    state: str  # none / ok / expiring / overdue
    label: str


def term_status(term: CommitteeTerm | None, today: datetime.date) -> TermStatus:
    if term is None:
        return TermStatus(None, None, None, "none", "未录入届次")
    days = term.days_to_expiry(today)
    if days < 0:
        return TermStatus(term, term.expires_on, days, "overdue", f"已超期 {-days} 天未换届")
    if days <= TERM_EXPIRING_DAYS:
        return TermStatus(term, term.expires_on, days, "expiring", f"距届满 {days} 天")
    return TermStatus(term, term.expires_on, days, "ok", f"距届满 {days} 天")


def organization_warnings(
    organization: Organization,
    *,
    full_members: int,
    all_members: int,
    term: CommitteeTerm | None,
    has_secretary: bool,
) -> list[Warning]:
    """Formation rules of 支部工作条例 第五、八、九条, as warnings (the organization may drift; we say so)."""
    warnings = []
    if organization.kind == Organization.Kind.BRANCH:
        if full_members < 3:
            warnings.append(Warning("too_few", f"正式党员仅 {full_members} 名,党支部应有3名以上正式党员。"))
        if full_members >= 7 and (term is None or not term.has_committee):
            warnings.append(Warning("no_committee", f"正式党员 {full_members} 名,7人以上的党支部应设立支部委员会。"))
        if all_members > 50:
            warnings.append(Warning("too_many", f"党员 {all_members} 名,党支部党员一般不超过50人,可考虑分设支部。"))
    if Organization.Kind(organization.kind).has_term and not has_secretary:
        warnings.append(Warning("no_secretary", "书记空缺,请及时配备。"))
    return warnings


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
        .in_good_standing()
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


def terms_expiring(user, *, today: datetime.date, within_days: int = TERM_EXPIRING_DAYS):
    """Current terms of visible organizations that expire within `within_days` or are overdue, soonest first."""
    terms = (
        CommitteeTerm.objects.current()
        .filter(visible_organizations_q(user, "organization__"))
        .select_related("organization")
    )
    result = [t for t in terms if t.days_to_expiry(today) <= within_days]
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
        .in_good_standing()
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
