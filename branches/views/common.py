"""Helpers shared by the branches pages: breadcrumbs, write checks, member counts of subtrees."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse

from .. import access, selectors
from ..access import Access
from ..forms import add_service_errors
from ..models import CommitteePosition, Organization

CHOOSE_PAGE_SIZE = 20
TREE_PAGE_SIZE = 100
MEMBER_PAGE_SIZE = 50
K = Organization.Kind
ROLE_RANK = list(CommitteePosition.Role.values)  # 书记, 副书记, 委员…: the order positions are listed in


def _post(request):
    return request.POST if request.method == "POST" else None


def submit(form, write):
    """The write step of every create/edit page: when the form is bound and valid, call `write(cleaned_data)` (one
    service call) and return its result; a ValidationError of the service goes onto the form (on the field it names,
    else on top) and the result is None, as it is when the form is unbound or invalid."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _roster_url() -> str:
    """The roster import is another app's page: link to it only once it is mounted."""
    try:
        resolve("/roster/")
    except Resolver404:
        return ""
    return "/roster/"


def _org_crumbs(user, organization: Organization, *tail) -> list[tuple[str, str]]:
    """首页 › ancestors › organization › tail. Ancestors the user may not open are shown without a link."""
    crumbs = [("首页", reverse("branches:home"))]
    for ancestor in [*Organization.objects.get_ancestors(organization), organization]:
        visible = access.organization_access(user, ancestor) > Access.NONE
        crumbs.append((ancestor.name, reverse("branches:org_detail", args=[ancestor.code]) if visible else ""))
    return crumbs + list(tail)


def choose_branch(request, *, title: str, url_name: str, icon: str, empty_hint: str = ""):
    """The "pick a branch" page of a subject kept by 党支部 (党费, 谈心谈话 …): the visible branches, searchable and
    paged; a user with exactly one branch (and no search) goes straight to `url_name` of it."""
    search = request.GET.get("q", "").strip()
    page = Paginator(selectors.branches_to_choose(request.user, search=search), CHOOSE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if not search and page.paginator.count == 1:
        return redirect(url_name, page[0].code)
    context = {"page": page, "search": search, "title": title, "url_name": url_name, "icon": icon}
    return render(request, "branches/choose_branch.html", {**context, "empty_hint": empty_hint})
