"""党费: the 中组部 rate brackets, the monthly bulk entry and the arrears warning.

Boundary convention (中组部《关于中国共产党党费收缴、使用和管理的规定》): each bracket *includes* its upper bound.
    在职: 3000元以下(含3000元) 0.5%; 3000元以上至5000元(含5000元) 1%; 5000元以上至10000元(含10000元) 1.5%; 10000元以上 2%.
    离退休: 5000元以下(含5000元) 0.5%; 5000元以上 1%.
    学生、失业、低保: 每月0.2元 (a fixed amount, so the stored rate is 0).
So 3000.00 -> 0.5%, 3000.01 -> 1%, 5000.00 -> 1%, 10000.00 -> 1.5%, 10000.01 -> 2%. Amounts are rounded to the fen
(0.01 yuan) half up.

Which months are due: a member owes each month of their membership in the branch from the month that contains the day
the 支部大会 accepted them (`joined_on`); a 预备党员 pays from that day, so earlier months are never due.

Which branch a month is owed to (the one half-open membership rule, DOMAIN.md "dues"): the branch the member belongs to
on the month's last day, membership periods being half-open [started_on, ended_on). So a member transferred out on
1 March owes March to the new branch, and the months a membership owes are [month of its start, month of its end).

Settled (足额, DOMAIN.md): a month is settled only when its row's amount paid is at least the amount due, and the amount
due is known. A member whose class owes a percentage (在职, 离退休) but whose base is missing or zero is a data gap
("基数未填"): their months are not settled until the base is filled. A 停止党籍 member owes no dues
(branches/standing.py).

Arrears (党章 第九条: six months in a row unpaid without a valid reason counts as leaving the party; we warn at 3): The warning counts the unsettled elapsed months
since the member's last settled month; the current month is pending. Months before the branch's first ledger row are
unknown rather than unpaid, so a branch that starts using the system is not flagged for its past.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F, Q

from common.periods import month_end, month_start

from ..models import Member
from ..standing import belongs_on, member_suspended_on

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


def first_owed_month(member: Member) -> datetime.date:
    """党费 rules: a member owes from the month that contains the day the 支部大会 accepted them (`joined_on`); a 预备党员
    pays from that day, so earlier months are never due. The one statement of this rule: the month grid, the bulk entry
    and the arrears warning call it; owed_months_sql() is the same rule for meetings/plan's one-statement count."""
    return month_start(member.joined_on)


def owes_month_in(started_on: datetime.date, ended_on: datetime.date | None, month: datetime.date) -> bool:
    """Whether a membership period [started_on, ended_on) of a branch owes `month` there: the member belongs to it on
    the month's last day. The one half-open membership rule of dues: the grid, the ledger and the indicator."""
    return belongs_on(started_on, ended_on, month_end(month))


def suspended_month(member: Member, month: datetime.date) -> bool:
    """停止党籍 on the month's last day (the day owes_month_in reads): the member owes nothing for that month. Judged by
    the member's standing periods when prefetched ("standing_periods"), else by today's status (branches/standing.py)."""
    return member_suspended_on(member, month_end(month))


def owed_months_sql(*, started: str, ended: str, joined: str, month_of, greatest: str = "GREATEST") -> tuple[str, str]:
    """The same rules (owes_month_in, first_owed_month) as SQL: the first owed month number and the month number it
    stops before, for a membership of `year` ("13" when it runs past the year). `month_of(column)` is the vendor's
    month-number expression; %(start)s / %(end)s are the year's first and last day."""
    owed_from = f"{greatest}({started}, {joined})"
    first = (
        f"CASE WHEN {owed_from} > %(end)s THEN 13 WHEN {owed_from} < %(start)s THEN 1 ELSE {month_of(owed_from)} END"
    )
    stop = f"CASE WHEN {ended} IS NULL OR {ended} > %(end)s THEN 13 ELSE {month_of(ended)} END"
    return first, stop


def base_missing(member: Member) -> bool:
    """基数未填: the member's class owes a percentage of a base (在职, 离退休) but the base is blank or zero."""
    return member.dues_class != Member.DuesClass.LOW_INCOME and not member.dues_base


def base_missing_q(prefix: str = "") -> Q:
    """The same rule as a filter on members (`prefix` e.g. "member__")."""
    return ~Q(**{f"{prefix}dues_class": Member.DuesClass.LOW_INCOME}) & (
        Q(**{f"{prefix}dues_base__isnull": True}) | Q(**{f"{prefix}dues_base": 0})
    )


def is_month_due(member: Member, month: datetime.date) -> bool:
    return first_owed_month(member) <= month


# ---------------------------------------------------------------- settled


def is_settled(*, paid: Decimal | None, due: Decimal | None) -> bool:
    """足额: a month is settled only when its ledger row's amount paid is at least the amount due, and something was
    due (an amount due of 0 comes from a missing base: a data gap, not a settled month). None: no row."""
    return paid is not None and due is not None and due > 0 and paid >= due


def settled_sql(alias: str) -> str:
    """The same rule as a condition for raw SQL over branches_duespayment AS `alias` (meetings/plan's one-statement
    dues count and the dashboard bench write their SQL by hand)."""
    return f"({alias}.amount_due > 0 AND {alias}.amount_paid >= {alias}.amount_due)"


def settled_q(prefix: str = "") -> Q:
    """The same rule as a filter on DuesPayment rows (`prefix` e.g. "duespayment__" when reached through a join)."""
    return Q(**{f"{prefix}amount_due__gt": 0, f"{prefix}amount_paid__gte": F(f"{prefix}amount_due")})


# ---------------------------------------------------------------- month state


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
    month's ledger row amounts (None without a row); `current` is the first day of this month; `in_branch` comes from
    owes_month_in. The dues page and the ledger export both call this, on rows they read their own way."""
    if suspended_month(member, month):
        return "not_due"  # 停止党籍 that month: owes no dues (branches/standing.py), whatever a row says
    if is_settled(paid=paid, due=due):
        return "paid"
    if paid is not None and paid > 0:
        return "partial"  # 未足额: not settled, anywhere
    if not in_branch:
        return "away"
    if not is_month_due(member, month):
        return "not_due"  # before joining the party
    if month >= current:
        return "pending"
    return "unpaid"
