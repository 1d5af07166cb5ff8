"""Member pages: the list, a member's page, adding, editing, transferring and removing members."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from .. import access, panels, selectors, services
from ..access import Access, can_write
from ..dues.rules import base_missing
from ..filters import MemberFilter
from ..forms import MemberForm, MemberLeaveForm, MemberTransferForm, writable_branches
from ..models import IdNumberAccess, Member, Membership
from .common import MEMBER_PAGE_SIZE, K, _org_crumbs, _post, _roster_url, submit
from .history import audit_history


@login_required
def member_list(request):
    user = request.user
    member_filter = MemberFilter(request.GET, queryset=selectors.member_list(user), request=request)
    page = Paginator(member_filter.qs, MEMBER_PAGE_SIZE).get_page(request.GET.get("page"))
    org = member_filter.organization
    if org is not None and access.organization_access(user, org) == Access.NONE:
        org = None  # do not reveal the name of an organization the user cannot see
    filtered = any(v for k, v in request.GET.items() if k != "page")
    # Badges of higher apps (points' 党员星级, branches/panels.py) on a one-branch list: the branch's own roster.
    if (org is not None and org.kind == K.BRANCH) or access.home_kind(user) == "secretary":
        page.object_list = list(page.object_list)
        for member, badges in _badged(page.object_list):
            member.badges = badges
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


def _badged(members):
    badges = panels.member_badges(members)
    return [(m, badges.get(m.pk, "")) for m in members]


def _member_history(member: Member, *, show_id_number: bool):
    sources = [
        ("党员信息", member.history.all(), ("name",)),
        ("组织关系", Membership.history.filter(member_id=member.pk), ("organization", "started_on")),
    ]
    return audit_history(sources, show_id_number=show_id_number)


@login_required
def member_detail(request, pk):
    """GET shows the ID number masked for everyone. A role that may see it POSTs "查看完整身份证号" to see it once:
    the page is rendered with the full number and the showing is audited (issue 6 point 5)."""
    user = request.user
    member = access.get_member_for_user(user, pk)
    show_id = request.method == "POST"
    if show_id:
        ip = access.client_ip(request)
        services.id_number_reveal(user=user, members=[member], via=IdNumberAccess.Via.PAGE, ip=ip)
    return render(
        request,
        "branches/member_detail.html",
        {
            "member": member,
            "badges": panels.member_badges([member]).get(member.pk, ""),
            "show_id_number": show_id,
            "may_reveal_id_number": access.can_view_id_number(user, member),
            "memberships": selectors.member_memberships(user, member),
            "positions": member.positions.select_related("term__organization").order_by("-term__started_on"),
            "history": _member_history(member, show_id_number=show_id),
            "can_write": can_write(user, member.organization),
            "counted": member.status in Member.COUNTED_STATUSES,
            "breadcrumbs": _org_crumbs(user, member.organization, (member.name, "")),
        },
    )


def _create_url(branch=None) -> str:
    return f"{reverse('branches:member_create')}?org={branch.code}" if branch else reverse("branches:member_create")


def _choose_branch_to_add(request):
    """Which branch the new member goes into: straight on with one writable branch, else a choice (403 with none)."""
    branches = list(writable_branches(request.user)[:500])
    if not branches:
        raise PermissionDenied("您的角色只能查看,不能新增党员。")
    if len(branches) == 1:
        return redirect(_create_url(branches[0]))
    return render(request, "branches/member_choose_branch.html", {"branches": branches})


def _create_member(branch, user):
    def write(data):
        fields = dict(data)
        joined_branch_on = fields.pop("joined_branch_on")
        return services.member_create(organization=branch, user=user, joined_branch_on=joined_branch_on, **fields)

    return write


@login_required
def member_create(request):
    user, code = request.user, request.GET.get("org", "")
    if not code:
        return _choose_branch_to_add(request)
    branch = access.get_organization_for_user(user, code, write=True)
    if branch.kind != K.BRANCH:
        messages.warning(request, "党员的组织关系应在党支部,请选择一个党支部。")
        return redirect("branches:member_create")
    form = MemberForm(_post(request), branch=branch, creating=True, user=user, ip=access.client_ip(request))
    member = submit(form, _create_member(branch, user))
    if member is not None:
        messages.success(request, f"已新增党员 {member.name}。")
        _warn_base_missing(request, member)
        return redirect(_create_url(branch) if "add_another" in request.POST else _member_url(member))
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


def _member_form(request, member: Member, *, may_correct_id: bool) -> MemberForm:
    """The edit form. The ID number field shows the masked number (never the full one unasked): sending it back
    unchanged keeps the number; a full 18-digit number corrects it."""
    data = _post(request)
    if may_correct_id and data is not None and data.get("id_number", "").strip() == member.masked_id_number:
        data = data.copy()
        data["id_number"] = member.id_number
    form = MemberForm(
        data,
        instance=copy.copy(member),
        branch=member.organization,
        show_id_number=may_correct_id,
        user=request.user,
        ip=access.client_ip(request),
    )
    if may_correct_id:
        if not form.is_bound:
            form.initial["id_number"] = member.masked_id_number
        form.fields["id_number"].help_text = "脱敏显示;保持不变即不修改,如需更正请输入完整的18位号码。"
    return form


def _remask(form: MemberForm, member: Member) -> None:
    if form.is_bound and form.data.get("id_number") == member.id_number:
        form.data = form.data.copy()  # re-shown after an error in another field: still masked
        form.data["id_number"] = member.masked_id_number


def _warn_base_missing(request, member: Member) -> None:
    if base_missing(member):  # 基数未填: saved, but a data gap (branches/dues/rules.py)
        messages.warning(request, f"{member.name}的党费计算基数未填:填写前各月党费不计为已交足额。")


@login_required
def member_edit(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    may_correct_id = access.can_view_id_number(user, member)
    form = _member_form(request, member, may_correct_id=may_correct_id)
    changed = {name: form.cleaned_data[name] for name in form.changed_data} if form.is_valid() else {}
    saved = submit(
        form, lambda _data: services.member_update(member=member, user=user, **changed) if changed else member
    )
    if saved is not None:
        messages.success(request, "已保存。" if changed else "没有修改任何内容。")
        _warn_base_missing(request, saved)
        return redirect(_member_url(member))
    if may_correct_id:
        _remask(form, member)
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


def _member_form_page(request, member, form, *, title: str, crumb: str, **context):
    """The small forms about one member (transfer, leave) share branches/form.html."""
    crumbs = _org_crumbs(request.user, member.organization, (member.name, _member_url(member)), (crumb, ""))
    context.update(form=form, title=f"{title} · {member.name}", breadcrumbs=crumbs, cancel_url=_member_url(member))
    return render(request, "branches/form.html", context)


@login_required
def member_transfer(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    form = MemberTransferForm(_post(request), user=user, member=member)
    saved = submit(
        form,
        lambda data: services.member_transfer(
            member=member, to_organization=data["to_organization"], on=data["on"], note=data["note"], user=user
        ),
    )
    if saved is not None:
        messages.success(request, f"{member.name} 的组织关系已转入“{saved.organization.name}”。")
        return redirect(_member_url(member))
    intro = f"当前所在:{member.organization.name}。转入本系统外的组织请使用“减少党员”中的“转出系统外”。"
    return _member_form_page(
        request, member, form, title="组织关系转接", crumb="转接", intro=intro, submit_label="确认转接"
    )


@login_required
def member_leave(request, pk):
    user = request.user
    member = access.get_member_for_user(user, pk, write=True)
    form = MemberLeaveForm(_post(request))
    if submit(form, lambda data: services.member_leave(member=member, user=user, **data)) is not None:
        messages.success(request, f"已登记 {member.name}:{member.get_status_display()}。")
        return redirect(_member_url(member))
    intro = "登记后该党员不再计入本支部,其历史记录保留。"
    return _member_form_page(
        request, member, form, title="减少党员", crumb="减少", intro=intro, submit_label="确认登记", danger=True
    )
