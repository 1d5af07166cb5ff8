"""Dashboards of the 8 hard indicators: a branch's scorecard, a committee's subtree, the SASAC overview.

Read-only (GET only) for every role. Access through branches.access: an organization outside the user's grants
is 404; the SASAC overview needs a grant on a root-level (国资委) organization, anyone else gets 403. Every table
exports to Excel with the same filters (?export=<table>). Figures come from one indicator_summary call per page
(assessments.dashboard_selectors), so the query count does not grow with the number of organizations.
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

from .. import dashboard_selectors as ds
from ..exports import pct, xlsx_response

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
        return f"{year}年第{quarter}季度(截至{through:%Y-%m-%d})"
    return f"{year}年(截至{min(datetime.date(year, 12, 31), today):%Y-%m-%d})"


def _crumbs(*tail) -> list[tuple[str, str]]:
    return [("首页", reverse("branches:home")), *tail]


def _base_context(request, active: str, code: str = "") -> dict:
    return {"dashboard_links": ds.dashboard_links(request.user), "active_kind": active, "active_code": code}


def _status_chart(totals: dict) -> list[dict]:
    return [{"status": s, "name": ds.STATUS_LABELS[s], "value": totals[s]} for s in ds.STATUS_ORDER]


def _gap_rows(rows):
    return [
        (row.organization.name, row.organization.code, result.name, gap.label, gap.text)
        for row in rows
        for result, gap in row.gaps
    ]


# ---------------------------------------------------------------- branch scorecard


@login_required
@require_GET
def scorecard(request, code):
    organization = access.get_organization_for_user(request.user, code)
    today = timezone.localdate()
    year = _year(request, today)
    row = ds.org_row(organization, ds.indicators().indicator_results(organization, year))
    if request.GET.get("export") == "indicators":
        return xlsx_response(
            filename=f"{organization.name}{year}年指标评分卡",
            title=f"{organization.name} {year}年 8项硬指标评分卡(截至{today:%Y-%m-%d})",
            sheet="指标评分卡",
            headers=["指标", "应完成", "已完成", "完成率", "状态", "缺项期间", "缺项说明"],
            rows=[
                (
                    r.name,
                    r.required,
                    r.done,
                    pct(r.rate),
                    r.status_label,
                    "、".join(r.missing),
                    ";".join(f"{g.label} {g.text}" for g in r.gaps),
                )
                for r in row.results
            ],
        )
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
    user = request.user
    organization = access.get_organization_for_user(user, code)
    if organization.kind in (K.BRANCH, K.GROUP):
        # A branch has no subtree to compare: its page is the scorecard.
        target = organization if organization.kind == K.BRANCH else organization.get_parent()
        url = reverse("assessments:scorecard", args=[target.code])
        return redirect(f"{url}?year={request.GET['year']}" if request.GET.get("year") else url)
    today = timezone.localdate()
    year, quarter = _year(request, today), _quarter(request)
    as_of = ds.period_as_of(year, quarter, today)
    enterprise = request.GET.get("enterprise", "")
    search = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(KIND_CHOICES) else ""

    rows = ds.subtree_rows(organization, year, as_of)
    enterprises = ds.enterprise_choices(rows)
    if enterprise not in dict(enterprises):
        enterprise = ""
    scope = ds.filter_rows(rows, enterprise=enterprise)
    listed = ds.filter_rows(scope, search=search, status=status, kind=kind)
    ranking = ds.ranked(listed)
    columns = ds.indicator_columns(scope)
    help_rows = ds.needing_help([r for r in scope if r.organization.kind == K.BRANCH])
    terms = ds.expiring_terms(user, organization, today=today, enterprise=enterprise)
    period = _period_label(year, quarter, today)

    export = request.GET.get("export")
    if export:
        return _committee_export(export, organization, period, columns, listed, ranking, help_rows, terms)

    heat_page = Paginator(listed, HEAT_PAGE_SIZE).get_page(request.GET.get("hpage"))
    rank_page = Paginator(ranking, RANK_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in heat_page.object_list:
        row.cells = [row.by_code.get(c) for c, _n in columns]
    totals = ds.status_totals(scope)
    return render(
        request,
        "assessments/dashboards/committee.html",
        {
            **_base_context(request, "committee", organization.code),
            "organization": organization,
            "year": year,
            "quarter": quarter,
            "period": period,
            "years": ds.year_choices(today),
            "enterprises": enterprises,
            "enterprise": enterprise,
            "search": search,
            "status": status,
            "statuses": [(s, ds.STATUS_LABELS[s]) for s in ds.STATUS_ORDER],
            "kind": kind,
            "kinds": KIND_CHOICES,
            "filtered": bool(search or status or kind),
            "columns": columns,
            "heat_page": heat_page,
            "rank_page": rank_page,
            "help_rows": help_rows,
            "help_gap_limit": ds.HELP_GAPS,
            "terms": terms[:LIST_PAGE_SIZE],
            "term_count": len(terms),
            "branch_count": sum(r.organization.kind == K.BRANCH for r in scope),
            "red_count": sum(r.organization.kind == K.BRANCH and r.status == ds.NOT_MET for r in scope),
            "totals": totals,
            "chart_data": {"statuses": _status_chart(totals), "trend": ds.trend(scope)},
            "breadcrumbs": _crumbs(
                (organization.name, reverse("branches:org_detail", args=[organization.code])), ("党建指标看板", "")
            ),
        },
    )


def _committee_export(export, organization, period, columns, listed, ranking, help_rows, terms):
    name = organization.name
    if export == "heatmap":
        return xlsx_response(
            filename=f"{name}指标热力表",
            title=f"{name} 各组织8项硬指标完成率 {period}",
            sheet="指标热力表",
            headers=["组织", "编码", "所属企业", "综合完成率", "状态", *[n for _c, n in columns]],
            rows=[
                (
                    r.organization.name,
                    r.organization.code,
                    r.organization.enterprise.name if r.organization.enterprise_id else "",
                    pct(r.overall),
                    r.status_label,
                    *[
                        (f"{pct(x.rate)} {x.status_label}" if x else "不适用")
                        for x in (r.by_code.get(c) for c, _n in columns)
                    ],
                )
                for r in listed
            ],
        )
    if export == "ranking":
        return xlsx_response(
            filename=f"{name}指标排名",
            title=f"{name} 综合完成率排名 {period}",
            sheet="排名",
            headers=["名次", "组织", "编码", "类别", "综合完成率", "状态", "达标", "基本达标", "未达标", "缺项数"],
            rows=[
                (
                    r.rank or "—",
                    r.organization.name,
                    r.organization.code,
                    r.organization.get_kind_display(),
                    pct(r.overall),
                    r.status_label,
                    r.counts[ds.MET],
                    r.counts[ds.PARTLY_MET],
                    r.counts[ds.NOT_MET],
                    r.gap_count,
                )
                for r in ranking
            ],
        )
    if export == "help":
        return xlsx_response(
            filename=f"{name}需要帮助的支部",
            title=f"{name} 需要帮助的支部及缺项 {period}",
            sheet="需要帮助的支部",
            headers=["支部", "编码", "指标", "期间", "缺项"],
            rows=_gap_rows(help_rows),
        )
    if export == "terms":
        return xlsx_response(
            filename=f"{name}换届提醒",
            title=f"{name} 半年内届满及超期未换届的组织",
            sheet="换届提醒",
            headers=["组织", "编码", "本届开始", "届满日期", "状态"],
            rows=[(t.organization.name, t.organization.code, t.started_on, s.expires_on, s.label) for t, s in terms],
        )
    raise Http404("没有这个导出表格。")


# ---------------------------------------------------------------- SASAC dashboard


@login_required
@require_GET
def sasac_dashboard(request):
    user = request.user
    roots = ds.sasac_roots(user)
    if not roots:
        # Only a grant on a root-level organization (国资委) sees the whole system side by side.
        raise PermissionDenied("国资委总览仅供国资委审阅人员查看,请从您所在组织的看板进入。")
    today = timezone.localdate()
    year = _year(request, today)
    search = request.GET.get("q", "").strip()
    rows = [row for root in roots for row in ds.subtree_rows(root, year)]
    enterprises = ds.enterprise_rows(rows)
    listed = [e for e in enterprises if search.lower() in e.name.lower()] if search else enterprises
    overdue = ds.overdue_elections(rows)
    period = _period_label(year, None, today)

    export = request.GET.get("export")
    if export == "enterprises":
        return xlsx_response(
            filename=f"国资委党建指标总览{year}",
            title=f"各企业8项硬指标完成情况 {period}",
            sheet="各企业对比",
            headers=[
                "企业",
                "党组织",
                "党支部",
                "综合完成率",
                "达标占比",
                "基本达标占比",
                "未达标占比",
                "未达标支部",
                "超期未换届",
            ],
            rows=[
                (
                    e.name,
                    e.organizations,
                    e.branches,
                    "—" if e.overall_pct is None else f"{e.overall_pct}%",
                    f"{e.met_share}%",
                    f"{e.partly_share}%",
                    f"{e.not_met_share}%",
                    e.red_branches,
                    e.overdue,
                )
                for e in listed
            ],
        )
    if export == "overdue":
        return xlsx_response(
            filename=f"超期未换届组织{year}",
            title=f"按期换届未达标的组织 {period}",
            sheet="超期未换届",
            headers=["组织", "编码", "所属企业", "情况"],
            rows=[
                (
                    r.organization.name,
                    r.organization.code,
                    r.organization.enterprise.name if r.organization.enterprise_id else "",
                    ";".join(g.text for g in result.gaps) or result.status_label,
                )
                for r, result in overdue
            ],
        )
    if export:
        raise Http404("没有这个导出表格。")

    stars = None
    for root in roots:
        counts = ds.star_counts(root, year)
        if counts is not None:
            stars = {n: (stars or {}).get(n, 0) + counts.get(n, 0) for n in range(1, 6)}
    totals = ds.status_totals(rows)
    branches = [r for r in rows if r.organization.kind == K.BRANCH]
    overdue_page = Paginator(overdue, LIST_PAGE_SIZE).get_page(request.GET.get("opage"))
    return render(
        request,
        "assessments/dashboards/sasac.html",
        {
            **_base_context(request, "sasac"),
            "roots": roots,
            "year": year,
            "years": ds.year_choices(today),
            "today": today,
            "period": period,
            "search": search,
            "enterprises": listed,
            "enterprise_count": len(enterprises),
            "overdue_page": overdue_page,
            "organization_count": len(rows),
            "branch_count": len(branches),
            "red_count": sum(r.status == ds.NOT_MET for r in branches),
            "totals": totals,
            "stars": stars,
            "chart_data": {
                "enterprises": [
                    {"name": e.name, "met": e.met_share, "partly": e.partly_share, "not_met": e.not_met_share}
                    for e in enterprises
                ],
                "statuses": _status_chart(totals),
                "trend": ds.trend(rows),
                # No final letter yet (all zero): the card says 尚未评定 instead of an empty chart.
                "stars": [{"name": "★" * n, "value": stars[n]} for n in range(5, 0, -1)]
                if stars and any(stars.values())
                else [],
            },
            "breadcrumbs": _crumbs(("国资委总览", "")),
        },
    )


@login_required
@require_GET
def dashboard_home(request):
    """/assessments/: the dashboard that fits the user's role (SASAC overview, committee dashboard, scorecard)."""
    links = ds.dashboard_links(request.user)
    if not links:
        raise Http404("您还没有可查看的看板。")
    return redirect(links[0][3])
