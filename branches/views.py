"""Browser UI of the foundation: home per role, organization tree and pages, members, committee terms.

Every view checks access through branches.access (outsider -> 404, read-only -> 403, anonymous -> login),
reads through selectors / QuerySets that own their joins, and writes through services.
"""

import bisect
import copy
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from . import access, selectors, services
from .access import Access
from .filters import MemberFilter
from .forms import (
    DEFAULT_ROLES,
    POSITION_ROWS,
    ElectionStepForm,
    MemberForm,
    MemberLeaveForm,
    MemberTransferForm,
    OrganizationCreateForm,
    OrganizationEditForm,
    PositionFormSet,
    TermExtendForm,
    TermStartForm,
    add_service_errors,
    writable_branches,
)
from .models import CommitteePosition, CommitteeTerm, ElectionStep, Member, Membership, Organization, Role

TREE_PAGE_SIZE = 100
MEMBER_PAGE_SIZE = 50
ORG_PAGE_MEMBERS = 20
HISTORY_LIMIT = 20
K = Organization.Kind
ROLE_RANK = list(CommitteePosition.Role.values)  # 书记, 副书记, 委员…: the order positions are listed in


# ---------------------------------------------------------------- shared helpers


def _post(request):
    return request.POST if request.method == "POST" else None


def _roster_url() -> str:
    """The roster import is another app's page: link to it only once it is mounted."""
    try:
        resolve("/roster/")
    except Resolver404:
        return ""
    return "/roster/"


def _org_crumbs(user, organization: Organization, *tail) -> list[tuple[str, str]]:
    """首页 › ancestors › organization › tail. Ancestors the user may not open are shown without a link."""
    crumbs = [("首页", reverse("branches:home"))]
    for ancestor in [*Organization.objects.get_ancestors(organization), organization]:
        visible = access.organization_access(user, ancestor) > Access.NONE
        crumbs.append((ancestor.name, reverse("branches:org_detail", args=[ancestor.code]) if visible else ""))
    return crumbs + list(tail)


def _can_write(user, organization: Organization) -> bool:
    return access.organization_access(user, organization) == Access.WRITE


