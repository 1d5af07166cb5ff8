"""党费 writes: the month's bulk entry and one member's month (the API). All or nothing, every problem in Chinese."""

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.periods import month_end, month_start

from .. import standing
from ..models import DuesPayment, Member, Organization
from ..selectors import members_during
from .rules import dues_amount, dues_rate, is_month_due, suspended_month


@transaction.atomic
def dues_month_record(
    *,
    organization: Organization,
    month: datetime.date,
    rows: Mapping[int, tuple[Decimal | None, datetime.date | None]],
    user=None,
    today: datetime.date | None = None,
) -> list[DuesPayment]:
    """Record a month's dues for several members of a branch at once: {member_id: (amount_paid, paid_on)}.

    All or nothing: every row is checked first and every problem is reported together (in Chinese); nothing is written
    unless all rows are valid. A new row gets its base, rate and amount due from the member's current base; a row that
    exists keeps the ones in force then (a correction never recomputes them), unless it was written while the base was
    missing (基数未填: amount due 0), which the base now filled completes."""
    today = today or timezone.localdate()
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("党费按党支部登记。")
    if month.day != 1:
        raise ValidationError("所属月份应为该月1日。")
    if month > month_start(today):
        raise ValidationError(f"{month:%Y年%m月}尚未到来,不能登记党费。")
    roster = members_during(organization, month, month_end(month)).annotate(has_standing=standing.standing_flag())
    roster = {m.pk: m for m in standing.attach_periods(roster)}  # 停止党籍 that month: owes nothing
    existing = {
        p.member_id: p for p in DuesPayment.objects.select_for_update().filter(month=month, member__in=list(rows))
    }
    errors, to_create, to_update = [], [], []
    for member_id, (amount_paid, paid_on) in rows.items():
        member = roster.get(member_id)
        if member is None:
            errors.append(f"党员(编号{member_id})在{month:%Y年%m月}不属于{organization.name}。")
            continue
        prefix = f"{member.name}:"
        if not is_month_due(member, month):
            errors.append(f"{prefix}{member.joined_on}入党,{month:%Y年%m月}无需交纳党费。")
            continue
        if suspended_month(member, month):
            errors.append(f"{prefix}停止党籍期间不交纳党费。")
            continue
        amount_paid = Decimal("0") if amount_paid is None else Decimal(amount_paid)
        if amount_paid < 0:
            errors.append(f"{prefix}实交金额不能为负数。")
        if amount_paid > 0 and paid_on is None:
            errors.append(f"{prefix}已交纳的请填写交纳日期。")
        if amount_paid == 0 and paid_on is not None:
            errors.append(f"{prefix}实交金额为0时不应填写交纳日期。")
        if paid_on is not None and paid_on > today:
            errors.append(f"{prefix}交纳日期{paid_on}晚于今天。")
        if paid_on is not None and paid_on < month:
            errors.append(f"{prefix}交纳日期{paid_on}早于所属月份{month:%Y年%m月}。")
        payment = existing.get(member_id)
        if payment is not None and payment.organization_id != organization.pk:
            errors.append(f"{prefix}{month:%Y年%m月}的党费已在其他支部登记。")
            continue
        values = {"amount_paid": amount_paid, "paid_on": paid_on if amount_paid > 0 else None}
        if payment is None or payment.amount_due == 0:  # new, or written while the base was missing
            values.update(
                base=member.dues_base,
                rate=dues_rate(member.dues_class, member.dues_base),
                amount_due=dues_amount(member.dues_class, member.dues_base),
            )
        if payment is None:
            to_create.append(DuesPayment(member=member, organization=organization, month=month, **values))
        else:
            for name, value in values.items():
                setattr(payment, name, value)
            to_update.append(payment)
    if errors:
        raise ValidationError(errors)
    # The bulk helpers write the audit history (who, when) in the same transaction.
    created = bulk_create_with_history(to_create, DuesPayment, default_user=user) if to_create else []
    if to_update:
        bulk_update_with_history(
            to_update,
            DuesPayment,
            ["base", "rate", "amount_due", "amount_paid", "paid_on"],
            default_user=user,
        )
    return list(created) + to_update


def dues_payment_record(
    *,
    member: Member,
    organization: Organization | None = None,
    month: datetime.date,
    amount_paid: Decimal | None,
    paid_on: datetime.date | None,
    user=None,
    today: datetime.date | None = None,
) -> DuesPayment:
    """One member's month (the API's create/update): the same rules as the bulk entry. `organization` defaults to the
    member's current branch; a correction of an existing row passes the row's branch."""
    (payment,) = dues_month_record(
        organization=organization or member.organization,
        month=month,
        rows={member.pk: (amount_paid, paid_on)},
        user=user,
        today=today,
    )
    return payment


@transaction.atomic
def dues_payment_create(
    *,
    member: Member,
    organization: Organization,
    month: datetime.date,
    amount_paid: Decimal | None,
    paid_on: datetime.date | None,
    user=None,
) -> DuesPayment:
    """A new row for one member's month (the API's create): refused when the month already has one (correct that row
    instead); otherwise the rules of dues_payment_record."""
    if DuesPayment.objects.filter(member=member, month=month).exists():
        raise ValidationError({"month": f"{member.name}{month:%Y年%m月}已有党费记录,请修改该记录。"})
    return dues_payment_record(
        organization=organization, member=member, month=month, amount_paid=amount_paid, paid_on=paid_on, user=user
    )
