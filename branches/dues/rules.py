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
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q

from common.periods import month_start

from ..models import Member

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
    and the arrears warning call it (meetings/plan.py's SQL and ledgers read it through month_state / their own SQL)."""
    return month_start(member.joined_on)


def is_month_due(member: Member, month: datetime.date) -> bool:
    return first_owed_month(member) <= month


# ---------------------------------------------------------------- settled


def is_settled(*, paid: Decimal | None, due: Decimal | None) -> bool:
    """A month is settled when its ledger row has something paid, or nothing was due (None: no row)."""
    return (paid is not None and paid > 0) or (due is not None and due == 0)


def settled_sql(alias: str) -> str:
    """The same rule as a condition for raw SQL over branches_duespayment AS `alias` (meetings/plan.py's one-statement
    dues count and the dashboard bench write their SQL by hand)."""
    return f"({alias}.amount_paid > 0 OR {alias}.amount_due = 0)"


def settled_q(prefix: str = "") -> Q:
    """The same rule as a filter on DuesPayment rows (`prefix` e.g. "duespayment__" when reached through a join); its
    SQL is `amount_paid > 0 OR amount_due = 0`."""
    return Q(**{f"{prefix}amount_paid__gt": 0}) | Q(**{f"{prefix}amount_due": 0})


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
    month's ledger row amounts (None without a row); `current` is the first day of this month. The dues page and
    the ledger export both call this, on rows they read their own way."""
    if paid is not None and paid > 0:
        return "paid" if paid >= due else "partial"
    if not in_branch:
        return "away"
    if not is_month_due(member, month):
        return "not_due"
    if is_settled(paid=paid, due=due):
        return "paid"  # nothing was due: settled
    if month >= current:
        return "pending"
    return "unpaid"
