"""Who may see and change what. Every view and every API call goes through these helpers.

A role grants access to an organization's whole subtree (one prefix match on the tree path):
- secretary: their own branch and its groups, read and write;
- officer: their committee's subtree, read and write;
- reviewer (SASAC): their subtree, read only;
- superuser (administrator): everything.
Outsiders get 404 (the object's existence is not revealed); read-only users get 403 on writes.
"""

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from common import http

from .models import CommitteeTerm, DuesPayment, Member, Organization, Role


class Access(IntEnum):
    NONE = 0
    READ = 1
    WRITE = 2


_CACHE_ATTR = "_sbgf_grants"


def grants(user) -> list[tuple[str, Access, str]]:
    """(tree path, access, role kind) for each of the user's roles; cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        result = [("", Access.WRITE, "admin")]
    else:
        result = [
            (path, Access.WRITE if kind != Role.Kind.REVIEWER else Access.READ, kind)
            for path, kind in Role.objects.filter(user=user).values_list("organization__path", "kind")
        ]
    setattr(user, _CACHE_ATTR, result)
    return result


def organization_access(user, organization: Organization) -> Access:
    best = Access.NONE
    for path, access, _kind in grants(user):
        if organization.path.startswith(path) and access > best:
            best = access
    return best


def can_write(user, organization: Organization) -> bool:
    """Whether the user may change the organization's records: what a page asks before offering an action to record,
    edit or delete (the view passes it to the template)."""
    return organization_access(user, organization) == Access.WRITE


def visible_organizations_q(user, prefix: str = "") -> Q:
    """A Q over any model, with `prefix` the lookup path to its organization (e.g. "organization__")."""
    paths = [path for path, _a, _k in grants(user)]
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_organizations(user):
    return Organization.objects.filter(visible_organizations_q(user))


def _check(access: Access, *, write: bool) -> None:
    if access == Access.NONE:
        raise Http404("没有找到该对象,或您无权查看。")
    if write and access < Access.WRITE:
        raise PermissionDenied("您的角色只能查看,不能修改。")


def get_organization_for_user(user, code: str, *, write: bool = False) -> Organization:
    organization = Organization.objects.select_related("enterprise").filter(code=code).first()
    if organization is None:
        raise Http404("没有找到该组织。")
    _check(organization_access(user, organization), write=write)
    return organization


def get_branch_for_user(
    user, code: str, *, write: bool = False, message: str = "该页面按党支部记录,请选择一个党支部。"
) -> Organization:
    """The organization `code` when the user may open it and it is a 党支部; another kind of organization is 404 with
    `message` (each subject says what it keeps by branch)."""
    organization = get_organization_for_user(user, code, write=write)
    if organization.kind != Organization.Kind.BRANCH:
        raise Http404(message)
    return organization


def check_organization(user, organization: Organization, *, write: bool = False) -> Organization:
    _check(organization_access(user, organization), write=write)
    return organization


def get_member_for_user(user, pk, *, write: bool = False) -> Member:
    member = Member.objects.select_related("organization", "group", "organization__enterprise").filter(pk=pk).first()
    if member is None:
        raise Http404("没有找到该党员。")
    _check(organization_access(user, member.organization), write=write)
    return member


def get_term_for_user(user, pk, *, write: bool = False) -> CommitteeTerm:
    term = CommitteeTerm.objects.select_related("organization").filter(pk=pk).first()
    if term is None:
        raise Http404("没有找到该届次。")
    _check(organization_access(user, term.organization), write=write)
    return term


def get_dues_payment_for_user(user, pk, *, write: bool = False) -> DuesPayment:
    payment = DuesPayment.objects.select_related("member", "organization").filter(pk=pk).first()
    if payment is None:
        raise Http404("没有找到该党费记录。")
    _check(organization_access(user, payment.organization), write=write)
    return payment


def can_view_id_number(user, member: Member) -> bool:
    """Full ID numbers are for the organization department (officers) and administrators only."""
    return any(
        member.organization.path.startswith(path) and kind in ("admin", Role.Kind.OFFICER)
        for path, _a, kind in grants(user)
    )


ID_NUMBER_REFUSED = "您的角色不能查看完整身份证号码。"


def client_ip(request) -> str | None:
    """The address the request came from, for the audit log: common.http.client_ip (REMOTE_ADDR, or the address the
    TRUSTED_PROXY_COUNT proxies saw; never a value the client can forge)."""
    return http.client_ip(request)


def home_kind(user) -> str:
    """Which home page fits the user: admin, reviewer, officer, secretary, or none."""
    kinds = {kind for _p, _a, kind in grants(user)}
    for kind in ("admin", Role.Kind.REVIEWER, Role.Kind.OFFICER, Role.Kind.SECRETARY):
        if kind in kinds:
            return str(kind)
    return "none"


def find_organization_for_user(user, text: str, *, write: bool = False) -> Organization:
    """The organization a person typed into a filter: its code, or its name (exact, else the first in tree order whose
    name contains the text) among those the user may see. A code is checked like get_organization_for_user (an
    outsider's code is 404); a name only ever matches what the user may see. 404 when nothing matches."""
    text = text.strip()
    organization = Organization.objects.select_related("enterprise").filter(code=text).first()
    if organization is not None:  # the same single query as get_organization_for_user
        _check(organization_access(user, organization), write=write)
        return organization
    visible = Organization.objects.filter(visible_organizations_q(user)).select_related("enterprise").order_by("path")
    organization = visible.filter(name=text).first() or visible.filter(name__icontains=text).first()
    if organization is None:
        raise Http404("没有找到该组织。")
    _check(organization_access(user, organization), write=write)
    return organization
