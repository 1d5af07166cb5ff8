"""党费 rows for this year (DOMAIN.md "党费"; amounts from branches.dues, the same functions the bulk entry uses).

One row per member and elapsed month they owed: a month of their membership in a branch (the branch they were in at the
month's end, or when they left), from the month the 支部大会 accepted them (branches.dues.is_month_due). Unpaid months
are rows with nothing paid, as the monthly entry records them. The current month is pending: about half have paid.
Compliant branches have paid everything; in ~40% of partial branches one member missed a month or two (and paid
after); each weak branch has a handful of members 3-6 months behind up to last month (the arrears warning, 党章 第九条).
"""

import datetime
from decimal import Decimal

from branches import dues
from branches.models import DuesPayment, Member, StandingPeriod
from common.periods import month_end, month_start

from .context import DemoContext
from .writer import insert_rows

DAY = datetime.timedelta(days=1)
FLUSH_ROWS = 50000
ZERO = Decimal("0")
COLUMNS = ["member_id", "organization_id", "month", "base", "rate", "amount_due", "amount_paid", "paid_on"]


def _unpaid_months(ctx: DemoContext, units, elapsed: list[datetime.date]) -> dict[int, set[datetime.date]]:
    """member pk -> the months they left unpaid, by their branch's tier."""
    rng, unpaid = ctx.rng, {}
    for unit in units:
        current = [m for m in unit.members if unit.spans[m.pk][1] is None]
        if not current or not elapsed:
            continue
        if unit.tier == "weak":
            # A handful of members stopped paying 3-6 months ago (warned at 3 months, DOMAIN.md).
            for member in rng.sample(current, min(len(current) // 2, rng.randint(2, 5))):
                run = min(len(elapsed), rng.randint(3, 6))
                unpaid[member.pk] = set(elapsed[-run:]) | {None}  # None: nor the current month
        elif unit.tier == "partial" and rng.random() < 0.4 and len(elapsed) >= 4:
            member = rng.choice(current)
            first = rng.randint(0, len(elapsed) - 3)
            unpaid[member.pk] = set(elapsed[first : first + rng.randint(1, 2)])
    return unpaid


def seed_dues(ctx: DemoContext, units) -> None:
    rng, today = ctx.rng, ctx.today
    current = month_start(today)
    elapsed = [datetime.date(today.year, m, 1) for m in range(1, today.month)]
    unpaid = _unpaid_months(ctx, units, elapsed)
    periods: dict[int, list] = {}
    for ms in ctx.membership_rows:
        periods.setdefault(ms.member.pk, []).append(ms)
    rows, written = [], 0
    for member_periods in periods.values():
        member = member_periods[0].member
        rate = dues.dues_rate(member.dues_class, member.dues_base)
        amount = dues.dues_amount(member.dues_class, member.dues_base)
        skipped = unpaid.get(member.pk, ())
        for month in [*elapsed, current]:
            if not dues.is_month_due(member, month):
                continue
            end = month_end(month)
            owing = [
                ms for ms in member_periods if ms.started_on <= end and (ms.ended_on is None or ms.ended_on > month)
            ]
            if not owing:
                continue
            branch_id = max(owing, key=lambda ms: ms.started_on).organization_id
            if month == current:
                # The current month is pending: about half have paid so far.
                if None in skipped or today.day == 1 or rng.random() < 0.5:
                    continue
                paid_on = month + datetime.timedelta(days=rng.randint(0, today.day - 2))
            elif month in skipped:
                paid_on = None
            else:
                late = rng.random() < 0.08
                paid_on = (end + DAY * rng.randint(1, 10)) if late else month + DAY * rng.randint(2, 24)
                paid_on = min(paid_on, end if not late else today - DAY)
            paid = amount if paid_on else ZERO
            rows.append((member.pk, branch_id, month, member.dues_base, rate, amount, paid, paid_on))
        if len(rows) >= FLUSH_ROWS:
            written, rows = written + insert_rows(DuesPayment, COLUMNS, rows), []
    ctx.record_counts["dues"] = written + insert_rows(DuesPayment, COLUMNS, rows)


def seed_exceptions(ctx: DemoContext, units) -> None:
    """A few realistic exceptions, so each rule of issue 11 is visible in the demo: in the first branch of the
    "partial" tier (tree order), three current 在职 正式党员 who hold no post become one partial payer (half of what was
    due, every elapsed month: 未足额, never settled), one missing base (基数未填: 0 owed, nothing settled until it is
    filled) and one 停止党籍 member (on no roll, owes no dues, owed no talk or review). No rng draw: the rest of the
    demo is unchanged."""
    unit = next((u for u in units if u.tier == "partial"), None)
    if unit is None:
        return
    holders = {m.pk for m, _role in unit.positions}
    eligible = [
        m
        for m in unit.members
        if unit.spans[m.pk][1] is None
        and m.pk not in holders
        and m.category == Member.Category.FULL
        and m.dues_class == Member.DuesClass.EMPLOYED
    ]
    if len(eligible) < 3:
        return
    partial, no_base, suspended = sorted(eligible, key=lambda m: m.pk)[-3:]
    current = month_start(ctx.today)
    rows = DuesPayment.objects.filter(month__lt=current, month__year=ctx.today.year)
    for payment in rows.filter(member=partial):
        payment.amount_paid = (payment.amount_due / 2).quantize(dues.FEN)
        payment.paid_on = payment.paid_on or payment.month + DAY * 9
        payment.save(update_fields=["amount_paid", "paid_on"])
    Member.objects.filter(pk=no_base.pk).update(dues_base=ZERO)
    DuesPayment.objects.filter(member=no_base).update(
        base=ZERO, rate=dues.dues_rate(no_base.dues_class, ZERO), amount_due=ZERO, amount_paid=ZERO, paid_on=None
    )
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    # 停止党籍 is a dated period (branches/models/standing.py): since the start of this year.
    StandingPeriod.objects.create(
        member=suspended, kind=StandingPeriod.Kind.SUSPENDED, started_on=datetime.date(ctx.today.year, 1, 1)
    )
    ctx.exceptions = {"partial": partial.pk, "no_base": no_base.pk, "suspended": suspended.pk, "branch": unit.org.pk}
