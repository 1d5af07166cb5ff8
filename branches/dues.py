"""党费: the 中组部 rate brackets, the monthly bulk entry and the arrears warning.

Boundary convention (中组部《关于中国共产党党费收缴、使用和管理的规定》): each bracket *includes* its upper bound.
    在职: 3000元以下(含3000元) 0.5%; 3000元以上至5000元(含5000元) 1%; 5000元以上至10000元(含10000元) 1.5%; 10000元以上 2%.
    离退休: 5000元以下(含5000元) 0.5%; 5000元以上 1%.
    学生、失业、低保: 每月0.2元 (a fixed amount, so the stored rate is 0).
So 3000.00 -> 0.5%, 3000.01 -> 1%, 5000.00 -> 1%, 10000.00 -> 1.5%, 10000.01 -> 2%. Amounts are rounded to the fen
(0.01 yuan) half up.

Which months are due: a member owes each month of their membership in the branch from the month that contains the day
the 支部大会 accepted them (`joined_on`); a 预备党员 pays from that day, so earlier months are never due.

Arrears (党章 第九条: six months in a row unpaid without a valid reason counts as leaving the party; we warn at 3):
a month is *settled* when its row has something paid, or nothing was due. The warning counts the unsettled elapsed months
since the member's last settled month; the current month is pending. Months before the branch's first ledger row are
unknown rather than unpaid, so a branch that starts using the system is not flagged for its past.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Prefetch, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .access import visible_organizations_q
from .models import DuesPayment, Member, Membership, Organization
from .selectors import members_during

FEN = Decimal("0.01")
LOW_INCOME_MONTHLY = Decimal("0.20")
# (upper bound inclusive, rate); None = no upper bound.
EMPLOYED_BRACKETS = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIRED_BRACKETS = (
    (Decimal("5000"), Decimal("0.005")),
    (None, Decimal("0.01")),
)


def arrears_warn_months() -> int:
    # DOMAIN.md: six months unpaid = leaving the party, so warn at 3 (overridable in settings).
    return getattr(settings, "DUES_ARREARS_WARN_MONTHS", 3)


# ---------------------------------------------------------------- brackets


def dues_rate(dues_class: str, base: Decimal) -> Decimal:
    """The proportion of the monthly base that is due; 0 for the fixed-amount class (学生/失业/低保)."""
    if dues_class == Member.DuesClass.LOW_INCOME:
        return Decimal("0")
    brackets = RETIRED_BRACKETS if dues_class == Member.DuesClass.RETIRED else EMPLOYED_BRACKETS
    base = Decimal(base)
    for upper, rate in brackets:
        if upper is None or base <= upper:
            return rate
    raise AssertionError("unreachable: the last bracket has no upper bound")


def dues_amount(dues_class: str, base: Decimal) -> Decimal:
    """The monthly amount due in yuan, rounded to the fen (ROUND_HALF_UP)."""
    if dues_class == Member.DuesClass.LOW_INCOME:
        return LOW_INCOME_MONTHLY
    return (Decimal(base) * dues_rate(dues_class, base)).quantize(FEN, rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- months


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month_start(month), 1) - datetime.timedelta(days=1)


def add_months(month: datetime.date, n: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """Number of months from `first` to `last` inclusive (0 if last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def parse_month(value: str) -> datetime.date | None:
    """'2025-03' -> date(2025, 3, 1); None if malformed."""
    try:
        year, month = value.split("-")
        return datetime.date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        return None


def is_month_due(member: Member, month: datetime.date) -> bool:
    # 党费 rules: a 预备党员 pays from the day the 支部大会 accepts them.
    return month_start(member.joined_on) <= month


# ---------------------------------------------------------------- selectors


@dataclass
class MonthRow:
    member: Member
    rate: Decimal
    amount_due: Decimal
    payment: DuesPayment | None
    due: bool  # False: the month is before the member joined the party

    @property
    def rate_label(self) -> str:
        return f"{(self.rate * 100).normalize():f}%" if self.rate else "定额"


def dues_month_rows(organization: Organization, month: datetime.date) -> list[MonthRow]:
    """One row per member who belonged to the branch during the month, with the amount due from their current base.
    Two queries, whatever the size of the branch."""
    members = list(
        members_during(organization, month, month_end(month))
        .order_by("name", "id")
        .only("id", "name", "joined_on", "category", "dues_class", "dues_base", "organization_id", "status")
    )
    payments = {p.member_id: p for p in DuesPayment.objects.filter(month=month, member__in=[m.pk for m in members])}
    rows = []
    for member in members:
        payment = payments.get(member.pk)
        rows.append(
            MonthRow(
                member=member,
                rate=dues_rate(member.dues_class, member.dues_base),
                amount_due=dues_amount(member.dues_class, member.dues_base),
                payment=payment,
                due=is_month_due(member, month),
            )
        )
    return rows


@dataclass
class YearCell:
    month: datetime.date
    state: str  # paid / partial / unpaid / pending / not_due / away
    payment: DuesPayment | None


@dataclass
class YearRow:
    member: Member
    cells: list[YearCell]
    paid_total: Decimal
    unpaid_months: int


def month_state(
    member: Member,
    month: datetime.date,
    *,
    in_branch: bool,
    paid: Decimal | None,
    due: Decimal | None,
    current: datetime.date,
) -> str:
    """One member-month of the dues grid: paid / partial / unpaid / pending / not_due / away. `paid` and `due` are the
    month's ledger row amounts (None without a row); `current` is the first day of this month. The dues page and
    the ledger export both call this, on rows they read their own way."""
    if paid is not None and paid > 0:
        return "paid" if paid >= due else "partial"
    if not in_branch:
        return "away"
    if not is_month_due(member, month):
        return "not_due"
    if due is not None and due == 0:
        return "paid"  # nothing was due: settled
    if month >= current:
        return "pending"
    return "unpaid"


def dues_year_grid(organization: Organization, year: int, *, today: datetime.date) -> list[YearRow]:
    """Member × month for a year: three queries (members, their memberships here, payments)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = list(
        members_during(organization, start, end)
        .order_by("name", "id")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(organization=organization), to_attr="here")
        )
    )
    payments = {
        (p.member_id, p.month): p
        for p in DuesPayment.objects.filter(member__in=[m.pk for m in members], month__gte=start, month__lte=end)
    }
    current = month_start(today)
    rows = []
    for member in members:
        cells, paid_total, unpaid = [], Decimal("0"), 0
        for m in range(1, 13):
            month = datetime.date(year, m, 1)
            payment = payments.get((member.pk, month))
            in_branch = any(
                ms.started_on <= month_end(month) and (ms.ended_on is None or ms.ended_on >= month)
                for ms in member.here
            )
            paid, due = (payment.amount_paid, payment.amount_due) if payment is not None else (None, None)
            state = month_state(member, month, in_branch=in_branch, paid=paid, due=due, current=current)
            if paid:
                paid_total += paid
            unpaid += state == "unpaid"
            cells.append(YearCell(month=month, state=state, payment=payment))
        rows.append(YearRow(member=member, cells=cells, paid_total=paid_total, unpaid_months=unpaid))
    return rows


@dataclass(frozen=True)
class Arrears:
    member: Member
    months: int  # consecutive unsettled elapsed months up to last month
    since: datetime.date  # the first of them


def dues_arrears(branch: Organization, today: datetime.date, *, min_months: int | None = None) -> list[Arrears]:
    """Current members with `min_months` (default 3) or more consecutive unsettled elapsed months, longest first.

    Three queries whatever the branch size: the ledger start, the members with their membership here, and each
    member's last settled month (over all branches: a member's payments follow them on transfer)."""
    min_months = arrears_warn_months() if min_months is None else min_months
    last_elapsed = add_months(month_start(today), -1)
    ledger_start = DuesPayment.objects.filter(organization=branch).aggregate(first=Min("month"))["first"]
    if ledger_start is None:
        return []
    memberships = list(
        Membership.objects.filter(organization=branch, ended_on__isnull=True, member__organization=branch)
        .filter(member__status__in=Member.COUNTED_STATUSES)
        .select_related("member")
    )
    settled = dict(
        DuesPayment.objects.filter(member__in=[ms.member_id for ms in memberships])
        .filter(Q(amount_paid__gt=0) | Q(amount_due=0))
        .values("member_id")
        .annotate(last=Max("month"))
        .values_list("member_id", "last")
    )
    result = []
    for ms in memberships:
        member = ms.member
        first_owed = max(ledger_start, month_start(member.joined_on), month_start(ms.started_on))
        last_settled = settled.get(member.pk)
        if last_settled is not None:
            first_owed = max(first_owed, add_months(last_settled, 1))
        months = months_between(first_owed, last_elapsed)
        if months >= min_months:
            result.append(Arrears(member=member, months=months, since=first_owed))
    return sorted(result, key=lambda a: (-a.months, a.member.name))


def dues_payment_list(user):
    """Payments the user may see (API lists); filters are applied by the caller."""
    return DuesPayment.objects.filter(visible_organizations_q(user, "organization__")).select_related(
        "member", "organization"
    )


# ---------------------------------------------------------------- services


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
    unless all rows are valid. Each row is upserted with the amount due computed from the member's current base."""
    today = today or timezone.localdate()
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("党费按党支部登记。")
    if month.day != 1:
        raise ValidationError("所属月份应为该月1日。")
    if month > month_start(today):
        raise ValidationError(f"{month:%Y年%m月}尚未到来,不能登记党费。")
    roster = {m.pk: m for m in members_during(organization, month, month_end(month))}
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
        values = {
            "base": member.dues_base,
            "rate": dues_rate(member.dues_class, member.dues_base),
            "amount_due": dues_amount(member.dues_class, member.dues_base),
            "amount_paid": amount_paid,
            "paid_on": paid_on if amount_paid > 0 else None,
        }
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
