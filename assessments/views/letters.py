"""Responsibility letters (党建工作责任书): templates, 一键下达, lifecycle pages, print, ranking.

Thin views: each checks access (assessments.letter_selectors on top of branches.access: outsider 404, read-only
or wrong side 403, anonymous to login), calls a selector or a service, then renders or redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches import access
from branches.access import Access
from branches.forms import add_service_errors
from branches.models import Organization

from .. import letter_selectors as sel
from .. import ratings, services
from ..forms import ClassificationForm, ReviewForm, SelfAssessmentForm, TemplateForm, TemplateItemFormSet, item_initial
from ..models import Letter

LIST_PAGE_SIZE = 30
RANKING_PAGE_SIZE = 50
S = Letter.Status


def _post(request):
    return request.POST if request.method == "POST" else None


def _year(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def _crumbs(*tail):
    return [("首页", reverse("branches:home")), ("责任书", reverse("assessments:letter_list")), *tail]


def _letter_crumbs(letter, *tail):
    return _crumbs(
        (f"{letter.year} {letter.recipient.name}", reverse("assessments:letter_detail", args=[letter.pk])), *tail
    )


def _scorecard_url(organization: Organization, year: int) -> str:
    try:
        return f"{reverse('assessments:scorecard', args=[organization.code])}?year={year}"
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------- lists


@login_required
def letter_list(request):
    user = request.user
    box = request.GET.get("box") or sel.default_box(user)
    if box not in sel.BOXES:
        box = "all"
    year, status, search = (
        _year(request.GET.get("year")),
        request.GET.get("status", ""),
        request.GET.get("q", "").strip(),
    )
    if status not in S.values:
        status = ""
    queryset = sel.letter_list(user, box=box, year=year, status=status, search=search)
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    return render(
        request,
        "assessments/letters/letter_list.html",
        {
            "page_obj": page,
            "box": box,
            "boxes": sel.BOXES,
            "year": year,
            "years": range(this_year + 1, this_year - 5, -1),
            "status": status,
            "statuses": S.choices,
            "search": search,
            "filtered": bool(year or status or search),
            "can_issue": sel.issuing_organizations(user).exists(),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def template_list(request):
    user = request.user
    year, search = _year(request.GET.get("year")), request.GET.get("q", "").strip()
    page = Paginator(sel.template_list(user, year=year, search=search), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for template in page.object_list:
        template.total = services.weights_total(template.items.all())
        template.can_write = access.organization_access(user, template.issuer) == Access.WRITE
    this_year = timezone.localdate().year
    return render(
        request,
        "assessments/letters/template_list.html",
        {
            "page_obj": page,
            "year": year,
            "years": range(this_year + 1, this_year - 5, -1),
            "search": search,
            "filtered": bool(year or search),
            "can_create": sel.issuing_organizations(user).exists(),
            "breadcrumbs": _crumbs(("模板", "")),
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
            "breadcrumbs": _crumbs(("模板", reverse("assessments:letter_template_list")), (title, "")),
        },
    )


@login_required
def template_create(request):
    if not sel.issuing_organizations(request.user).exists():
        raise PermissionDenied("您没有可下达责任书的组织。")
    form = TemplateForm(_post(request), user=request.user)
    year = _year(request.POST.get("year")) if request.method == "POST" else None
    formset = TemplateItemFormSet(_post(request), year=year or timezone.localdate().year, prefix="items")
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
    form = TemplateForm(_post(request), instance=template, user=request.user)
    formset = TemplateItemFormSet(
        _post(request), year=template.year, prefix="items", initial=item_initial(sel.template_items(template))
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
    items = sel.template_items(template)
    recipients = list(sel.letter_recipients(template.issuer))
    holding = set(
        Letter.objects.filter(issuer=template.issuer, year=template.year, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    errors = []
    if request.method == "POST":
        try:
            result = services.letters_issue(template=template, user=request.user, draft="draft" in request.POST)
        except ValidationError as error:
            errors = error.messages
        else:
            done = "生成草稿" if "draft" in request.POST else "下达"
            messages.success(
                request,
                f"已向 {len(result.created)} 个下级组织{done}责任书"
                + (f",{len(result.skipped)} 个已有本年度责任书,未重复下达。" if result.skipped else "。"),
            )
            return redirect(f"{reverse('assessments:letter_list')}?box=issued&year={template.year}")
    return render(
        request,
        "assessments/letters/template_issue.html",
        {
            "template": template,
            "items": items,
            "total": services.weights_total(items),
            "recipients": [(org, org.pk in holding) for org in recipients],
            "new_count": sum(1 for org in recipients if org.pk not in holding),
            "errors": errors,
            "breadcrumbs": _crumbs(
                ("模板", reverse("assessments:letter_template_list")),
                (template.name, reverse("assessments:letter_template_edit", args=[template.pk])),
                ("一键下达", ""),
            ),
        },
    )


# ---------------------------------------------------------------- one letter


def _with_evidence(letter):
    names = dict(services.indicator_choices(letter.year))
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
            "scorecard_url": _scorecard_url(letter.recipient, letter.year),
            "breadcrumbs": _letter_crumbs(letter),
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
    form = SelfAssessmentForm(_post(request), letter=letter, items=items)
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
        {"letter": letter, "form": form, "breadcrumbs": _letter_crumbs(letter, ("自评", ""))},
    )


@login_required
def letter_review(request, pk):
    letter = sel.get_letter_for_user(request.user, pk, side=sel.ISSUER)
    items = list(letter.items.all())
    form = ReviewForm(_post(request), letter=letter, items=items)
    auto_error = ""
    try:
        autos = services.auto_scores(letter, items)
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
            "scorecard_url": _scorecard_url(letter.recipient, letter.year),
            "year_open": timezone.localdate().year <= letter.year,
            "breadcrumbs": _letter_crumbs(letter, ("考核评分", "")),
        },
    )


@login_required
def letter_print(request, pk):
    letter = _with_evidence(sel.letter_detail(sel.get_letter_for_user(request.user, pk)))
    signed = {e.status: e for e in letter.event_list}
    return render(
        request,
        "assessments/letters/letter_print.html",
        {"letter": letter, "issued_event": signed.get(S.ISSUED), "signed_event": signed.get(S.SIGNED)},
    )


# ---------------------------------------------------------------- ranking and classification


@login_required
def ranking(request, code):
    user = request.user
    committee = access.get_organization_for_user(user, code, write=request.method == "POST")
    if committee.kind == Organization.Kind.BRANCH:
        raise PermissionDenied("排名与分类由党委、党总支进行。")
    default_year = timezone.localdate().year - 1  # 考核 is in Q1 of the next year: last year is the latest final
    year = _year(request.GET.get("year")) or default_year
    search = request.GET.get("q", "").strip()
    rows = ratings.branch_ranking(committee, year, search=search)
    page = Paginator(rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page"))
    form = ClassificationForm(_post(request), rows=list(page.object_list))
    if form.is_valid():
        by_pk = {row.organization.pk: row.organization for row in page.object_list}
        changed = 0
        try:
            for org_pk, level in form.levels().items():
                services.branch_classify(
                    committee=committee, organization=by_pk[org_pk], year=year, level=level, user=user
                )
                changed += 1
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
        else:
            messages.success(request, f"已保存 {changed} 个党支部的分类。")
            return redirect(request.get_full_path())
    for row in page.object_list:
        row.field = form[f"level_{row.organization.pk}"]
    counts = ratings.star_counts(committee, year)
    return render(
        request,
        "assessments/letters/ranking.html",
        {
            "committee": committee,
            "year": year,
            "years": range(default_year + 1, default_year - 5, -1),
            "search": search,
            "page_obj": page,
            "form": form,
            "star_counts": [(n, ratings.stars_label(n), counts[n]) for n in sorted(counts, reverse=True)],
            "rated": sum(counts.values()),
            "can_write": access.organization_access(user, committee) == Access.WRITE,
            "breadcrumbs": _crumbs((f"{committee.name} 排名与分类", "")),
        },
    )
