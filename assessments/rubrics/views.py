"""考核细则 pages: an organization scored on its committee's rubric, and the occurrences behind a deduction."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from branches.access import get_organization_for_user

from ..letters.views.common import year_param
from . import selectors as sel


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
