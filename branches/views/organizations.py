"""Organization pages: the tree, an organization's page, creating and editing organizations."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import access, panels, selectors, services
from ..access import can_write
from ..forms import OrganizationCreateForm, OrganizationEditForm
from ..models import CommitteePosition, CommitteeTerm, Organization
from .common import TREE_PAGE_SIZE, K, _org_crumbs, _post, submit
from .history import audit_history

TREE_KINDS = [(k.value, k.label) for k in K if k != K.GROUP]


@login_required
def organization_tree(request):
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    queryset = selectors.organization_tree(request.user, search=search)
    if kind in dict(TREE_KINDS):
        queryset = queryset.filter(kind=kind)
    page = Paginator(queryset, TREE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    totals = selectors.subtree_member_counts(request.user, [o for o in rows if o.kind != K.BRANCH])
    for org in rows:
        org.total_members = totals.get(org.pk, org.member_count)
    # Indent relative to the user's own top level, so a secretary's branch is not pushed to the right.
    top_depths = [len(path) // Organization.steplen for path, _a, _k in access.grants(request.user)]
    return render(
        request,
        "branches/tree.html",
        {
            "page_obj": page,
            "rows": rows,
            "search": search,
            "kind": kind,
            "kinds": TREE_KINDS,
            "base_depth": max(min(top_depths, default=1), 1),
            "filtered": bool(search or kind),
        },
    )


@login_required
def organization_detail(request, code):
    user, today = request.user, timezone.localdate()
    org = access.get_organization_for_user(user, code)
    context = selectors.organization_page(org, user=user, today=today)
    sources = [("组织信息", org.history.all(), ("name", "kind"))]
    if context["term"] is not None:
        term_id = context["term"].pk
        sources += [
            ("委员会届次", CommitteeTerm.history.filter(id=term_id), ("started_on", "term_years")),
            ("委员职务", CommitteePosition.history.filter(term_id=term_id), ("member", "role")),
        ]
    context.update(
        breadcrumbs=_org_crumbs(user, org),
        history=audit_history(sources, show_id_number=False),
        can_write=can_write(user, org) and org.status == Organization.Status.ACTIVE,
        panels=panels.organization_panels(request, org),  # e.g. the recent meetings (branches/panels.py)
    )
    return render(request, "branches/org_detail.html", context)


@login_required
def organization_create(request, code):
    parent = access.get_organization_for_user(request.user, code, write=True)
    form = OrganizationCreateForm(
        _post(request), parent=parent, user=request.user, initial={"kind": request.GET.get("kind")}
    )
    org = submit(form, lambda data: services.organization_create(parent=parent, user=request.user, **data))
    if org is not None:
        messages.success(request, f"已新建{org.get_kind_display()}“{org.name}”。")
        return redirect("branches:org_detail", code=org.code)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"在“{parent.name}”下新建组织",
            "breadcrumbs": _org_crumbs(request.user, parent, ("新建下级组织", "")),
            "cancel_url": reverse("branches:org_detail", args=[parent.code]),
        },
    )


@login_required
def organization_edit(request, code):
    org = access.get_organization_for_user(request.user, code, write=True)
    form = OrganizationEditForm(_post(request), instance=copy.copy(org), user=request.user)
    changed = {name: form.cleaned_data[name] for name in form.changed_data} if form.is_valid() else {}
    update = services.organization_update
    if submit(form, lambda _data: update(organization=org, user=request.user, **changed) if changed else org):
        messages.success(request, "已保存。" if changed else "没有修改任何内容。")
        return redirect("branches:org_detail", code=org.code)
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"编辑“{org.name}”",
            "breadcrumbs": _org_crumbs(request.user, org, ("编辑", "")),
            "cancel_url": reverse("branches:org_detail", args=[org.code]),
        },
    )
