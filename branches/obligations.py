"""The assessed do not set what they are assessed on (issue 12 point 4).

An organization's obligations follow from a few facts: when it was established (成立日期), whether it is active, its
kind and place in the tree, its groups, whether its branch has a committee, when its term ends, and which members
count. A secretary who could change those could make missing items vanish from the committee's ranking. So these
facts are set by the superior committee: a user with write access to the parent of the assessed organization (for a
group, the assessed organization is its branch). The services call the checks below; a change of such a field needs a
reason, kept in the history (history_change_reason) beside who made it; dates in the future are refused.

Callers without a user (management commands, the demo data, data migrations) are trusted, as elsewhere in services.
kind and parent are not editable through the services at all (the administrator moves organizations in the admin).
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from .access import Access, grants
from .models import Member, Organization

OBLIGATION_FIELDS = {"established_on": "成立日期", "status": "状态", "kind": "组织类别", "parent": "上级组织"}
SUPERIOR_STANDING = {Member.Status.SUSPENDED: "停止党籍", Member.Status.LEFT: "出党"}
REASON_MAX_LENGTH = 100  # simple-history's history_change_reason column


def _superior_path(organization: Organization) -> str:
    """The tree path of the superior of the organization whose figures depend on `organization` (a group counts for
    its branch, so its superior is the branch's parent); "" for the root."""
    steps = 2 if organization.kind == Organization.Kind.GROUP else 1
    return organization.path[: -steps * Organization.steplen]


def is_superior(user, organization: Organization) -> bool:
    """Whether `user` may set the obligations of `organization`: write access to its assessed organization's parent
    (the superior committee), or an administrator. The root has no superior inside the system: administrators only."""
    if user is None or user.is_superuser:
        return True
    parent_path = _superior_path(organization)
    if not parent_path:
        return False
    return any(parent_path.startswith(path) and access == Access.WRITE for path, access, _kind in grants(user))


def require_superior(user, organization: Organization, what: str) -> None:
    if not is_superior(user, organization):
        raise ValidationError(f"{what}是考核依据,只能由上级党委修改,请联系上级党委办理。", code="superior_only")


def not_in_future(value: datetime.date | None, label: str) -> None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(f"{label}不能晚于今天。", code="future_date")


def check_organization_change(*, user, organization: Organization, fields: dict, reason: str) -> None:
    """Before organization_update: obligation fields that actually change need the superior and a reason."""
    changed = [name for name in OBLIGATION_FIELDS if name in fields and getattr(organization, name) != fields[name]]
    if not changed:
        return
    require_superior(user, organization, "、".join(OBLIGATION_FIELDS[name] for name in changed))
    not_in_future(fields.get("established_on"), "成立日期")
    if user is not None and not (reason or "").strip():
        raise ValidationError({"reason": "修改成立日期、状态等考核依据,须填写修改原因(如上级批复文号)。"})
    if len(reason or "") > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"修改原因不能超过{REASON_MAX_LENGTH}个字。"})


def check_organization_create(*, user, parent: Organization | None, kind: str, established_on) -> None:
    """Before organization_create: a group is part of its branch's obligations, so the branch's superior sets it up.
    (A branch or committee is created under its parent, which is its superior: the write check on the parent does.)"""
    not_in_future(established_on, "成立日期")
    if kind == Organization.Kind.GROUP and parent is not None and parent.kind == Organization.Kind.BRANCH:
        require_superior(user, parent, "党小组的设立")


def check_without_committee(*, user, organization: Organization) -> None:
    """支部工作条例 第九条: a branch of 7 or more 正式党员 has a 支部委员会. Going without one, where the rule asks for
    one, removes the 支委会 obligations: only the superior decides that. A smaller branch records it itself."""
    full = Member.objects.filter(organization=organization).in_good_standing().full().count()
    if full >= 7:
        require_superior(user, organization, "正式党员7人以上的党支部不设支部委员会")


def check_member_standing(*, user, member: Member, status: str) -> None:
    """停止党籍 and 出党 are decisions of the superior committee; the branch records deaths and transfers out."""
    if status in SUPERIOR_STANDING and status != member.status:
        require_superior(user, member.organization, SUPERIOR_STANDING[status])
