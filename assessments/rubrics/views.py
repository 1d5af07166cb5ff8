"""考核细则 pages: the rubrics, one rubric's tree, defining and editing one (大项 → 小项 rows kept as typed, every
problem shown at once), reusing last year's (copy), and an organization scored on it with the occurrences behind a
deduction.

Access: readers of the committee read; its writers (and SASAC on its own rubrics: inspections/access.py) define,
edit and copy; others 404, readers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.access import get_organization_for_user

from ..indicators.selectors import indicator_choices
from ..inspections import access as runners
from ..letters.views.common import year_param
from . import forms, services
from . import selectors as sel


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("考核细则", reverse("assessments:rubric_list")), *tail]


@login_required
@require_GET
def rubric_list(request):
    page = Paginator(sel.rubric_list(request.user), 30).get_page(request.GET.get("page"))
    runs = list(runners.runner_committees(request.user))
    context = {"page_obj": page, "committees": runs, "next_year": timezone.localdate().year, "breadcrumbs": _crumbs()}
    return render(request, "assessments/rubrics/list.html", context)


@login_required
@require_GET
def rubric_detail(request, pk):
    rubric = sel.get_rubric_for_user(request.user, pk)
    roots, names = sel.rubric_roots(rubric), dict(indicator_choices(rubric.year))
    for item in (i for root in roots for i in (root, *root.kids)):
        item.indicator_name = names.get(item.indicator_code, "")
    context = {
        "rubric": rubric,
        "roots": roots,
        "may_edit": runners.may_run(request.user, rubric.committee),
        "used": rubric.rounds.exists(),
        "breadcrumbs": _crumbs((str(rubric), "")),
    }
    return render(request, "assessments/rubrics/detail.html", context)


def _save(request, form, rows, save, check):
    """Check the header, the rows and the rules together; every problem is shown at once (a refused row is reported
    with the rules' own findings on the other rows)."""
    items, errors = forms.items_from_rows(rows)
    if request.POST.get("more") or not form.is_valid():
        return None
    try:
        if not errors:
            return save(items)
        check(items)
    except ValidationError as error:
        errors += [m for m in error.messages if m not in errors]
    form.add_error(None, errors)
    return None


def _form_page(request, context, form, rows, year):
    context = {**context, "form": form, "rows": rows, "choices": forms.choices(indicator_choices(year))}
    return render(request, "assessments/rubrics/form.html", context)


@login_required
def rubric_new(request, code):
    committee = runners.get_runner_committee(request.user, code)
    form = forms.RubricForm(request.POST or None)
    rows = forms.rows_from_post(request.POST) if request.method == "POST" else forms.rows_from_post({})
    if request.method == "POST":
        save = lambda items: services.rubric_create(  # noqa: E731
            committee=committee, items=items, user=request.user, **form.cleaned_data
        )
        check = lambda items: services.rubric_check(committee=committee, items=items, **form.cleaned_data)  # noqa: E731
        rubric = _save(request, form, rows, save, check)
        if rubric is not None:
            messages.success(request, "已保存考核细则。")
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    context = {"committee": committee, "breadcrumbs": _crumbs((f"{committee.name} 新建考核细则", ""))}
    return _form_page(request, context, form, rows, year_param(request.POST.get("year")) or timezone.localdate().year)


@login_required
def rubric_edit(request, pk):
    rubric = sel.get_rubric_for_user(request.user, pk, write=True)
    initial = {"name": rubric.name, "year": rubric.year, "full_points": rubric.full_points}
    form = forms.RubricForm(request.POST or None, initial=initial, year_fixed=True)
    if request.method == "POST":
        rows = forms.rows_from_post(request.POST)
        fields = lambda: {k: form.cleaned_data[k] for k in ("name", "full_points")}  # noqa: E731
        save = lambda items: services.rubric_update(rubric=rubric, items=items, user=request.user, **fields())  # noqa: E731
        check = lambda items: services.rubric_check(  # noqa: E731
            committee=rubric.committee, year=rubric.year, items=items, exclude=rubric.pk, **fields()
        )
        if _save(request, form, rows, save, check) is not None:
            messages.success(request, "已保存考核细则。")
            return redirect("assessments:rubric_detail", pk=rubric.pk)
    else:
        rows = forms.rows_from_tree(services.rubric_items_tree(rubric))
    context = {"committee": rubric.committee, "rubric": rubric, "breadcrumbs": _crumbs((str(rubric), ""))}
    return _form_page(request, context, form, rows, rubric.year)


@login_required
@require_POST
def rubric_copy(request, pk):
    """沿用: this year's rubric made from last year's, then edited where the rules changed."""
    rubric = sel.get_rubric_for_user(request.user, pk, write=True)
    year = year_param(request.POST.get("year")) or rubric.year + 1
    try:
        copy = services.rubric_copy(rubric=rubric, year=year, name=request.POST.get("name", ""), user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect("assessments:rubric_detail", pk=rubric.pk)
    messages.success(request, f"已沿用为{year}年的细则,可按新年度要求修改。")
    return redirect("assessments:rubric_edit", pk=copy.pk)


@login_required
@require_GET
def rubric_score(request, code):
    """The organization's score on the rubric, computed from the records; ?item=<pk> lists one item's occurrences."""
    organization = get_organization_for_user(request.user, code)
    today = timezone.localdate()
    year = year_param(request.GET.get("year")) or today.year - 1
    rubric = sel.rubric_for(organization, year, pk=request.GET.get("rubric") or None)
    scored = sel.score_organization(rubric, organization, today=today) if rubric else None
    shown = None
    if scored and request.GET.get("item"):
        shown = next((r for r in scored.rows() if str(r[1].key.pk) == request.GET["item"] and r[2] is not None), None)
        if shown is None:
            raise Http404("没有找到该条目的扣分明细。")
    context = {
        "organization": organization,
        "year": year,
        "rubric": rubric,
        "scored": scored,
        "shown": shown,
        "breadcrumbs": [("首页", reverse("branches:home")), (f"{organization.name} {year}年考核细则得分", "")],
    }
    return render(request, "assessments/rubrics/score.html", context)
