"""观摩/督查 pages: the rounds, one round (ranking, problems, showcases), an inspector's visit on a phone, finishing a
round, and the showcase sites and good practices every organization reads.

Access: a round is read by those who read its committee and by its team; only the team scores; the committee
(write on it) opens, finishes and names showcases; SASAC reads, and runs rounds of its own organization over the
enterprises (the one exception, access.py), 403 on any other write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from . import access, exports, services
from . import selectors as sel
from .forms import RoundForm, ShowcaseForm

PAGE_SIZE = 30


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("观摩督查", reverse("assessments:inspection_list")), *tail]


@login_required
@require_GET
def round_list(request):
    page = Paginator(sel.round_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    committees = list(access.runner_committees(request.user))
    context = {"page_obj": page, "committees": committees, "breadcrumbs": _crumbs()}
    return render(request, "assessments/inspections/list.html", context)


@login_required
@require_GET
def round_detail(request, pk):
    round = sel.get_round_for_user(request.user, pk)
    context = {"round": round, **sel.round_detail(round), "breadcrumbs": _crumbs((round.title, ""))}
    context["is_inspector"] = any(u.pk == request.user.pk for u in context["team"])
    context["may_run"] = access.may_run(request.user, round.committee)
    return render(request, "assessments/inspections/detail.html", context)


def _visit(request, pk, code):
    round = sel.get_round_for_user(request.user, pk)
    organization = round.organizations.filter(code=code).first()
    if organization is None:
        raise Http404("该组织不在本轮观摩督查范围内。")
    if not (request.user.is_superuser or round.team.filter(pk=request.user.pk).exists()):
        raise PermissionDenied("只有本轮观摩组成员可以评分。")
    return round, organization


def _save_visit(request, round, organization) -> None:
    values = {k[5:]: v for k, v in request.POST.items() if k.startswith("item_")}
    notes = {k[5:]: v for k, v in request.POST.items() if k.startswith("note_")}
    user = request.user
    services.scores_record(round=round, organization=organization, user=user, values=values, notes=notes)
    for file in request.FILES.getlist("photos"):
        services.photo_add(round=round, organization=organization, user=user, file=file)
    if request.POST.get("problem", "").strip():
        problem, detail = request.POST["problem"], request.POST.get("problem_detail", "")
        services.problem_record(round=round, organization=organization, user=user, title=problem, description=detail)


def _typed_back(rows, post) -> list[dict]:
    """The visit's rows with what the inspector typed, when saving was refused (nothing of it was saved)."""
    for row in rows:
        if row.get("typed"):
            pk = row["item"].pk
            row["value"], row["note"] = post.get(f"item_{pk}", ""), post.get(f"note_{pk}", "")
    return rows


@login_required
def round_visit(request, pk, code):
    """The inspector's page on a phone: score the typed items, add photos and notes, record problems. A refused save
    shows every problem with what was typed (photos must be chosen again)."""
    round, organization = _visit(request, pk, code)
    rows, typed = sel.visit_rows(round, organization, request.user), {}
    if request.method == "POST":
        try:
            _save_visit(request, round, organization)
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
            rows, typed = _typed_back(rows, request.POST), request.POST
        else:
            messages.success(request, "已保存评分和记录。")
            return redirect("assessments:inspection_visit", pk=round.pk, code=organization.code)
    context = {
        "round": round,
        "organization": organization,
        "rows": rows,
        "typed": typed,
        "breadcrumbs": _crumbs(
            (round.title, reverse("assessments:inspection_detail", args=[round.pk])), (organization.name, "")
        ),
    }
    return render(request, "assessments/inspections/visit.html", context)


@login_required
@require_POST
def round_finish(request, pk):
    round = sel.get_round_for_user(request.user, pk)
    access.check_runner(request.user, round.committee)
    try:
        services.round_finish(round=round, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, "本轮观摩督查已结束,已生成排名和分类。")
    return redirect("assessments:inspection_detail", pk=round.pk)


@login_required
@require_GET
def round_export(request, pk):
    return exports.round_response(sel.get_round_for_user(request.user, pk))


@login_required
@require_GET
def showcase_list(request):
    page = Paginator(sel.showcase_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/inspections/showcases.html",
        {"page_obj": page, "breadcrumbs": _crumbs(("示范点与经验", ""))},
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def round_new(request, code):
    """A committee (or SASAC over its enterprises) opens a round: kind, rubric, organizations and team."""
    committee = access.get_runner_committee(request.user, code)
    choices = sel.round_choices(committee, request.user)
    form = RoundForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_open(committee=committee, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "已开展观摩督查,观摩组成员可在手机上逐个单位评分。")
            return redirect("assessments:inspection_detail", pk=round.pk)
    crumbs = _crumbs((f"{committee.name} 开展观摩督查", ""))
    context = {"committee": committee, "form": form, "has_rubrics": choices["rubrics"].exists(), "breadcrumbs": crumbs}
    return render(request, "assessments/inspections/new.html", context)


@login_required
def showcase_new(request, pk):
    """At the end of a round: name a showcase site (示范点) or a good practice (经验) among its organizations."""
    round = sel.get_round_for_user(request.user, pk)
    access.check_runner(request.user, round.committee)
    form = ShowcaseForm(request.POST or None, organizations=round.organizations.order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            services.showcase_add(round=round, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, "已添加,所有组织均可在“示范点与经验”中查看。")
            return redirect("assessments:inspection_detail", pk=round.pk)
    crumbs = _crumbs((round.title, reverse("assessments:inspection_detail", args=[round.pk])), ("选树示范点与经验", ""))
    return render(
        request, "assessments/inspections/showcase_form.html", {"round": round, "form": form, "breadcrumbs": crumbs}
    )