def _subtree_member_counts(user, organizations) -> dict[int, int]:
    """Members in good standing under each organization, in one GROUP BY query for any number of rows."""
    prefixes = [o.path for o in organizations]
    if not prefixes:
        return {}
    under = Q()
    for prefix in prefixes:
        under |= Q(organization__path__startswith=prefix)
    rows = (
        Member.objects.in_good_standing()
        .filter(access.visible_organizations_q(user, "organization__"))
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


# ---------------------------------------------------------------- audit history (simple_history)

_HISTORY_HIDDEN = {"path", "depth", "numchild", "created_at", "updated_at"}
_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime.datetime
    who: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def audit_history(sources, *, show_id_number: bool, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """The newest `limit` changes over several history querysets, each with the fields it changed.

    sources: (subject label, history queryset, fields summarised on creation). One query per source, plus one
    per related model to name the foreign keys; diff_against compares two records in memory.
    """
    pending = []  # (subject, record, previous, summary fields)
    for subject, queryset, summary in sources:
        records = list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
        previous_of = {}
        last_seen = {}
        for record in reversed(records):  # oldest first: link each record to the state before it
            previous_of[record.history_id] = last_seen.get(record.id)
            last_seen[record.id] = record
        pending += [(subject, r, previous_of[r.history_id], summary) for r in records[:limit]]
    pending.sort(key=lambda p: p[1].history_date, reverse=True)
    pending = pending[:limit]

    raw = []  # (entry, [(model field, old, new)])
    for subject, record, previous, summary in pending:
        model = record.instance_type
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=_HISTORY_HIDDEN)
            pairs = [(model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]
        elif record.history_type == "+":
            pairs = [
                (model._meta.get_field(n), None, getattr(record, model._meta.get_field(n).attname)) for n in summary
            ]
        else:
            pairs = []
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "系统"
        raw.append((AuditEntry(record.history_date, who, _ACTIONS.get(record.history_type, ""), subject), pairs))

    names = _foreign_key_names(pair for _e, pairs in raw for pair in pairs)
    for entry, pairs in raw:
        entry.changes = [
            Change(str(f.verbose_name), _shown(f, old, names, show_id_number), _shown(f, new, names, show_id_number))
            for f, old, new in pairs
        ]
    return [entry for entry, _pairs in raw]


def _foreign_key_names(pairs) -> dict:
    wanted = defaultdict(set)
    for f, old, new in pairs:
        if f.is_relation:
            wanted[f.related_model] |= {v for v in (old, new) if v is not None}
    return {
        (related, pk): str(obj)
        for related, pks in wanted.items()
        for pk, obj in related._base_manager.in_bulk(list(pks)).items()
    }


def _shown(f, value, names: dict, show_id_number: bool) -> str:
    if value is None or value == "":
        return "(空)"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}(已删除)")
    if f.name == "id_number" and not show_id_number:
        return Member(id_number=value).masked_id_number
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------- home


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


# ---------------------------------------------------------------- organizations


TREE_KINDS = [(k.value, k.label) for k in K if k != K.GROUP]


@login_required
def organization_tree(request):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    queryset = selectors.organization_tree(request.user, search=search)
    if kind in dict(TREE_KINDS):
        queryset = queryset.filter(kind=kind)
    page = Paginator(queryset, TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    totals = _subtree_member_counts(request.user, [o for o in rows if o.kind != K.BRANCH])
    for org in rows:
        org.total_members = totals.get(org.pk, org.member_count)
    # Indent relative to the user's own top level, so a secretary's branch is not pushed to the right.
    top_depths = [len(path) // Organization.steplen for path, _a, _k in access.grants(request.user)]
    return render(
        request,
        "branches/tree.html",
        {
            "page_obj": page,
            "rows": rows,
            "search": search,
            "kind": kind,
            "kinds": TREE_KINDS,
            "base_depth": max(min(top_depths, default=1), 1),
            "filtered": bool(search or kind),
        },
    )


@login_required
def organization_detail(request, code):
    user, today = request.user, timezone.localdate()
    org = access.get_organization_for_user(user, code)
    overview = selectors.organization_overview(org, today=today)
    status = overview["term_status"]
    progress = None
    if status.term is not None:
        total = (status.expires_on - status.term.started_on).days or 1
        progress = min(max(round(100 * (today - status.term.started_on).days / total), 0), 100)
    members, past, subtree_members = [], [], None
    if org.kind == K.BRANCH:
        members = list(
            Member.objects.filter(organization=org).in_good_standing().select_related("group")[:ORG_PAGE_MEMBERS]
        )
        past = list(selectors.past_memberships(org)[:ORG_PAGE_MEMBERS])
    else:
        totals = _subtree_member_counts(user, overview["children"])
        for child in overview["children"]:
            child.total_members = totals.get(child.pk, 0)
        subtree_members = sum(totals.values())
    sources = [("组织信息", org.history.all(), ("name", "kind"))]
    if overview["term"] is not None:
        term = overview["term"]
        sources += [
            ("委员会届次", CommitteeTerm.history.filter(id=term.pk), ("started_on", "term_years")),
            ("委员职务", CommitteePosition.history.filter(term_id=term.pk), ("member", "role")),
        ]
    can_write = _can_write(user, org) and org.status == Organization.Status.ACTIVE
    return render(
        request,
        "branches/org_detail.html",
        {
            "organization": org,
            "breadcrumbs": _org_crumbs(user, org),
            **overview,
            "progress": progress,
            "members": members,
            "subtree_members": subtree_members,
            "past_memberships": past,
            "history": audit_history(sources, show_id_number=False),
            "can_write": can_write,
            "child_kinds": [(k.value, k.label) for k in K(org.kind).child_kinds],
            "has_term": K(org.kind).has_term,
            "today": today,
        },
    )


@login_required
def organization_create(request, code):
    parent = access.get_organization_for_user(request.user, code, write=True)
    form = OrganizationCreateForm(
        _post(request), parent=parent, user=request.user, initial={"kind": request.GET.get("kind")}
    )
    if form.is_valid():
        try:
            org = services.organization_create(parent=parent, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已新建{org.get_kind_display()}“{org.name}”。")
            return redirect("branches:org_detail", code=org.code)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"在“{parent.name}”下新建组织",
            "breadcrumbs": _org_crumbs(request.user, parent, ("新建下级组织", "")),
            "cancel_url": reverse("branches:org_detail", args=[parent.code]),
        },
    )


@login_required
def organization_edit(request, code):
    org = access.get_organization_for_user(request.user, code, write=True)
    form = OrganizationEditForm(_post(request), instance=copy.copy(org), user=request.user)
    if form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                services.organization_update(organization=org, user=request.user, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已保存。" if changed else "没有修改任何内容。")
            return redirect("branches:org_detail", code=org.code)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"编辑“{org.name}”",
            "breadcrumbs": _org_crumbs(request.user, org, ("编辑", "")),
            "cancel_url": reverse("branches:org_detail", args=[org.code]),
        },
    )


# ---------------------------------------------------------------- members


@login_required
def member_list(request):
    user = request.user
    member_filter = MemberFilter(request.GET, queryset=selectors.member_list(user))
    page = Paginator(member_filter.qs, MEMBER_PAGE_SIZE).get_page(request.GET.get("page"))
    org = member_filter.organization
    if org is not None and access.organization_access(user, org) == Access.NONE:
        org = None  # do not reveal the name of an organization the user cannot see
    filtered = any(v for k, v in request.GET.items() if k != "page")
    return render(
        request,
        "branches/member_list.html",
        {
            "filter": member_filter,
            "page_obj": page,
            "filter_org": org,
            "filtered": filtered,
            "can_add": any(a == Access.WRITE for _p, a, _k in access.grants(user)),
            "roster_url": _roster_url(),
        },
    )


@login_required
def member_detail(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk)
    show_id = access.can_view_id_number(user, member)
    memberships = list(member.memberships.select_related("organization").order_by("-started_on", "-id"))
    for m in memberships:
        m.visible = access.organization_access(user, m.organization) > Access.NONE
    sources = [
        ("党员信息", member.history.all(), ("name",)),
        ("组织关系", Membership.history.filter(member_id=member.pk), ("organization", "started_on")),
    ]
    return render(
        request,
        "branches/member_detail.html",
        {
            "member": member,
            "show_id_number": show_id,
            "memberships": memberships,
            "positions": member.positions.select_related("term__organization").order_by("-term__started_on"),
            "history": audit_history(sources, show_id_number=show_id),
            "can_write": _can_write(user, member.organization),
            "counted": member.status in Member.COUNTED_STATUSES,
            "breadcrumbs": _org_crumbs(user, member.organization, (member.name, "")),
        },
    )


@login_required
def member_create(request):
    user = request.user
    code = request.GET.get("org", "")
    if not code:
        branches = list(writable_branches(user)[:500])
        if not branches:
            raise PermissionDenied("您的角色只能查看,不能新增党员。")
        if len(branches) == 1:
            return redirect(f"{reverse('branches:member_create')}?org={branches[0].code}")
        return render(request, "branches/member_choose_branch.html", {"branches": branches})
    branch = access.get_organization_for_user(user, code, write=True)
    if branch.kind != K.BRANCH:
        messages.warning(request, "党员的组织关系应在党支部,请选择一个党支部。")
        return redirect("branches:member_create")
    form = MemberForm(_post(request), branch=branch, creating=True)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        joined_branch_on = fields.pop("joined_branch_on")
        try:
            member = services.member_create(organization=branch, user=user, joined_branch_on=joined_branch_on, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已新增党员 {member.name}。")
            if "add_another" in request.POST:
                return redirect(f"{reverse('branches:member_create')}?org={branch.code}")
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/member_form.html",
        {
            "form": form,
            "title": f"新增党员 · {branch.name}",
            "creating": True,
            "breadcrumbs": _org_crumbs(user, branch, ("新增党员", "")),
            "cancel_url": reverse("branches:org_detail", args=[branch.code]),
        },
    )


@login_required
def member_edit(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    show_id = access.can_view_id_number(user, member)
    form = MemberForm(_post(request), instance=copy.copy(member), branch=member.organization, show_id_number=show_id)
    if form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                services.member_update(member=member, user=user, **changed)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已保存。" if changed else "没有修改任何内容。")
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/member_form.html",
        {
            "form": form,
            "member": member,
            "masked_id_number": None if show_id else member.masked_id_number,
            "title": f"编辑党员 · {member.name}",
            "breadcrumbs": _org_crumbs(user, member.organization, (member.name, _member_url(member)), ("编辑", "")),
            "cancel_url": _member_url(member),
        },
    )


def _member_url(member):
    return reverse("branches:member_detail", args=[member.pk])


@login_required
def member_transfer(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    form = MemberTransferForm(_post(request), user=user, member=member)
    if form.is_valid():
        target = form.cleaned_data["to_organization"]
        try:
            services.member_transfer(
                member=member,
                to_organization=target,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                user=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.name} 的组织关系已转入“{target.name}”。")
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"组织关系转接 · {member.name}",
            "intro": f"当前所在:{member.organization.name}。转入本系统外的组织请使用“减少党员”中的“转出系统外”。",
            "breadcrumbs": _org_crumbs(user, member.organization, (member.name, _member_url(member)), ("转接", "")),
            "cancel_url": _member_url(member),
            "submit_label": "确认转接",
        },
    )


