"""The committee's and SASAC's overviews of 谈心谈话, 民主评议 and 党费 (issue 14 point 7): per branch, coverage or
arrears with the worst first, filters (enterprise, status), search by name, pagination, and a link into the branch.

The figures are the indicator computation's (the same subtree_rows as the dashboards, one indicator_summary call),
so the overview and the dashboards agree. The pages of meetings and branches may not import assessments; they link
here instead ("覆盖率总览"). Talks and reviews are yearly: during the year the overview judges them as if the year
ended today (coverage so far), the dues up to the last ended month as the indicator does.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches import access
from branches.models import Organization
from meetings import selectors as meeting_selectors

from ..indicators.models import Indicator
from . import selectors as ds
from . import views
from .enterprises import enterprise_choices, enterprise_key
from .links import dashboard_links, sasac_roots

PAGE_SIZE = 20


@dataclass(frozen=True)
class Subject:
    title: str
    code: str  # the indicator
    icon: str
    unit: str  # what `missing` counts
    so_far: bool  # judge the year as if it ended today


SUBJECTS = {
    "talks": Subject("谈心谈话", Indicator.Code.TALKS, "bi-chat-heart", "名党员未谈话", True),
    "reviews": Subject("民主评议党员", Indicator.Code.MEMBER_REVIEW, "bi-clipboard-check", "名党员未评议", True),
    "dues": Subject("党费", Indicator.Code.DUES, "bi-cash-coin", "人次未交", False),
}


def branch_link(subject: str, code: str, year: int) -> str:
    if subject == "talks":
        return f"{reverse('meetings:talk_list', args=[code])}?year={year}"
    if subject == "reviews":
        return reverse("meetings:review_year", args=[code, year])
    return f"{reverse('branches:dues_year', args=[code])}?year={year}"


@dataclass
class OverviewRow:
    organization: object
    result: object
    missing: int
    link: str


def overview_rows(root, subject: str, year: int, today: datetime.date) -> list[OverviewRow]:
    """Every branch under root with the subject's indicator, the worst first (lowest rate, then most missing)."""
    spec = SUBJECTS[subject]
    as_of = datetime.date(year + 1, 1, 1) if spec.so_far and year == today.year else None
    rows = []
    for row in ds.subtree_rows(root, year, as_of):
        result = row.by_code.get(spec.code)
        if result is None or row.organization.kind != Organization.Kind.BRANCH:
            continue
        link = branch_link(subject, row.organization.code, year)
        rows.append(OverviewRow(row.organization, result, result.required - result.done, link))
    rows.sort(key=lambda r: (r.result.rate is None, r.result.rate or 0, -r.missing, r.organization.path))
    return rows


def _scope(request):
    """The organization whose subtree is shown: ?org=, else the user's first organization (the root for SASAC)."""
    code = request.GET.get("org", "").strip()
    if code:
        return access.get_organization_for_user(request.user, code)
    roots = sasac_roots(request.user)
    if roots:
        return roots[0]
    links = [link for link in dashboard_links(request.user) if link[1]]
    if not links:
        raise Http404("您还没有可查看的组织。")
    return access.get_organization_for_user(request.user, links[0][1])


@login_required
@require_GET
def coverage_overview(request, subject):
    if subject not in SUBJECTS:
        raise Http404("没有这个总览。")
    root, today = _scope(request), timezone.localdate()
    if root.kind in (Organization.Kind.BRANCH, Organization.Kind.GROUP):  # one branch: its own page
        branch = root if root.kind == Organization.Kind.BRANCH else root.get_parent()
        return redirect(branch_link(subject, branch.code, today.year))
    year = views._year(request, today)
    rows = overview_rows(root, subject, year, today)
    enterprises = enterprise_choices([ds.OrgRow(r.organization, []) for r in rows])
    listed = _filtered(request, rows, dict(enterprises))
    return render(
        request,
        "assessments/dashboards/overview.html",
        {
            **_filters(request, enterprises),
            "subject": subject,
            "spec": SUBJECTS[subject],
            "root": root,
            "subtrees": meeting_selectors.subtree_choices(request.user),
            "year": year,
            "years": ds.year_choices(today),
            "so_far": SUBJECTS[subject].so_far and year == today.year,
            "branch_count": len(rows),
            "short_count": sum(r.missing > 0 for r in rows),
            "page": Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page")),
            "breadcrumbs": views._crumbs(
                (root.name, reverse("branches:org_detail", args=[root.code])), (SUBJECTS[subject].title + "总览", "")
            ),
        },
    )


def _filters(request, enterprises) -> dict:
    return {
        "enterprises": enterprises,
        "enterprise": request.GET.get("enterprise", ""),
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "statuses": [(s, ds.STATUS_LABELS[s]) for s in ds.STATUS_ORDER],
    }


def _filtered(request, rows, enterprises: dict) -> list[OverviewRow]:
    f = _filters(request, [])
    if f["enterprise"] in enterprises:
        rows = [r for r in rows if enterprise_key(r.organization) == f["enterprise"]]
    if f["status"] in ds.STATUS_LABELS:
        rows = [r for r in rows if r.result.status == f["status"]]
    if f["search"]:
        rows = [r for r in rows if f["search"].lower() in r.organization.name.lower()]
    return rows
