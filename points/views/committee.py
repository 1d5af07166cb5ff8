"""The committee: the distribution of points across its branches, its rule set (沿用, settings, rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from branches.access import can_write, get_organization_for_user
from branches.models import Organization
from meetings.formflow import add_errors_on_top, submit

from .. import selectors, services
from ..forms import CopyForm, RuleForm, RuleSetForm
from ..models import Rule
from .common import _done, _year

# ---------------------------------------------------------------- the committee


def _committee(user, code, *, write=False):
    organization = get_organization_for_user(user, code, write=write)
    if organization.kind in (Organization.Kind.BRANCH, Organization.Kind.GROUP):
        raise Http404("积分方案和分布按党委、党总支查看。")
    return organization


@login_required
@require_GET
def committee(request, code, year):
    organization = _committee(request.user, code)
    rows = selectors.committee_distribution(organization, _year(year))
    chart = [
        {
            "name": r.branch.name,
            "average": float(r.average),
            "url": reverse("points:branch_table", args=[r.branch.code, year]),
        }
        for r in rows
    ]
    context = {"organization": organization, "year": year, "rows": rows, "chart_data": chart}
    context["breadcrumbs"] = [
        ("首页", reverse("branches:home")),
        ("党员积分", ""),
        (f"{organization.name}{year}年", ""),
    ]
    return render(request, "points/committee.html", context)


@login_required
def rules(request, code, year):
    """The committee's rule set of the year (or the one that applies); POST 沿用 copies last year's or the default."""
    organization = _committee(request.user, code, write=request.method == "POST")
    form = CopyForm(request.POST or None, initial={"year": year})
    call = lambda data: services.rule_set_copy(committee=organization, user=request.user, **data)  # noqa: E731
    done, rule_set = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, f"已建立{rule_set}。")
        return redirect("points:rules", code, rule_set.year)
    rule_set = selectors.own_rule_set(organization, _year(year))
    context = {
        "organization": organization,
        "year": year,
        "rule_set": rule_set,
        "applying": rule_set or selectors.rule_set_for(organization, year),
        "form": form,
        "set_form": RuleSetForm(initial=vars(rule_set), prefix="set") if rule_set else None,
        "rule_form": RuleForm(prefix="new"),
        "rule_forms": [(r, RuleForm(initial=_rule_initial(r), prefix=f"r{r.pk}")) for r in rule_set.rules.all()]
        if rule_set
        else [],
        "can_write": can_write(request.user, organization) and organization.kind == Organization.Kind.COMMITTEE,
        "breadcrumbs": [("首页", reverse("branches:home")), ("积分方案", ""), (f"{organization.name}{year}年", "")],
    }
    return render(request, "points/rules.html", context)


def _rule_initial(rule) -> dict:
    fields = ("category", "name", "source", "meeting_kind", "points", "cap_month", "cap_year", "evidence")
    return {name: getattr(rule, name) for name in fields}


def _rule_set(user, pk):
    rule_set = selectors.get_rule_set_for_user(user, pk, write=True)
    return rule_set, reverse("points:rules", args=[rule_set.organization.code, rule_set.year])


@login_required
@require_POST
def rule_set_edit(request, pk):
    rule_set, back = _rule_set(request.user, pk)
    form = RuleSetForm(request.POST, prefix="set")
    if form.is_valid():
        call = lambda: services.rule_set_update(rule_set=rule_set, user=request.user, **form.cleaned_data)  # noqa: E731
        _done(request, call, "已保存方案设置。")
    else:
        messages.error(request, "请检查方案设置。")
    return redirect(back)


@login_required
@require_POST
def rule_new(request, pk):
    rule_set, back = _rule_set(request.user, pk)
    return _save_rule(request, rule_set, None, back)


@login_required
@require_POST
def rule_edit(request, pk):
    rule = Rule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404("没有找到该积分项目。")
    rule_set, back = _rule_set(request.user, rule.rule_set_id)
    return _save_rule(request, rule_set, rule, back)


def _save_rule(request, rule_set, rule, back):
    form = RuleForm(request.POST, prefix=f"r{rule.pk}" if rule else "new")
    if form.is_valid():
        call = lambda: services.rule_save(rule_set=rule_set, rule=rule, user=request.user, **form.cleaned_data)  # noqa: E731
        _done(request, call, "已保存积分项目。")
    else:
        messages.error(request, ";".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)
