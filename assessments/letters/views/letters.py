"""Responsibility letters (党建工作责任书): the list, one letter, its lifecycle (下达, 签订, 自评, 考核, 定档, 分解), print.

Thin views: each checks access (assessments.letters.selectors on top of branches.access: outsider 404, read-only
or wrong side 403, anonymous to login), calls a selector or a service, then renders or redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches.forms import add_service_errors
from branches.models import Organization

from ...indicators.selectors import indicator_choices
from .. import ratings, scoring, services
from .. import selectors as sel
from ..forms import ReviewForm, SelfAssessmentForm
from .common import (
    LIST_PAGE_SIZE,
    S,
    crumbs,
    letter_crumbs,
    post_data,
    scorecard_url,
    year_choices,
    year_param,
)


@login_required
def letter_list(request):
    user = request.user
    box = request.GET.get("box") or sel.default_box(user)
    box = box if box in sel.BOXES else "all"
    year, search = year_param(request.GET.get("year")), request.GET.get("q", "").strip()
    status = request.GET.get("status", "") if request.GET.get("status") in S.values else ""
    queryset = sel.letter_list(user, box=box, year=year, status=status, search=search)
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/letters/letter_list.html",
        {
            "page_obj": page,
            "box": box,
            "boxes": sel.BOXES,
            "year": year,
            "years": year_choices(),
            "status": status,
            "statuses": S.choices,
            "search": search,
            "filtered": bool(year or status or search),
            "can_issue": sel.issuing_organizations(user).exists(),
            "breadcrumbs": crumbs(),
        },
    )


# ---------------------------------------------------------------- one letter


def _with_evidence(letter):
    names = dict(indicator_choices(letter.year))
    for item in letter.item_list:
        item.evidence_label = (
            f"指标:{names.get(item.indicator_code, item.indicator_code)}" if item.indicator_code else "人工评分"
        )
    return letter


@login_required
def letter_detail(request, pk):
    user = request.user
    letter = _with_evidence(sel.letter_detail(sel.get_letter_for_user(user, pk)))
    sides = sel.letter_sides(user, letter)
    stars = ratings.star_rating(letter.total_score, letter.innovation) if letter.is_final else None
    return render(
        request,
        "assessments/letters/letter_detail.html",
        {
            "letter": letter,
            "sides": sides,
            "stars": stars,
            "stars_label": ratings.stars_label(stars),
            "can_cascade": sides.recipient
            and letter.recipient.kind != Organization.Kind.BRANCH
            and letter.status not in (S.DRAFTED, S.ISSUED),
            "scorecard_url": scorecard_url(letter.recipient, letter.year),
            "breadcrumbs": letter_crumbs(letter),
        },
    )


def _transition(request, pk, side, service, done):
    letter = sel.get_letter_for_user(request.user, pk, side=side)
    try:
        service(letter=letter, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("assessments:letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_issue(request, pk):
    return _transition(request, pk, sel.ISSUER, services.letter_issue, "已下达。")


@login_required
@require_POST
def letter_sign(request, pk):
    return _transition(request, pk, sel.RECIPIENT, services.letter_sign, "已签订责任书。")


@login_required
@require_POST
def letter_finalize(request, pk):
    return _transition(request, pk, sel.ISSUER, services.letter_finalize, "已定档,考核结果计入星级评定。")


@login_required
@require_POST
def letter_cascade(request, pk):
    letter = sel.get_letter_for_user(request.user, pk, side=sel.RECIPIENT)
    try:
        template = services.letter_cascade(letter=letter, user=request.user)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
        return redirect("assessments:letter_detail", pk=letter.pk)
    messages.success(request, "已按本责任书生成分解模板,请调整条目后一键下达给下级组织。")
    return redirect("assessments:letter_template_edit", pk=template.pk)


@login_required
def letter_self_assess(request, pk):
    letter = sel.get_letter_for_user(request.user, pk, side=sel.RECIPIENT)
    items = list(letter.items.all())
    form = SelfAssessmentForm(post_data(request), letter=letter, items=items)
    if form.is_valid():
        try:
            services.letter_self_assess(
                letter=letter, summary=form.cleaned_data["summary"], item_texts=form.item_texts(), user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已提交自评。")
            return redirect("assessments:letter_detail", pk=letter.pk)
    return render(
        request,
        "assessments/letters/self_assess.html",
        {"letter": letter, "form": form, "breadcrumbs": letter_crumbs(letter, ("自评", ""))},
    )


@login_required
def letter_review(request, pk):
    letter = sel.get_letter_for_user(request.user, pk, side=sel.ISSUER)
    items = list(letter.items.all())
    form = ReviewForm(post_data(request), letter=letter, items=items)
    auto_error = ""
    try:
        autos = scoring.auto_scores(letter, items)
    except ValidationError as error:
        autos, auto_error = {}, ";".join(error.messages)
    if form.is_valid():
        try:
            services.letter_review(
                letter=letter,
                manual=form.manual(),
                comment=form.cleaned_data["review_comment"],
                innovation=form.cleaned_data["innovation"],
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "已保存考核评分。确认无误后请“定档”。")
            return redirect("assessments:letter_detail", pk=letter.pk)
    return _review_page(request, letter, form, items, autos, auto_error)


def _review_page(request, letter, form, items, autos, auto_error):
    rows = [
        {
            "item": item,
            "auto": autos.get(item.pk),
            "score": form.field(f"score_{item.pk}"),
            "comment": form.field(f"comment_{item.pk}"),
            "veto": form.field(f"veto_{item.pk}"),
        }
        for item in items
    ]
    return render(
        request,
        "assessments/letters/review.html",
        {
            "letter": letter,
            "form": form,
            "rows": rows,
            "auto_error": auto_error,
            "scorecard_url": scorecard_url(letter.recipient, letter.year),
            "year_open": letter.year > scoring.latest_assessment_year(timezone.localdate()),
            "breadcrumbs": letter_crumbs(letter, ("考核评分", "")),
        },
    )


@login_required
def letter_print(request, pk):
    letter = _with_evidence(sel.letter_detail(sel.get_letter_for_user(request.user, pk)))
    signed = {e.status: e for e in letter.event_list}
    return render(
        request,
        "assessments/letters/letter_print.html",
        {
            "letter": letter,
            "issued_event": signed.get(S.ISSUED),
            "signed_event": signed.get(S.SIGNED),
            "grade_rule": scoring.grade_rule_text(),
        },
    )