@login_required
def member_leave(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    form = MemberLeaveForm(_post(request))
    if form.is_valid():
        try:
            services.member_leave(member=member, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已登记 {member.name}:{member.get_status_display()}。")
            return redirect("branches:member_detail", pk=member.pk)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"减少党员 · {member.name}",
            "intro": "登记后该党员不再计入本支部,其历史记录保留。",
            "breadcrumbs": _org_crumbs(user, member.organization, (member.name, _member_url(member)), ("减少", "")),
            "cancel_url": _member_url(member),
            "submit_label": "确认登记",
            "danger": True,
        },
    )


# ---------------------------------------------------------------- committee terms


def _term_url(term):
    return reverse("branches:term_detail", args=[term.pk])


@login_required
def term_start(request, code):
    user = request.user
    org = access.get_organization_for_user(user, code, write=True)
    if not K(org.kind).has_term:
        messages.warning(request, "党小组不设委员会届次。")
        return redirect("branches:org_detail", code=org.code)
    candidates = Member.objects.in_good_standing().order_by("name", "id")
    if org.kind == K.BRANCH:
        candidates = candidates.filter(organization=org)
    else:
        candidates = candidates.filter(organization__path__startswith=org.path).select_related("organization")
    current = selectors.current_term(org)
    ranked = sorted(current.positions.all() if current else [], key=lambda p: ROLE_RANK.index(p.role))
    initial = [{"member": p.member_id, "role": p.role} for p in ranked]
    initial += [{"role": role} for role in DEFAULT_ROLES[len(initial) :]][: POSITION_ROWS - len(initial)]
    form = TermStartForm(_post(request), default_years=services.default_term_years(org.kind))
    formset = PositionFormSet(
        _post(request),
        initial=initial,
        prefix="pos",
        form_kwargs={"members": candidates, "show_branch": org.kind != K.BRANCH},
    )
    if form.is_valid() and formset.is_valid():
        try:
            term = services.term_start(organization=org, positions=formset.positions(), user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "新一届委员会已登记,上一届同时届满。")
            return redirect(_term_url(term))
    return render(
        request,
        "branches/term_form.html",
        {
            "organization": org,
            "form": form,
            "formset": formset,
            "current": current,
            "breadcrumbs": _org_crumbs(user, org, ("新一届委员会", "")),
        },
    )


