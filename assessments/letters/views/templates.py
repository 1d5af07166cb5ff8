"""Letter templates: list, create, edit and 一键下达.

Thin views: each checks access (assessments.letters.selectors on top of branches.access: outsider 404, read-only
or wrong side 403, anonymous to login), calls a selector or a service, then renders or redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from branches import access
from branches.access import Access
from branches.forms import add_service_errors

from .. import selectors as sel
from .. import services
from ..forms import TemplateForm, TemplateItemFormSet, item_initial
from .common import (
    LIST_PAGE_SIZE,
    crumbs,
    post_data,
    year_choices,
    year_param,
)


@login_required
def template_list(request):
    user = request.user
    year, search = year_param(request.GET.get("year")), request.GET.get("q", "").strip()
    page = Paginator(sel.template_list(user, year=year, search=search), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for template in page.object_list:
        template.total = services.weights_total(template.items.all())
        template.can_write = access.can_write(user, template.issuer)
    return render(
        request,
        "assessments/letters/template_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": year_choices(),
            "search": search,
            "filtered": bool(year or search),
            "can_create": sel.issuing_organizations(user).exists(),
            "breadcrumbs": crumbs(("模板", "")),
        },
    )


# ---------------------------------------------------------------- templates


def _template_page(request, form, formset, *, template=None):
    title = f"编辑模板:{template}" if template else "新建责任书模板"
    return render(
        request,
        "assessments/letters/template_form.html",
        {
            "form": form,
            "formset": formset,
            "template": template,
            "title": title,
            "total": formset.total() if formset.is_bound and formset.is_valid() else None,
            "breadcrumbs": crumbs(("模板", reverse("assessments:letter_template_list")), (title, "")),
        },
    )


@login_required
def template_create(request):
    if not sel.issuing_organizations(request.user).exists():
        raise PermissionDenied("您没有可下达责任书的组织。")
    form = TemplateForm(post_data(request), user=request.user)
    year = year_param(request.POST.get("year")) if request.method == "POST" else None
    formset = TemplateItemFormSet(post_data(request), year=year or timezone.localdate().year, prefix="items")
    if form.is_valid() and formset.is_valid():
        access.check_organization(request.user, form.cleaned_data["issuer"], write=True)
        try:
            template = services.template_create(user=request.user, items=formset.items(), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"已保存模板“{template.name}”。")
            return redirect("assessments:letter_template_edit", pk=template.pk)
    return _template_page(request, form, formset)


@login_required
def template_edit(request, pk):
    template = sel.get_template_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "GET" and access.organization_access(request.user, template.issuer) < Access.WRITE:
        raise PermissionDenied("您的角色只能查看,不能修改。")
    form = TemplateForm(post_data(request), instance=template, user=request.user)
    formset = TemplateItemFormSet(
        post_data(request), year=template.year, prefix="items", initial=item_initial(sel.template_items(template))
    )
    if form.is_valid() and formset.is_valid():
        try:
            services.template_update(
                template=template, name=form.cleaned_data["name"], items=formset.items(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已保存。")
            return redirect("assessments:letter_template_edit", pk=template.pk)
    return _template_page(request, form, formset, template=template)


@login_required
def template_issue(request, pk):
    """一键下达: GET shows who will receive a letter and who already has one; POST issues."""
    template = sel.get_template_for_user(request.user, pk, write=True)
    errors = []
    if request.method == "POST":
        draft = "draft" in request.POST
        try:
            result = services.letters_issue(template=template, user=request.user, draft=draft)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                f"已向 {len(result.created)} 个下级组织{'生成草稿' if draft else '下达'}责任书"
                + (f",{len(result.skipped)} 个已有本年度责任书,未重复下达。" if result.skipped else "。"),
            )
            return redirect(f"{reverse('assessments:letter_list')}?box=issued&year={template.year}")
    return _issue_page(request, template, errors)


def _issue_page(request, template, errors):
    items = sel.template_items(template)
    recipients = sel.issue_recipients(template)
    return render(
        request,
        "assessments/letters/template_issue.html",
        {
            "template": template,
            "items": items,
            "total": services.weights_total(items),
            "recipients": recipients,
            "new_count": sum(1 for _org, holds in recipients if not holds),
            "errors": errors,
            "breadcrumbs": crumbs(
                ("模板", reverse("assessments:letter_template_list")),
                (template.name, reverse("assessments:letter_template_edit", args=[template.pk])),
                ("一键下达", ""),
            ),
        },
    )
