"""Pages for 谈心谈话 and 民主评议党员. Thin: check access, call a selector or service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from branches.access import can_write, get_branch_for_user
from branches.views.common import choose_branch

from ..formflow import add_errors_on_top as on_top
from ..formflow import submit
from ..models import MemberReview
from . import hooks, selectors, services
from .forms import FollowUpDoneForm, ReviewYearForm, TalkForm

PAGE_SIZE = 20


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 1921 <= year <= 2100 else default


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _year_choices(today) -> list[int]:
    return list(range(today.year, today.year - 6, -1))


def _branch(user, code: str, *, write: bool = False):
    """Talks and reviews are kept by 党支部: another kind of organization has none (404)."""
    return get_branch_for_user(user, code, write=write, message="谈心谈话、民主评议按党支部记录,请选择一个党支部。")


def _branch_index(request, *, title: str, url_name: str, icon: str):
    return choose_branch(
        request, title=title, url_name=url_name, icon=icon, empty_hint="请联系上级党委在组织树中设立党支部。"
    )


# ---------------------------------------------------------------- 谈心谈话


@login_required
def talk_index(request):
    return _branch_index(request, title="谈心谈话", url_name="meetings:talk_list", icon="bi-chat-heart")


@login_required
def talk_list(request, code):
    branch = _branch(request.user, code)
    today = timezone.localdate()
    year = _year(request, today.year)
    search = request.GET.get("q", "").strip()
    page = _page(request, selectors.talk_list(organization=branch, year=year, search=search))
    coverage = selectors.talk_coverage_table(branch, year)
    uncovered = [row for row in coverage if not row.covered]
    return render(
        request,
        "meetings/records/talk_list.html",
        {
            "organization": branch,
            "page": page,
            "year": year,
            "years": _year_choices(today),
            "search": search,
            "coverage": coverage,
            "uncovered": uncovered,
            "covered_count": len(coverage) - len(uncovered),
            "can_write": can_write(request.user, branch),
        },
    )


@login_required
def talk_new(request, code):
    branch = _branch(request.user, code, write=True)
    form = TalkForm(request.POST or None, branch=branch)
    done, talk = submit(
        form, lambda data: services.talk_create(organization=branch, user=request.user, **data), add_errors=on_top
    )
    if done:
        messages.success(request, "谈心谈话记录已保存。")
        return redirect("meetings:talk_detail", branch.code, talk.pk)
    return render(request, "meetings/records/talk_form.html", {"organization": branch, "form": form, "talk": None})


@login_required
def talk_detail(request, code, pk):
    talk = selectors.get_talk_for_user(request.user, pk, code=code)
    return render(
        request,
        "meetings/records/talk_detail.html",
        {
            "organization": talk.organization,
            "talk": talk,
            "history": selectors.history_rows(talk),
            "can_write": can_write(request.user, talk.organization),
        },
    )


@login_required
def talk_edit(request, code, pk):
    talk = selectors.get_talk_for_user(request.user, pk, write=True, code=code)
    current = list(talk.participants.all())
    initial = {
        "held_on": talk.held_on,
        "initiator": talk.initiator,
        "participants": current,
        "summary": talk.summary,
    }
    keep = [talk.initiator_id, *(m.pk for m in current)]
    form = TalkForm(request.POST or None, branch=talk.organization, keep_ids=keep, initial=initial)
    done, _ = submit(form, lambda data: services.talk_update(talk=talk, user=request.user, **data), add_errors=on_top)
    if done:
        messages.success(request, "谈心谈话记录已修改。")
        return redirect("meetings:talk_detail", code, talk.pk)
    return render(
        request, "meetings/records/talk_form.html", {"organization": talk.organization, "form": form, "talk": talk}
    )


@login_required
@require_POST
def talk_delete(request, code, pk):
    talk = selectors.get_talk_for_user(request.user, pk, write=True, code=code)
    services.talk_delete(talk=talk, user=request.user)
    messages.success(request, "谈心谈话记录已删除(历史记录中仍可查)。")
    return redirect("meetings:talk_list", code)


# ---------------------------------------------------------------- 民主评议党员


@login_required
def review_index(request):
    return _branch_index(request, title="民主评议党员", url_name="meetings:review_list", icon="bi-clipboard-check")


_FOLLOW_UP_FILTERS = {"open": True, "done": False}


def _review_filters(request, today) -> dict:
    """The list's filters from the query string (unknown values are ignored)."""
    grade = request.GET.get("grade", "")
    follow_up = request.GET.get("follow_up", "")
    return {
        "year": _year(request, today.year) if request.GET.get("year", "") else None,
        "grade": grade if grade in MemberReview.Grade.values else "",
        "follow_up": follow_up if follow_up in _FOLLOW_UP_FILTERS else "",
        "search": request.GET.get("q", "").strip(),
    }


@login_required
def review_list(request, code):
    branch = _branch(request.user, code)
    today = timezone.localdate()
    filters = _review_filters(request, today)
    reviews = selectors.review_list(
        organization=branch,
        year=filters["year"],
        grade=filters["grade"],
        search=filters["search"],
        open_follow_up=_FOLLOW_UP_FILTERS.get(filters["follow_up"]),
    )
    context = {
        "organization": branch,
        "page": _page(request, reviews),
        "summary": selectors.review_year_summary(branch),
        **filters,
        "years": _year_choices(today),
        "this_year": today.year,
        "grades": MemberReview.Grade.choices,
        "can_write": can_write(request.user, branch),
    }
    return render(request, "meetings/records/review_list.html", context)


def _record_year(branch, year, user, form):
    def call(data):
        return services.review_year_record(
            organization=branch, year=year, decided_on=data["decided_on"], grades=form.grades(), user=user
        )

    return call


@login_required
def review_year(request, code, year):
    """The grading screen: one row per member of the branch during the year, saved in one transaction."""
    if not 1921 <= year <= 2100:
        raise Http404("年度无效。")
    write = request.method == "POST"
    branch = _branch(request.user, code, write=write)
    rows = selectors.review_roster(branch, year)
    notes = hooks.review_annotations(branch, year, [row.member for row in rows])  # e.g. the year's points and rank
    for row in rows:
        row.annotation = " · ".join(notes.get(row.member.pk, []))
    form = ReviewYearForm(request.POST or None, rows=rows)
    done, saved = submit(form, _record_year(branch, year, request.user, form), add_errors=on_top)
    if done:
        messages.success(request, f"已保存{len(saved)}名党员的{year}年度评议等次。")
        return redirect("meetings:review_year", code, year)
    context = {
        "organization": branch,
        "year": year,
        "form": form,
        "graded": sum(1 for row in rows if row.review is not None),
        "total": len(rows),
        "coverage": selectors.review_roster_coverage(branch, year, rows),
        "can_write": can_write(request.user, branch),
    }
    return render(request, "meetings/records/review_year.html", context)


@login_required
def review_detail(request, code, pk):
    review = selectors.get_review_for_user(request.user, pk, code=code)
    return render(
        request,
        "meetings/records/review_detail.html",
        {
            "organization": review.organization,
            "review": review,
            "history": selectors.history_rows(review),
            "form": FollowUpDoneForm(),
            "can_write": can_write(request.user, review.organization),
        },
    )


@login_required
@require_POST
def review_follow_up_done(request, code, pk):
    review = selectors.get_review_for_user(request.user, pk, write=True, code=code)
    form = FollowUpDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.review_follow_up_done(review=review, user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, ";".join(error.messages))
    else:
        messages.success(request, f"{review.member.name}的组织处置已办结。")
    return redirect("meetings:review_detail", code, pk)
