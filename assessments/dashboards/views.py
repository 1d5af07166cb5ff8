"""Dashboards of the 8 hard indicators: a branch's scorecard, a committee's subtree, the SASAC overview.

Read-only (GET only) for every role. Access through branches.access: an organization outside the user's grants
is 404; the SASAC overview needs a grant on a root-level (国资委) organization, anyone else gets 403. Every table
exports to Excel with the same filters (?export=<table>). Figures come from one indicator_summary call per page
(assessments.dashboards.selectors), so the query count does not grow with the number of organizations.
"""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches import access
from branches.models import Organization
from common.periods import QUARTER_CHOICES, quarter_name

from ..indicators import selectors as ind
from . import exports
from . import gap as gaps
from . import selectors as ds
from .enterprises import enterprise_choices, enterprise_rows, expiring_terms, overdue_elections
from .links import dashboard_links, sasac_roots

HEAT_PAGE_SIZE = 50
RANK_PAGE_SIZE = 20
LIST_PAGE_SIZE = 20
K = Organization.Kind
KIND_CHOICES = [
    (K.COMMITTEE.value, K.COMMITTEE.label),
    (K.GENERAL_BRANCH.value, K.GENERAL_BRANCH.label),
    (K.BRANCH.value, K.BRANCH.label),
]


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _year(request, today: datetime.date) -> int:
    year = _int(request.GET.get("year"), today.year)
    return year if year in ds.year_choices(today) else today.year


def _quarter(request) -> int | None:
    quarter = _int(request.GET.get("quarter"))
    return quarter if quarter in (1, 2, 3, 4) else None


def _period_label(year: int, quarter: int | None, today: datetime.date) -> str:
    if quarter:
        through = min(ds.quarter_end(year, quarter), today)
        return f"{year}年{quarter_name(quarter)}(截至{through:%Y-%m-%d})"
    return f"{year}年(截至{min(datetime.date(year, 12, 31), today):%Y-%m-%d})"


def _crumbs(*tail) -> list[tuple[str, str]]:
    return [("首页", reverse("branches:home")), *tail]


def _base_context(request, active: str, code: str = "") -> dict:
    return {"dashboard_links": dashboard_links(request.user), "active_kind": active, "active_code": code}


def _status_chart(totals: dict, drill: str = "") -> list[dict]:
    """The donut's slices; with `drill` (a committee dashboard URL with its query) a slice opens the heat map
    filtered to that status."""
    return [
        {
            "status": s,
            "name": ds.STATUS_LABELS[s],
            "value": totals[s],
            "url": f"{drill}&status={s}#heatmap" if drill else "",
        }
        for s in ds.STATUS_ORDER
    ]


def _trend_chart(rows, drill: str = "") -> list[dict]:
    """The monthly line; with `drill` a point opens the dashboard judged through that month's quarter."""
    points = ds.trend(rows)
    for point in points:
        quarter = (int(point["label"][5:7]) - 1) // 3 + 1
        point["url"] = f"{drill}&quarter={quarter}#heatmap" if drill else ""
    return points


def _drill(code: str, year: int, enterprise: str = "") -> str:
    url = f"{reverse('assessments:committee_dashboard', args=[code])}?year={year}"
    return f"{url}&enterprise={enterprise}" if enterprise else url


# ---------------------------------------------------------------- branch scorecard


@login_required
@require_GET
def scorecard(request, code):
    organization = access.get_organization_for_user(request.user, code)
    today = timezone.localdate()
    year = _year(request, today)
    row = ds.scorecard_row(organization, year)
    if request.GET.get("export") == "indicators":
        return exports.response(exports.scorecard_sheet(organization, year, today, row))
    return render(
        request,
        "assessments/dashboards/scorecard.html",
        {
            **_base_context(request, "scorecard", organization.code),
            "organization": organization,
            "row": row,
            "year": year,
            "years": ds.year_choices(today),
            "today": today,
            "judged_on": ind.judged_on(year, today),  # the day the figures are judged on (截至…)
            "chart_data": {"trend": ds.trend([row])},
            "breadcrumbs": _crumbs(
                (organization.name, reverse("branches:org_detail", args=[organization.code])), ("指标评分卡", "")
            ),
        },
    )


# ---------------------------------------------------------------- committee dashboard


