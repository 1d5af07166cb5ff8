"""Whether an ID number is already registered, answered without telling a user about members outside their scope.

Issue 12 point 2: the uniqueness of 身份证号码 is one rule for the whole system (a person is a member once), so a number
held by a member in another enterprise must still be refused. The refusal for such a number is the guidance for a
transfer-in (组织关系转接 is done by the committee that can see both branches), never "already exists"; and every such
lookup is written to the IdNumberAccess audit log (purpose lookup) so the organization department sees who probed which
member. A number held inside the user's own scope is named plainly: they can see that member anyway.
The roster import, which could probe thousands of numbers per upload, gives one message for the whole file, without row
numbers, and is rate-limited per user (settings.ROSTER_IMPORT_RATE)."""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError

from common import ratelimit

from .access import grants
from .models import IdNumberAccess, Member

TRANSFER_GUIDANCE = "该身份证号码不能在此登记。如该党员的组织关系在其他党组织,请由能同时管理转出、转入双方的上级党委办理“组织关系转接”。"
IMPORT_GUIDANCE = (
    "文件中有身份证号码不能在此登记,未导入任何党员。如有党员的组织关系在其他党组织,请先由能同时管理转出、转入双方的"
    "上级党委办理“组织关系转接”,再导入其余党员。"
)
REGISTERED_HERE = "该身份证号码已登记。"
IMPORT_RATE_REFUSED = "花名册导入过于频繁(每人最多 {limit}),请稍后再试。"
_CHUNK = 20_000  # keeps SQLite under its bound-parameter limit; a roster of up to 20,000 rows is one query


def _in_scope(user, organization_path: str) -> bool:
    return any(organization_path.startswith(path) for path, _access, _kind in grants(user))


def _audit(user, members: Iterable[Member], via: str, ip: str | None) -> None:
    IdNumberAccess.objects.bulk_create(
        [
            IdNumberAccess(user=user, member=member, via=via, ip=ip, purpose=IdNumberAccess.Purpose.LOOKUP)
            for member in members
        ]
    )


def id_number_refusal(*, user, id_number: str, exclude_pk=None, via: str, ip: str | None = None) -> str | None:
    """None when no other member holds `id_number`; otherwise the message to show. A holder outside the user's scope
    gets the transfer guidance and an audit row. Call it outside the service's transaction, so the row stays."""
    holder = (
        Member.objects.filter(id_number=id_number)
        .exclude(pk=exclude_pk)
        .select_related("organization")
        .only("pk", "organization__path")
        .first()
    )
    if holder is None:
        return None
    if user is not None and _in_scope(user, holder.organization.path):
        return REGISTERED_HERE
    if user is not None and user.is_authenticated:
        _audit(user, [holder], via, ip)
    return TRANSFER_GUIDANCE


def registered_in_scope(*, user, id_numbers: set[str], via: str, ip: str | None = None) -> set[str]:
    """For the roster import: which of `id_numbers` are held by members the user can see. If any is held outside the
    user's scope, those lookups are audited and the whole file is refused with one message (no row numbers)."""
    ordered, visible, outside = sorted(id_numbers), set(), []
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for member in (
            Member.objects.filter(id_number__in=chunk)
            .select_related("organization")
            .only("pk", "id_number", "organization__path")
        ):
            if _in_scope(user, member.organization.path):
                visible.add(member.id_number)
            else:
                outside.append(member)
    if outside:
        _audit(user, outside, via, ip)
        raise ValidationError(IMPORT_GUIDANCE)
    return visible


def roster_import_throttle(*, user) -> None:
    """Count one import attempt (failed ones too: probing is done with refused files) against ROSTER_IMPORT_RATE."""
    rate = settings.ROSTER_IMPORT_RATE
    if not ratelimit.hit(f"roster-import:{user.pk}", rate):
        raise ValidationError(IMPORT_RATE_REFUSED.format(limit=ratelimit.describe(rate)))
