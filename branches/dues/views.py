"""党费 pages: the month entry screen, the year grid, and the branch chooser. Thin: access, selector/service, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from common.periods import add_months, month_start, parse_month

from ..access import can_write, get_branch_for_user
from ..views.common import choose_branch, submit
from . import selectors, services
from .forms import DuesMonthForm

NOT_A_BRANCH = "党费按党支部登记,请选择一个党支部。"
YEAR_PAGE_SIZE = 50


@login_required
def dues_index(request):
    """Pick a branch; a secretary with one branch goes straight to its year grid."""
    return choose_branch(request, title="党费", url_name="branches:dues_year", icon="bi-cash-coin")


def _year(request, today: datetime.date) -> int:
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 1921 <= year <= 2100 else today.year


def _filter_grid(grid, *, search: str, state: str):
    if search:
        grid = [row for row in grid if search in row.member.name]
    if state == "unpaid":
        grid = [row for row in grid if row.unpaid_months]
    return grid


@login_required
def dues_year(request, code):
    branch = get_branch_for_user(request.user, code, message=NOT_A_BRANCH)
    today = timezone.localdate()
    year, search, state = _year(request, today), request.GET.get("q", "").strip(), request.GET.get("state", "")
    grid = _filter_grid(selectors.dues_year_grid(branch, year, today=today), search=search, state=state)
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    context = {"organization": branch, "year": year, "months": months, "search": search, "state": state}
    return render(
        request,
        "branches/dues_year.html",
        {
            **context,
            "years": list(range(today.year, today.year - 6, -1)),
            "elapsed_months": [m for m in months if m <= month_start(today)],
            "page": Paginator(grid, YEAR_PAGE_SIZE).get_page(request.GET.get("page")),
            "arrears": selectors.dues_arrears(branch, today),
            "base_gaps": selectors.dues_base_gaps(branch),
            "can_write": can_write(request.user, branch),
        },
    )


def _month_nav(month: datetime.date, today: datetime.date) -> dict:
    following = add_months(month, 1)
    return {
        "previous": add_months(month, -1),
        "next": following if following <= month_start(today) else None,
        "future": month > month_start(today),
    }


@login_required
def dues_month(request, code, month):
    parsed = parse_month(month)
    if parsed is None:
        raise Http404("月份格式应为 yyyy-mm。")
    branch = get_branch_for_user(request.user, code, write=request.method == "POST", message=NOT_A_BRANCH)
    today = timezone.localdate()
    rows = selectors.dues_month_rows(branch, parsed)
    form = DuesMonthForm(request.POST or None, rows=rows)
    saved = submit(
        form,
        lambda _data: services.dues_month_record(
            organization=branch, month=parsed, rows=form.entries(), user=request.user, today=today
        ),
    )
    if saved is not None:
        messages.success(request, f"已保存{parsed:%Y年%m月}{len(saved)}名党员的党费记录。")
        return redirect("branches:dues_month", code, month)
    context = {"organization": branch, "month": parsed, "form": form, "today": today, **_month_nav(parsed, today)}
    return render(
        request,
        "branches/dues_month.html",
        {
            **context,
            "not_due": [row for row in rows if not row.due],
            "base_gaps": selectors.dues_base_gaps(branch),
            "due_total": form.due_total,
            "paid_total": form.paid_total,
            "can_write": can_write(request.user, branch),
        },
    )