@login_required
@require_GET
def committee_dashboard(request, code):
    organization = access.get_organization_for_user(request.user, code)
    if organization.kind in (K.BRANCH, K.GROUP):
        # A branch has no subtree to compare: its page is the scorecard.
        target = organization if organization.kind == K.BRANCH else organization.get_parent()
        url = reverse("assessments:scorecard", args=[target.code])
        return redirect(f"{url}?year={request.GET['year']}" if request.GET.get("year") else url)
    data = _committee_data(request, organization)
    export = request.GET.get("export")
    if export:
        keys = ("period", "columns", "listed", "ranking", "help_rows", "terms")
        sheet = exports.committee_sheet(export, organization=organization, **{k: data[k] for k in keys})
        if sheet is None:
            raise Http404("没有这个导出表格。")
        return exports.response(sheet)
    return render(request, "assessments/dashboards/committee.html", _committee_context(request, organization, data))


def _committee_data(request, organization) -> dict:
    """The committee dashboard's filters and rows: what the page and its exports show."""
    today = timezone.localdate()
    year, quarter = _year(request, today), _quarter(request)
    kind = request.GET.get("kind", "")
    rows = ds.subtree_rows(organization, year, ds.period_as_of(year, quarter, today))
    enterprises = enterprise_choices(rows)
    enterprise = request.GET.get("enterprise", "")
    enterprise = enterprise if enterprise in dict(enterprises) else ""
    data = {
        "today": today,
        "year": year,
        "quarter": quarter,
        "period": _period_label(year, quarter, today),
        "enterprises": enterprises,
        "enterprise": enterprise,
        "search": request.GET.get("q", "").strip(),
        "status": request.GET.get("status", ""),
        "kind": kind if kind in dict(KIND_CHOICES) else "",
        "scope": ds.filter_rows(rows, enterprise=enterprise),
    }
    data["listed"] = ds.filter_rows(data["scope"], search=data["search"], status=data["status"], kind=data["kind"])
    data["ranking"] = ds.ranked(data["listed"])
    data["columns"] = ds.indicator_columns(data["scope"])
    data["help_rows"] = ds.needing_help([r for r in data["scope"] if r.organization.kind == K.BRANCH])
    data["terms"] = expiring_terms(request.user, organization, today=today, enterprise=enterprise)
    return data


def _committee_context(request, organization, data) -> dict:
    scope, columns, terms = data["scope"], data["columns"], data["terms"]
    heat_page = Paginator(data["listed"], HEAT_PAGE_SIZE).get_page(request.GET.get("hpage"))
    for row in heat_page.object_list:
        row.cells = [row.by_code.get(c) for c, _n in columns]
        row.indent = min(max(row.organization.depth - organization.depth, 0), 4)  # the tree, shown by indentation
    totals = ds.status_totals(scope)
    return {
        **_base_context(request, "committee", organization.code),
        **{k: data[k] for k in ("year", "quarter", "period", "enterprises", "enterprise", "search", "status", "kind")},
        "organization": organization,
        "years": ds.year_choices(data["today"]),
        "quarter_choices": QUARTER_CHOICES,
        "statuses": [(s, ds.STATUS_LABELS[s]) for s in ds.STATUS_ORDER],
        "kinds": KIND_CHOICES,
        "filtered": bool(data["search"] or data["status"] or data["kind"]),
        "columns": columns,
        "heat_page": heat_page,
        "rank_page": Paginator(data["ranking"], RANK_PAGE_SIZE).get_page(request.GET.get("page")),
        "help_rows": data["help_rows"],
        "help_gap_limit": ds.HELP_GAPS,
        "terms": terms[:LIST_PAGE_SIZE],
        "term_count": len(terms),
        "branch_count": sum(r.organization.kind == K.BRANCH for r in scope),
        "red_count": sum(r.organization.kind == K.BRANCH and r.status == ds.NOT_MET for r in scope),
        "totals": totals,
        "chart_data": {
            "statuses": _status_chart(totals, _drill(organization.code, data["year"], data["enterprise"])),
            "trend": _trend_chart(scope, _drill(organization.code, data["year"], data["enterprise"])),
        },
        "breadcrumbs": _crumbs(
            (organization.name, reverse("branches:org_detail", args=[organization.code])), ("党建指标看板", "")
        ),
    }


# ---------------------------------------------------------------- SASAC dashboard


