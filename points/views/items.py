"""Manual items: the list, record (with evidence), the item with its history, approve or refuse, the evidence file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.access import can_write
from meetings.formflow import add_errors_on_top, submit

from .. import selectors, services
from ..forms import ItemForm, RefuseForm
from ..models import ManualItem
from .common import _branch, _crumbs, _done

# ---------------------------------------------------------------- manual items


@login_required
@require_GET
def item_list(request, code):
    branch = _branch(request.user, code)
    state = request.GET.get("state", "")
    context = {
        "branch": branch,
        "items": selectors.item_list(branch, state=state if state in ManualItem.State.values else ""),
        "state": state,
        "states": ManualItem.State.choices,
        "can_write": can_write(request.user, branch),
        "breadcrumbs": _crumbs(branch, ("积分登记", "")),
    }
    return render(request, "points/item_list.html", context)


@login_required
def item_new(request, code):
    branch = _branch(request.user, code, write=True)
    today = timezone.localdate()
    members = selectors.branch_members(branch, today.year)
    form = ItemForm(request.POST or None, members=members, rules=services.manual_rules(branch, today.year))
    files = request.FILES.getlist("files")

    def call(data):
        return services.item_record(organization=branch, files=files, user=request.user, **data)

    done, item = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, f"已登记{item.member.name}的“{item.rule.name}”,等待另一名支部委员审批。")
        return redirect("points:item_detail", item.pk)
    context = {"branch": branch, "form": form, "breadcrumbs": _crumbs(branch, ("登记积分", ""))}
    return render(request, "points/item_form.html", context)


@login_required
@require_GET
def item_detail(request, pk):
    item = selectors.get_item_for_user(request.user, pk)
    context = {
        "item": item,
        "branch": item.organization,
        "evidence": item.evidence.all(),
        "may_decide": item.state == ManualItem.State.PENDING
        and can_write(request.user, item.organization)
        and services.may_decide(request.user, item)
        and request.user.pk != item.recorded_by_id,
        "refuse_form": RefuseForm(),
        "history": item.history.select_related("history_user").order_by("history_date"),
        "breadcrumbs": _crumbs(
            item.organization,
            ("积分登记", reverse("points:item_list", args=[item.organization.code])),
            (str(item.member), ""),
        ),
    }
    return render(request, "points/item_detail.html", context)


def _decider_item(user, pk):
    item = selectors.get_item_for_user(user, pk, write=True)
    if not services.may_decide(user, item):
        raise PermissionDenied("只有本支部的支部委员可以审批积分登记。")
    return item


@login_required
@require_POST
def item_approve(request, pk):
    item = _decider_item(request.user, pk)
    _done(request, lambda: services.item_approve(item=item, user=request.user), "已审批通过,积分已计入。")
    return redirect("points:item_detail", pk)


@login_required
@require_POST
def item_refuse(request, pk):
    item = _decider_item(request.user, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写不予通过的理由。")
        return redirect("points:item_detail", pk)
    reason = form.cleaned_data["reason"]
    _done(request, lambda: services.item_refuse(item=item, reason=reason, user=request.user), "已退回,不计积分。")
    return redirect("points:item_detail", pk)


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=False, filename=evidence.original_name)
