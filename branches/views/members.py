"""Member pages: the list, a member's page, adding, editing, transferring and removing members."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import access, selectors, services
from ..access import Access
from ..filters import MemberFilter
from ..forms import MemberForm, MemberLeaveForm, MemberTransferForm, add_service_errors, writable_branches
from ..models import IdNumberAccess, Member, Membership
from .common import MEMBER_PAGE_SIZE, K, _can_write, _org_crumbs, _post, _roster_url
from .history import audit_history


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
    """GET shows the ID number masked for everyone. A role that may see it POSTs "查看完整身份证号" to see it once:
    the page is rendered with the full number and the showing is audited (issue 6 point 5)."""
    user = request.user
    member = access.get_member_for_user(user, pk)
    may_reveal = access.can_view_id_number(user, member)
    show_id = False
    if request.method == "POST":
        services.id_number_reveal(
            user=user, members=[member], via=IdNumberAccess.Via.PAGE, ip=access.client_ip(request)
        )
        show_id = True
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
            "may_reveal_id_number": may_reveal,
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
    form = MemberForm(_post(request), branch=branch, creating=True, user=user, ip=access.client_ip(request))
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
    may_correct_id = access.can_view_id_number(user, member)
    data = _post(request)
    if may_correct_id and data is not None and data.get("id_number", "").strip() == member.masked_id_number:
        # The field shows the masked number (never the full one unasked): sending it back unchanged keeps the number.
        data = data.copy()
        data["id_number"] = member.id_number
    form = MemberForm(
        data, instance=copy.copy(member), branch=member.organization, show_id_number=may_correct_id,
        user=user, ip=access.client_ip(request),
    )  # fmt: skip
    if may_correct_id:
        if not form.is_bound:
            form.initial["id_number"] = member.masked_id_number
        form.fields["id_number"].help_text = "脱敏显示;保持不变即不修改,如需更正请输入完整的18位号码。"
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
    if form.is_bound and may_correct_id and form.data.get("id_number") == member.id_number:
        form.data = form.data.copy()  # re-shown after an error in another field: still masked
        form.data["id_number"] = member.masked_id_number
    return render(
        request,
        "branches/member_form.html",
        {
            "form": form,
            "member": member,
            "masked_id_number": None if may_correct_id else member.masked_id_number,
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
