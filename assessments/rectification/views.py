"""整改 pages: the list (with the dashboard's drill-down), one item with its history and the next step, the committee's
proposals from the data, the dashboard by organization, the evidence files and the 整改台账 export.

Access: the organization and its superiors read (outsider 404); the organization reports (write on it; SASAC, read
only, 403); the committee confirms, dismisses, sends back and closes (write on the committee, else 403: a secretary
never verifies their own organization's item).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.access import Access, can_write, get_organization_for_user, organization_access

from ..inspections import access as runners
from . import exports, proposals, services
from . import selectors as sel
from .forms import CloseForm, ConfirmForm, ReasonForm, ReportForm
from .models import RectificationItem

PAGE_SIZE = 30


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("整改台账", reverse("assessments:rectification_list")), *tail]


def _verifier_item(user, pk):
    item = sel.get_item_for_user(user, pk)
    if not services.may_verify(user, item):
        raise PermissionDenied("只有督办党组织可以确认、核验或退回整改事项。")
    return item


@login_required
@require_GET
def item_list(request):
    today = timezone.localdate()
    code, state = request.GET.get("org", ""), request.GET.get("state", "")
    under = get_organization_for_user(request.user, code) if code else None
    items = sel.item_list(request.user, under=under, state=state, today=today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page.object_list:
        item.overdue = item.is_overdue(today)
    context = {"page_obj": page, "under": under, "state": state, "states": RectificationItem.State.choices}
    context["committees"] = list(runners.runner_committees(request.user))  # their proposals and dashboard
    return render(request, "assessments/rectification/list.html", {**context, "breadcrumbs": _crumbs()})


@login_required
@require_GET
def item_detail(request, pk):
    item = sel.get_item_for_user(request.user, pk)
    access = organization_access(request.user, item.organization)
    context = {
        "item": item,
        "history": sel.item_history(item),
        "overdue": item.is_overdue(timezone.localdate()),
        "may_report": access == Access.WRITE,
        "may_verify": services.may_verify(request.user, item),
        "confirm_form": ConfirmForm(item=item),
        "report_form": ReportForm(),
        "reason_form": ReasonForm(),
        "close_form": CloseForm(),
        "breadcrumbs": _crumbs((item.title, "")),
    }
    return render(request, "assessments/rectification/detail.html", context)


def _act(request, item, form, call, done):
    if form.is_valid():
        try:
            call(**form.cleaned_data)
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, ";".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:rectification_detail", pk=item.pk)


@login_required
@require_POST
def item_report(request, pk):
    item = sel.get_item_for_user(request.user, pk, write=True)
    files = request.FILES.getlist("files")
    call = lambda measures: services.item_report(item=item, measures=measures, files=files, user=request.user)  # noqa: E731
    return _act(request, item, ReportForm(request.POST), call, "已报告整改情况,等待上级核验。")


@login_required
@require_POST
def item_confirm(request, pk):
    item = _verifier_item(request.user, pk)
    form = ConfirmForm(request.POST, item=item)
    return _act(request, item, form, lambda **d: services.item_confirm(item=item, user=request.user, **d), "已确认。")


@login_required
@require_POST
def item_dismiss(request, pk):
    item = _verifier_item(request.user, pk)
    call = lambda reason: services.item_dismiss(item=item, reason=reason, user=request.user)  # noqa: E731
    return _act(request, item, ReasonForm(request.POST), call, "已不予确认。")


@login_required
@require_POST
def item_return(request, pk):
    item = _verifier_item(request.user, pk)
    call = lambda reason: services.item_return(item=item, reason=reason, user=request.user)  # noqa: E731
    return _act(request, item, ReasonForm(request.POST), call, "已退回重改。")


@login_required
@require_POST
def item_close(request, pk):
    item = _verifier_item(request.user, pk)
    call = lambda note: services.item_close(item=item, note=note, user=request.user)  # noqa: E731
    return _act(request, item, CloseForm(request.POST), call, "已核验销号。")


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = sel.get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=evidence.original_name)


@login_required
def proposal_list(request, code):
    """GET: the problems the data proposes, waiting for the committee; POST: look for new ones now."""
    committee = get_organization_for_user(request.user, code, write=request.method == "POST")
    today = timezone.localdate()
    if request.method == "POST":
        created = proposals.propose_from_data(committee=committee, year=today.year - 1, today=today, user=request.user)
        messages.success(request, f"新发现 {len(created)} 个问题,请逐一确认或不予确认。")
        return redirect("assessments:rectification_proposals", code=committee.code)
    page = Paginator(sel.proposals_for(committee), PAGE_SIZE).get_page(request.GET.get("page"))
    may_write = can_write(request.user, committee)
    context = {
        "committee": committee,
        "page_obj": page,
        "may_write": may_write,
        "breadcrumbs": _crumbs(("待确认问题", "")),
    }
    return render(request, "assessments/rectification/proposals.html", context)


@login_required
@require_GET
def dashboard(request, code):
    root = get_organization_for_user(request.user, code)
    rows = sel.dashboard_rollup(root, timezone.localdate())
    context = {"root": root, "rows": rows, "breadcrumbs": _crumbs((f"{root.name} 整改情况", ""))}
    return render(request, "assessments/rectification/dashboard.html", context)


@login_required
@require_GET
def export(request, code):
    root = get_organization_for_user(request.user, code)
    return exports.ledger_response(root, today=timezone.localdate())
