"""党费 pages: the month entry screen, the year grid, and the branch chooser. Thin: access, selector/service, render."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from .. import dues
from ..access import Access, get_organization_for_user, organization_access, visible_organizations_q
from ..models import Member, Organization


def _branch_for_user(user, code: str, *, write: bool = False) -> Organization:
    organization = get_organization_for_user(user, code, write=write)
    if organization.kind != Organization.Kind.BRANCH:
        raise Http404("党费按党支部登记,请选择一个党支部。")
    return organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DuesMonthForm(forms.Form):
    """One amount and one date per member; blank amount = not paid this month."""

    def __init__(self, *args, rows: list[dues.MonthRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.due]
        for row in self.rows:
            pk = row.member.pk
            self.fields[f"paid_{pk}"] = forms.DecimalField(
                label=row.member.name,
                required=False,
                min_value=Decimal("0"),
                max_digits=10,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "data-due": row.amount_due}),
            )
            self.fields[f"date_{pk}"] = forms.DateField(label="交纳日期", required=False, widget=DateInput())
            if row.payment is not None:
                if row.payment.amount_paid > 0:
                    self.initial[f"paid_{pk}"] = row.payment.amount_paid
                self.initial[f"date_{pk}"] = row.payment.paid_on

    def table(self):
        return [(row, self[f"paid_{row.member.pk}"], self[f"date_{row.member.pk}"]) for row in self.rows]

    def entries(self) -> dict[int, tuple[Decimal | None, datetime.date | None]]:
        return {
            row.member.pk: (
                self.cleaned_data.get(f"paid_{row.member.pk}"),
                self.cleaned_data.get(f"date_{row.member.pk}"),
            )
            for row in self.rows
        }


@login_required
def dues_index(request):
    """Pick a branch; a secretary with one branch goes straight to its year grid."""
    branches = (
        Organization.objects.filter(visible_organizations_q(request.user))
        .branches()
        .select_related("enterprise")
        .annotate(member_count=Count("members", filter=Q(members__status__in=Member.COUNTED_STATUSES)))
        .order_by("path")
    )
    search = request.GET.get("q", "").strip()
    if search:
        branches = branches.filter(Q(name__icontains=search) | Q(code__icontains=search))
    page = Paginator(branches, 20).get_page(request.GET.get("page"))
    if not search and page.paginator.count == 1:
        return redirect("branches:dues_year", page[0].code)
    return render(request, "branches/dues_index.html", {"page": page, "search": search})


@login_required
def dues_year(request, code):
    branch = _branch_for_user(request.user, code)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if not 1921 <= year <= 2100:
        year = today.year
    search = request.GET.get("q", "").strip()
    grid = dues.dues_year_grid(branch, year, today=today)
    if search:
        grid = [row for row in grid if search in row.member.name]
    state = request.GET.get("state", "")
    if state == "unpaid":
        grid = [row for row in grid if row.unpaid_months]
    page = Paginator(grid, 50).get_page(request.GET.get("page"))
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    return render(
        request,
        "branches/dues_year.html",
        {
            "organization": branch,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "months": months,
            "elapsed_months": [m for m in months if m <= dues.month_start(today)],
            "page": page,
            "search": search,
            "state": state,
            "can_write": organization_access(request.user, branch) == Access.WRITE,
        },
    )


@login_required
def dues_month(request, code, month):
    parsed = dues.parse_month(month)
    if parsed is None:
        raise Http404("月份格式应为 yyyy-mm。")
    write = request.method == "POST"
    branch = _branch_for_user(request.user, code, write=write)
    today = timezone.localdate()
    rows = dues.dues_month_rows(branch, parsed)
    form = DuesMonthForm(request.POST or None, rows=rows)
    if write and form.is_valid():
        try:
            saved = dues.dues_month_record(
                organization=branch, month=parsed, rows=form.entries(), user=request.user, today=today
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"已保存{parsed:%Y年%m月}{len(saved)}名党员的党费记录。")
            return redirect("branches:dues_month", code, month)
    due_total = sum((row.amount_due for row in form.rows), Decimal("0"))
    paid_total = sum((row.payment.amount_paid for row in form.rows if row.payment), Decimal("0"))
    return render(
        request,
        "branches/dues_month.html",
        {
            "organization": branch,
            "month": parsed,
            "previous": dues.add_months(parsed, -1),
            "next": dues.add_months(parsed, 1) if dues.add_months(parsed, 1) <= dues.month_start(today) else None,
            "future": parsed > dues.month_start(today),
            "form": form,
            "not_due": [row for row in rows if not row.due],
            "due_total": due_total,
            "paid_total": paid_total,
            "today": today,
            "can_write": organization_access(request.user, branch) == Access.WRITE,
        },
    )
