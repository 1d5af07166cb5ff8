"""党费 reads: the month entry rows, the year grid, the arrears warning and the API list. Each runs a fixed number of
queries whatever the size of the branch; the rules they apply are in rules.py."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, Prefetch

from common.periods import add_months, month_end, month_start, months_between

from ..access import visible_organizations_q
from ..models import DuesPayment, Member, Membership, Organization
from ..selectors import members_during
from ..standing import attach_periods, good_standing_q, standing_flag
from .rules import (
    arrears_warn_months,
    base_missing_q,
    dues_amount,
    dues_rate,
    first_owed_month,
    is_month_due,
    month_state,
    owes_month_in,
    settled_q,
)


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
    """One row per member who owes the month to the branch (rules.owes_month_in: who belongs to it on the month's last
    day), with the amount due from their current base. Two queries, whatever the size of the branch."""
    members = list(
        members_during(organization, month_end(month), month_end(month))
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


def dues_year_grid(organization: Organization, year: int, *, today: datetime.date) -> list[YearRow]:
    """Member × month for a year: three queries (members, their memberships here, payments), and one for the standing
    periods when some member has any (停止党籍 months owe nothing: rules.suspended_month)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    members = attach_periods(
        members_during(organization, start, end)
        .order_by("name", "id")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(organization=organization), to_attr="here")
        )
        .annotate(has_standing=standing_flag())
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
            in_branch = any(owes_month_in(ms.started_on, ms.ended_on, month) for ms in member.here)
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
    warn_at: int = 3  # the threshold it was listed at (rules.arrears_warn_months), for the page to say


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
        .filter(good_standing_q("member__"))
        .select_related("member")
    )
    settled = dict(
        DuesPayment.objects.filter(member__in=[ms.member_id for ms in memberships])
        .filter(settled_q())
        .values("member_id")
        .annotate(last=Max("month"))
        .values_list("member_id", "last")
    )
    result = []
    for ms in memberships:
        member = ms.member
        first_owed = max(ledger_start, first_owed_month(member), month_start(ms.started_on))
        last_settled = settled.get(member.pk)
        if last_settled is not None:
            first_owed = max(first_owed, add_months(last_settled, 1))
        months = months_between(first_owed, last_elapsed)
        if months >= min_months:
            result.append(Arrears(member=member, months=months, since=first_owed, warn_at=min_months))
    return sorted(result, key=lambda a: (-a.months, a.member.name))


def dues_base_gaps(branch: Organization) -> list[Member]:
    """基数未填: current members in good standing whose class owes a percentage (在职, 离退休) but whose base is blank or
    zero (rules.base_missing); their months are not settled until it is filled. One query."""
    return list(
        Member.objects.filter(organization=branch)
        .in_good_standing()
        .filter(base_missing_q())
        .order_by("name", "id")
        .only("id", "name", "dues_class", "dues_base")
    )


def dues_payment_list(user):
    """Payments the user may see (API lists); filters are applied by the caller."""
    return DuesPayment.objects.filter(visible_organizations_q(user, "organization__")).select_related(
        "member", "organization"
    )
