"""Who may run 观摩/督查 rounds and define the 考核细则 for them: one narrow exception to the read-only SASAC reviewer.

The general rule (branches/access.py): writing needs write access on the organization, and the SASAC reviewer only
reads. The issue adds one thing (issue 17, "SASAC reads everything and runs its own rounds over enterprises"): a
reviewer runs rounds of their OWN organization (the 国资委 node the role is on, not a committee below it) over the
enterprises' 党委 beneath it, and defines the rubrics of those rounds. Nothing else: a reviewer still cannot confirm
or close a committee's 整改 item, score as an inspector unless named in the team, or write anything of a committee
below (branches/access.py answers 403 there as before). The problems its own rounds found are its to verify
(rectification.services.may_verify), since no committee above would.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from branches.access import Access, check_organization, grants, organization_access
from branches.models import Organization, Role

SASAC_SCOPE = "国资委开展的观摩督查只能面向所属企业党委。"


def is_sasac_runner(user, committee: Organization) -> bool:
    """The exception: a reviewer's role is on this very organization, and it is SASAC's (above the enterprises, part
    of none); a reviewer placed on an enterprise's committee stays read-only."""
    if committee.enterprise_id is not None:
        return False
    return any(kind == Role.Kind.REVIEWER and path == committee.path for path, _a, kind in grants(user))


def may_run(user, committee: Organization) -> bool:
    return organization_access(user, committee) == Access.WRITE or is_sasac_runner(user, committee)


def check_runner(user, committee: Organization) -> Organization:
    """Write on the committee, or the SASAC exception; otherwise the general answers (outsider 404, reader 403)."""
    if is_sasac_runner(user, committee):
        return committee
    return check_organization(user, committee, write=True)


RUNNER_KINDS = (Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH)


def get_runner_committee(user, code: str) -> Organization:
    """A 党委 or 党总支 the user runs rounds for (a 党支部 has no organizations below it to inspect: 404)."""
    committee = Organization.objects.select_related("enterprise").filter(code=code).first()
    if committee is None:
        raise Http404("没有找到该组织。")
    check_runner(user, committee)
    if committee.kind not in RUNNER_KINDS:
        raise Http404("只有党委、党总支制定考核细则和开展观摩督查。")
    return committee


def is_enterprise_committee(organization: Organization) -> bool:
    return organization.kind == Organization.Kind.COMMITTEE and organization.enterprise_id is not None


def check_scope(user, committee: Organization, organizations) -> None:
    """A round SASAC runs under the exception covers enterprises' 党委 only (the service checks it, not only the page)."""
    if user is None or organization_access(user, committee) == Access.WRITE or not is_sasac_runner(user, committee):
        return
    if any(not is_enterprise_committee(o) for o in organizations):
        raise ValidationError({"organizations": SASAC_SCOPE})


def runner_committees(user):
    """The organizations a user may open rounds and define rubrics for: those of their write roles that are 党委 or
    党总支, and a reviewer's own organization (at most a handful of rows; one query)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.filter(kind__in=RUNNER_KINDS, depth=1).order_by("path")
    writes = [path for path, access, _kind in grants(user) if access == Access.WRITE]
    reviews = [path for path, _access, kind in grants(user) if kind == Role.Kind.REVIEWER]
    mine = Q(path__in=writes) | Q(path__in=reviews, enterprise__isnull=True)  # the latter: is_sasac_runner
    return Organization.objects.filter(mine, kind__in=RUNNER_KINDS).order_by("path")


class RunsRoundsOrReadOnly(BasePermission):
    """The API's ReadOnlyRoleCannotWrite (branches/api_common.py), except that a reviewer passes on to the object
    check, where this module lets SASAC write only its own rounds, rubrics and round problems (every other object
    still answers 403 through branches/access.py)."""

    message = "您的角色只能查看,不能修改。"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return any(a >= Access.WRITE or kind == Role.Kind.REVIEWER for _p, a, kind in grants(request.user))
