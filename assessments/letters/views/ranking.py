"""A committee's ranking of its branches by final score, star counts and the 党建观摩 classification.

Thin views: each checks access (assessments.letters.selectors on top of branches.access: outsider 404, read-only
or wrong side 403, anonymous to login), calls a selector or a service, then renders or redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from branches import access
from branches.models import Organization

from .. import ratings, scoring, services
from .. import selectors as sel
from ..forms import ClassificationForm
from .common import (
    RANKING_PAGE_SIZE,
    crumbs,
    post_data,
    year_param,
)

# ---------------------------------------------------------------- ranking and classification


@login_required
def ranking(request, code):
    user = request.user
    committee = access.get_organization_for_user(user, code, write=request.method == "POST")
    if committee.kind == Organization.Kind.BRANCH:
        raise PermissionDenied("排名与分类由党委、党总支进行。")
    default_year = scoring.latest_assessment_year(timezone.localdate())
    year = year_param(request.GET.get("year")) or default_year
    search = request.GET.get("q", "").strip()
    page = Paginator(sel.branch_ranking(committee, year, search=search), RANKING_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    form = ClassificationForm(post_data(request), rows=list(page.object_list))
    if form.is_valid():
        by_pk = {row.organization.pk: row.organization for row in page.object_list}
        try:
            services.classification_set(
                committee=committee,
                year=year,
                levels={by_pk[org_pk]: level for org_pk, level in form.levels().items()},
                user=user,
            )
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
        else:
            messages.success(request, f"已保存 {len(form.levels())} 个党支部的分类。")
            return redirect(request.get_full_path())
    return _ranking_page(request, committee, year, default_year, search, page, form)


def _ranking_page(request, committee, year, default_year, search, page, form):
    for row in page.object_list:
        row.field = form[f"level_{row.organization.pk}"]
    counts = sel.star_counts(committee, year)
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
            "can_write": access.can_write(request.user, committee),
            "breadcrumbs": crumbs((f"{committee.name} 排名与分类", "")),
        },
    )
