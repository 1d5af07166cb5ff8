"""党员积分 pages: the branch table (print, Excel, each cell down to its records), manual items (record, approve,
refuse), the quarter's 公示 with its objections, the committee's rule set and its distribution chart.

Access (branches/access.py): read on the organization, else 404; writes need write access (SASAC 403); approving
needs a committee member of the branch other than the recorder (services.may_decide, else 403); rule sets are the
committee's (write on it).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from branches.access import Access, get_branch_for_user, get_organization_for_user, organization_access
from branches.views.common import choose_branch
from common.periods import period_name
from meetings.formflow import add_errors_on_top, submit

from . import exports, selectors, services
from .forms import AnswerForm, CopyForm, ItemForm, ObjectionForm, PublishForm, RefuseForm, RuleForm, RuleSetForm
from .models import ManualItem, Rule

MESSAGE = "党员积分按党支部统计,请选择一个党支部。"


def _branch(user, code, *, write=False):
    return get_branch_for_user(user, code, write=write, message=MESSAGE)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("年度无效。")
    return year


def _crumbs(branch, *tail):
    return [("首页", reverse("branches:home")), ("党员积分", reverse("points:index")), (branch.name, ""), *tail]


def _write(user, organization) -> bool:
    return organization_access(user, organization) == Access.WRITE


@login_required
@require_GET
def index(request):
    response = choose_branch(request, title="党员积分", url_name="points:branch", icon="bi-star")
    return response


@login_required
@require_GET
def branch(request, code):
    branch = _branch(request.user, code)
    return redirect("points:branch_table", branch.code, timezone.localdate().year)


def _quarter(request) -> int | None:
    value = request.GET.get("q", "")
    return int(value) if value in ("1", "2", "3", "4") else None


@login_required
@require_GET
def branch_table(request, code, year):
    branch = _branch(request.user, code)
    quarter = _quarter(request)
    table = selectors.branch_table(branch, _year(year), quarter=quarter)
    period = period_name(f"{year}-Q{quarter}" if quarter else str(year))
    context = {
        "branch": branch,
        "table": table,
        "period": period,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
        "can_write": _write(request.user, branch),
        "pending": selectors.pending_count(branch),
        "breadcrumbs": _crumbs(branch, (period, "")),
    }
    return render(request, "points/branch_table.html", context)


@login_required
@require_GET
def branch_export(request, code, year):
    branch = _branch(request.user, code)
    quarter = _quarter(request)
    table = selectors.branch_table(branch, _year(year), quarter=quarter)
    title = f"{branch.name}{period_name(f'{year}-Q{quarter}' if quarter else str(year))}党员积分"
    return exports.table_response(table, title=title)


@login_required
@require_GET
def member_points(request, code, year, pk):
    """One member's points of the year in this branch (or one month: ?month=), each linked to its record."""
    branch = _branch(request.user, code)
    month = request.GET.get("month", "")
    month = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    member = next((m for m in selectors.branch_members(branch, _year(year)) if m.pk == pk), None)
    if member is None:
        raise Http404("该党员本年度不在本支部。")
    points = selectors.ledger([member.pk], year).of(member.pk, branch_id=branch.pk, month=month)
    context = {"branch": branch, "member": member, "year": year, "month": month, "points": points}
    context["total"] = sum(p.points for p in points)
    context["breadcrumbs"] = _crumbs(
        branch, (f"{year}年", reverse("points:branch_table", args=[code, year])), (member.name, "")
    )
    return render(request, "points/member_points.html", context)


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
        "can_write": _write(request.user, branch),
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
        and _write(request.user, item.organization)
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


def _done(request, call, success):
    try:
        call()
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, success)


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


# ---------------------------------------------------------------- 公示


@login_required
def publication_list(request, code):
    """GET: the branch's 公示; POST: publish a quarter."""
    branch = _branch(request.user, code, write=request.method == "POST")
    form = PublishForm(request.POST or None)
    year = timezone.localdate().year

    def call(data):
        return services.quarter_publish(organization=branch, year=year, user=request.user, **data)

    done, publication = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, f"已发布{publication}。")
        return redirect("points:publication_detail", publication.pk)
    context = {
        "branch": branch,
        "publications": selectors.publications(branch),
        "form": form,
        "year": year,
        "can_write": _write(request.user, branch),
        "breadcrumbs": _crumbs(branch, ("积分公示", "")),
    }
    return render(request, "points/publication_list.html", context)


@login_required
def publication_detail(request, pk):
    """The published quarter's table, its window and objections; POST records an objection."""
    publication = selectors.get_publication_for_user(request.user, pk, write=request.method == "POST")
    branch = publication.organization
    table = selectors.branch_table(branch, publication.year, quarter=publication.quarter)
    form = ObjectionForm(request.POST or None, members=[row.member for row in table.rows])
    call = lambda data: services.objection_record(publication=publication, user=request.user, **data)  # noqa: E731
    done, _objection = submit(form, call, add_errors=add_errors_on_top)
    if done:
        messages.success(request, "已登记异议,请及时答复。")
        return redirect("points:publication_detail", pk)
    context = {
        "publication": publication,
        "branch": branch,
        "table": table,
        "objections": selectors.objections(publication),
        "form": form,
        "answer_form": AnswerForm(),
        "open": publication.is_open(timezone.localdate()),
        "can_write": _write(request.user, branch),
        "breadcrumbs": _crumbs(
            branch,
            ("积分公示", reverse("points:publication_list", args=[branch.code])),
            (f"{publication.year}年第{publication.quarter}季度", ""),
        ),
    }
    return render(request, "points/publication_detail.html", context)


@login_required
@require_POST
def objection_answer(request, pk):
    objection = selectors.get_objection_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST)
    if form.is_valid():
        answer = form.cleaned_data["answer"]
        _done(
            request,
            lambda: services.objection_answer(objection=objection, answer=answer, user=request.user),
            "已答复。",
        )
    else:
        messages.error(request, "请填写答复。")
    return redirect("points:publication_detail", objection.publication_id)


# ---------------------------------------------------------------- the committee


def _committee(user, code, *, write=False):
    organization = get_organization_for_user(user, code, write=write)
    if organization.kind == "branch" or organization.kind == "group":
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
        "set_form": RuleSetForm(initial=vars(rule_set)) if rule_set else None,
        "rule_form": RuleForm(),
        "can_write": _write(request.user, organization) and organization.kind == "committee",
        "breadcrumbs": [("首页", reverse("branches:home")), ("积分方案", ""), (f"{organization.name}{year}年", "")],
    }
    return render(request, "points/rules.html", context)


def _rule_set(user, pk):
    rule_set = selectors.get_rule_set_for_user(user, pk, write=True)
    return rule_set, reverse("points:rules", args=[rule_set.organization.code, rule_set.year])


@login_required
@require_POST
def rule_set_edit(request, pk):
    rule_set, back = _rule_set(request.user, pk)
    form = RuleSetForm(request.POST)
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
    form = RuleForm(request.POST)
    if form.is_valid():
        call = lambda: services.rule_save(rule_set=rule_set, rule=rule, user=request.user, **form.cleaned_data)  # noqa: E731
        _done(request, call, "已保存积分项目。")
    else:
        messages.error(request, ";".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)
