"""Reads of the 花名册 import: where the user may import, the branches and groups a file names, and which ID numbers
the system already holds. Each is one query (or one per 20,000 ID numbers)."""

from django.db.models import Q

from ..access import Access, grants
from ..models import Organization


def _writable_paths(user) -> list[str]:
    return [path for path, access, _kind in grants(user) if access == Access.WRITE]


def writable_placements(user) -> tuple[list[Organization], list[Organization]]:
    """Active branches and groups the user may import into, in tree order (one query)."""
    paths = _writable_paths(user)
    if not paths:
        return [], []
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    orgs = list(
        Organization.objects.filter(under)
        .filter(kind__in=[Organization.Kind.BRANCH, Organization.Kind.GROUP], status=Organization.Status.ACTIVE)
        .only("code", "name", "kind", "path")
        .order_by("path")
    )
    return [o for o in orgs if o.kind == Organization.Kind.BRANCH], [
        o for o in orgs if o.kind == Organization.Kind.GROUP
    ]


def placements_by_code(codes: set[str], group_codes: set[str]) -> tuple[dict, dict]:
    branches = Organization.objects.filter(code__in=codes, kind=Organization.Kind.BRANCH) if codes else []
    groups = Organization.objects.filter(code__in=group_codes, kind=Organization.Kind.GROUP) if group_codes else []
    return {o.code: o for o in branches}, {o.code: o for o in groups}