@login_required
@require_GET
def sasac_dashboard(request):
    roots = sasac_roots(request.user)
    if not roots:
        # Only a grant on a root-level organization (国资委) sees the whole system side by side.
        raise PermissionDenied("国资委总览仅供国资委审阅人员查看,请从您所在组织的看板进入。")
    today = timezone.localdate()
    year = _year(request, today)
    search = request.GET.get("q", "").strip()
    rows, enterprises, overdue = sasac_rows(roots, year)
    listed = [e for e in enterprises if search.lower() in e.name.lower()] if search else enterprises
    period = _period_label(year, None, today)
    export = request.GET.get("export")
    if export:
        sheet = exports.sasac_sheet(export, year=year, period=period, enterprises=listed, overdue=overdue)
        if sheet is None:
            raise Http404("没有这个导出表格。")
        return exports.response(sheet)
    context = _sasac_context(request, year, roots, rows, enterprises, overdue)
    context.update(year=year, years=ds.year_choices(today), today=today, period=period, search=search)
    context["enterprises"] = listed
    return render(request, "assessments/dashboards/sasac.html", context)


def sasac_rows(roots, year: int):
    """(rows, enterprise rows, overdue elections) of the SASAC overview: the dashboard and its 大屏 share them."""
    rows = [row for root in roots for row in ds.subtree_rows(root, year)]
    return rows, enterprise_rows(rows), overdue_elections(rows)


def _sasac_context(request, year, roots, rows, enterprises, overdue) -> dict:
    stars = None
    for root in roots:
        counts = ds.star_counts(root, year)
        if counts is not None:
            stars = {n: (stars or {}).get(n, 0) + counts.get(n, 0) for n in range(1, 6)}
    totals = ds.status_totals(rows)
    branches = [r for r in rows if r.organization.kind == K.BRANCH]
    return {
        **_base_context(request, "sasac"),
        "roots": roots,
        "enterprise_count": len(enterprises),
        "overdue_page": Paginator(overdue, LIST_PAGE_SIZE).get_page(request.GET.get("opage")),
        "organization_count": len(rows),
        "branch_count": len(branches),
        "red_count": sum(r.status == ds.NOT_MET for r in branches),
        "totals": totals,
        "stars": stars,
        "chart_data": {
            "enterprises": [
                {
                    "name": e.name,
                    "met": e.met_share,
                    "partly": e.partly_share,
                    "not_met": e.not_met_share,
                    "url": _drill(e.top.code, year, "-" if e.key == "-" else ""),
                }
                for e in enterprises
            ],
            "statuses": _status_chart(totals, _drill(roots[0].code, year)),
            "trend": _trend_chart(rows, _drill(roots[0].code, year)),
            # No final letter yet (all zero): the card says 尚未评定 instead of an empty chart.
            "stars": [{"name": "★" * n, "value": stars[n]} for n in range(5, 0, -1)]
            if stars and any(stars.values())
            else [],
            # A bar of the star chart opens the ranking of the letters (a chart-wide link: dashboards.js).
            "stars_url": reverse("assessments:letter_ranking", args=[roots[0].code]),
        },
        "breadcrumbs": _crumbs(("国资委总览", "")),
    }


# ---------------------------------------------------------------- the gap (last step of the drill-down)


@login_required
@require_GET
def gap(request, code, indicator, period):
    organization = access.get_organization_for_user(request.user, code)
    page = gaps.gap_page(organization, indicator, period, today=timezone.localdate())
    if page is None:
        raise Http404("没有这个指标或期间。")
    scorecard_url = f"{reverse('assessments:scorecard', args=[code])}?year={page.period.start.year}"
    return render(
        request,
        "assessments/dashboards/gap.html",
        {
            "organization": organization,
            "page": page,
            "scorecard_url": scorecard_url,
            "can_write": access.can_write(request.user, organization),
            "panels": gaps.gap_panels(request, organization, page.period),
            "breadcrumbs": _crumbs((organization.name, scorecard_url), (page.result.name, "")),
        },
    )


@login_required
@require_GET
def dashboard_home(request):
    """/assessments/: the dashboard that fits the user's role (SASAC overview, committee dashboard, scorecard)."""
    links = dashboard_links(request.user)
    if not links:
        raise Http404("您还没有可查看的看板。")
    return redirect(links[0][3])
