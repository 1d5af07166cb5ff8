"""The branch table: the year or a quarter, its Excel export and each member's points down to the records."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches.access import can_write
from branches.views.common import choose_branch
from common.periods import QUARTER_CHOICES, period_name

from .. import exports, selectors
from .common import _branch, _crumbs, _year


@login_required
@require_GET
def index(request):
    return choose_branch(request, title="党员积分", url_name="points:branch", icon="bi-star")


@login_required
@require_GET
def branch(request, code):
    branch = _branch(request.user, code)
    return redirect("points:branch_table", branch.code, timezone.localdate().year)


def _quarter(request) -> int | None:
    value = request.GET.get("q", "")
    return int(value) if value in ("1", "2", "3", "4") else None


@login_required
@require_GET
def branch_table(request, code, year):
    branch = _branch(request.user, code)
    quarter = _quarter(request)
    table = selectors.branch_table(branch, _year(year), quarter=quarter)
    period = period_name(f"{year}-Q{quarter}" if quarter else str(year))
    context = {
        "branch": branch,
        "table": table,
        "period": period,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "quarter_choices": QUARTER_CHOICES,
        "can_write": can_write(request.user, branch),
        "pending": selectors.pending_count(branch),
        "breadcrumbs": _crumbs(branch, (period, "")),
    }
    return render(request, "points/branch_table.html", context)


@login_required
@require_GET
def branch_export(request, code, year):
    branch = _branch(request.user, code)
    quarter = _quarter(request)
    table = selectors.branch_table(branch, _year(year), quarter=quarter)
    title = f"{branch.name}{period_name(f'{year}-Q{quarter}' if quarter else str(year))}党员积分"
    return exports.table_response(table, title=title)


@login_required
@require_GET
def member_points(request, code, year, pk):
    """One member's points of the year in this branch (or one month: ?month=), each linked to its record."""
    branch = _branch(request.user, code)
    month = request.GET.get("month", "")
    month = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    member = next((m for m in selectors.branch_members(branch, _year(year)) if m.pk == pk), None)
    if member is None:
        raise Http404("该党员本年度不在本支部。")
    points = selectors.ledger([member.pk], year).of(member.pk, branch_id=branch.pk, month=month)
    context = {"branch": branch, "member": member, "year": year, "month": month, "points": points}
    context["total"] = sum(p.points for p in points)
    context["breadcrumbs"] = _crumbs(
        branch, (f"{year}年", reverse("points:branch_table", args=[code, year])), (member.name, "")
    )
    return render(request, "points/member_points.html", context)
