"""What the letter pages share: page sizes, the year filter, breadcrumbs."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from branches.models import Organization

from ..models import Letter

LIST_PAGE_SIZE = 30
RANKING_PAGE_SIZE = 50
S = Letter.Status


def post_data(request):
    return request.POST if request.method == "POST" else None


def year_param(value) -> int | None:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 2000 <= year <= 2100 else None


def year_choices():
    this_year = timezone.localdate().year
    return range(this_year + 1, this_year - 5, -1)


def crumbs(*tail):
    return [("首页", reverse("branches:home")), ("责任书", reverse("assessments:letter_list")), *tail]


def letter_crumbs(letter, *tail):
    return crumbs(
        (f"{letter.year} {letter.recipient.name}", reverse("assessments:letter_detail", args=[letter.pk])), *tail
    )


def scorecard_url(organization: Organization, year: int) -> str:
    try:
        return f"{reverse('assessments:scorecard', args=[organization.code])}?year={year}"
    except NoReverseMatch:
        return ""