@login_required
def term_detail(request, pk):
    user, today = request.user, timezone.localdate()
    term = access.get_term_for_user(user, pk)
    sources = [
        ("委员会届次", CommitteeTerm.history.filter(id=term.pk), ("started_on", "term_years")),
        ("委员职务", CommitteePosition.history.filter(term_id=term.pk), ("member", "role")),
    ]
    return render(
        request,
        "branches/term_detail.html",
        {
            "term": term,
            "organization": term.organization,
            "status": selectors.term_status(term, today) if term.is_current else None,
            "positions": term.positions.select_related("member"),
            "steps": term.election_steps.all(),
            "history": audit_history(sources, show_id_number=False),
            "can_write": _can_write(user, term.organization) and term.is_current,
            "breadcrumbs": _org_crumbs(user, term.organization, (f"{term.started_on:%Y}年届", "")),
        },
    )


@login_required
def term_extend(request, pk):
    user = request.user
    term = access.get_term_for_user(user, pk, write=True)
    form = TermExtendForm(_post(request))
    if form.is_valid():
        try:
            services.term_extend(term=term, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已登记延期,本届届满日期为 {term.expires_on:%Y-%m-%d}。")
            return redirect(_term_url(term))
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"延长任期 · {term.organization.name}",
            "intro": "关于党的基层组织任期的意见:因特殊情况需要延期换届的,须报上级党组织批准,延期一般不超过1年。",
            "breadcrumbs": _org_crumbs(
                user, term.organization, (f"{term.started_on:%Y}年届", _term_url(term)), ("延期", "")
            ),
            "cancel_url": _term_url(term),
        },
    )


@login_required
def election_step_create(request, code):
    user = request.user
    org = access.get_organization_for_user(user, code, write=True)
    form = ElectionStepForm(_post(request), initial={"done_on": timezone.localdate()})
    if form.is_valid():
        try:
            step = services.election_step_record(organization=org, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已记录:{step.get_step_display()}。")
            if step.step == ElectionStep.Step.RESULT_APPROVED:
                messages.info(request, "选举结果已批复,请登记新一届委员会。")
                return redirect("branches:term_start", code=org.code)
            return redirect("branches:org_detail", code=org.code)
    steps = ElectionStep.objects.filter(organization=org, outgoing_term__ended_on__isnull=True)
    return render(
        request,
        "branches/election_form.html",
        {
            "organization": org,
            "form": form,
            "steps": steps,
            "breadcrumbs": _org_crumbs(user, org, ("换届程序", "")),
        },
    )
