"""党员花名册 Excel import: the all-or-nothing import (the template, parsing and validation are their own modules).

The import checks every row before it writes anything; one bad row stops the whole file, and the user gets every
bad row at once (Excel row number, column, reason) instead of fixing them one upload at a time. Validation runs in
Python against data loaded in a fixed number of queries, so 10,000 rows take seconds; the writes are a few
`bulk_create` batches with their audit history, in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .. import id_lookup
from ..dues.rules import base_missing
from ..models import GroupMembership, Member, Membership
from .columns import BATCH_SIZE, MEMBERSHIP_NOTE, RosterResult, RowError
from .parsing import parse_roster
from .validation import validate_roster


def roster_members_create(members: list[Member], *, user) -> int:
    now = timezone.now()
    with transaction.atomic():
        created = bulk_create_with_history(
            members,
            Member,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=MEMBERSHIP_NOTE,
            default_date=now,
        )
        memberships = [
            Membership(member=m, organization_id=m.organization_id, started_on=m.joined_on, note=MEMBERSHIP_NOTE)
            for m in created
        ]
        bulk_create_with_history(
            memberships,
            Membership,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=MEMBERSHIP_NOTE,
            default_date=now,
        )
        # The 党小组 a member is placed in is a dated period too (branches/services.py member_group_change).
        group_periods = [
            GroupMembership(
                member=m, group=m.group, started_on=max(m.joined_on, m.group.established_on), note=MEMBERSHIP_NOTE
            )
            for m in created
            if m.group_id is not None
        ]
        bulk_create_with_history(
            group_periods,
            GroupMembership,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=MEMBERSHIP_NOTE,
            default_date=now,
        )
    return len(created)


def roster_import(*, file, user) -> RosterResult:
    """Import a 花名册 file: every row is valid and all are imported in one transaction, or nothing is.

    File-level problems (type, size, unreadable, empty, missing columns) raise ValidationError; row problems are
    returned in `result.errors` with nothing written."""
    id_lookup.roster_import_throttle(user=user)
    parsed = parse_roster(file)
    members, errors = validate_roster(parsed, user=user)
    result = RosterResult(file_name=parsed.file_name, rows=len(parsed.rows), errors=errors)
    if errors:
        return result
    # 基数未填 (branches/dues/rules.base_missing): imported, but their 党费 months are not settled until it is filled.
    result.warnings = [
        RowError(number, "党费计算基数", f"{member.name}:基数未填,填写前各月党费不计为已交足额")
        for (number, _raw), member in zip(parsed.rows, members, strict=False)
        if base_missing(member)
    ]
    try:
        result.imported = roster_members_create(members, user=user)
    except IntegrityError as exc:
        # Only a concurrent change can get here (validation covers every constraint): someone saved the same
        # ID number between our check and our insert. The transaction rolled back, so nothing was imported.
        raise ValidationError(
            f"导入“{parsed.file_name}”时数据发生了变化(可能有人同时录入了相同的党员),未导入任何党员,请重新上传。"
        ) from exc
    return result
