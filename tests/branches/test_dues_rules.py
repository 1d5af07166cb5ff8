"""The 党费 rules stated once (branches/dues/rules.py): owed from the month of joining, and when a month is settled,
in Python, as an ORM filter and as raw SQL — the three forms agree."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from branches.dues import first_owed_month, is_month_due, is_settled, settled_q, settled_sql
from branches.models import DuesPayment
from tests.factories import make_member

D = datetime.date


@pytest.mark.parametrize(
    ("joined_on", "month", "due"),
    [
        (D(2025, 3, 31), D(2025, 3, 1), True),
        (D(2025, 3, 1), D(2025, 2, 1), False),
        (D(2025, 3, 15), D(2025, 4, 1), True),
    ],
)
def test_month_of_joining_is_owed_and_earlier_months_are_not(joined_on, month, due):
    class M:  # the rule needs only joined_on
        pass

    member = M()
    member.joined_on = joined_on
    assert first_owed_month(member) == joined_on.replace(day=1)
    assert is_month_due(member, month) is due


@pytest.mark.parametrize(
    ("paid", "due", "settled"),
    [
        (None, None, False),
        (Decimal("0"), Decimal("30"), False),
        # issue 11: 足额 only; 0 of 0 comes from a missing base (基数未填), a data gap, not settled
        (Decimal("1"), Decimal("30"), False),
        (Decimal("29.99"), Decimal("30"), False),
        (Decimal("30"), Decimal("30"), True),
        (Decimal("0"), Decimal("0"), False),
    ],
)
def test_a_month_is_settled_only_when_paid_in_full(paid, due, settled):
    assert is_settled(paid=paid, due=due) is settled


@pytest.mark.django_db
def test_the_orm_filter_and_the_sql_condition_pick_the_same_rows_as_the_python_rule(tree):
    member = make_member(tree.branch_a, joined_on=D(2020, 1, 1))
    rows = [
        (Decimal("0"), Decimal("30")),
        (Decimal("5"), Decimal("30")),
        (Decimal("0"), Decimal("0")),
        (Decimal("30"), Decimal("30")),
    ]
    for month, (paid, due) in enumerate(rows, start=1):
        DuesPayment.objects.create(
            member=member,
            organization=tree.branch_a,
            month=D(2025, month, 1),
            base=Decimal("6000"),
            rate=Decimal("0.005"),
            amount_due=due,
            amount_paid=paid,
            paid_on=D(2025, month, 2) if paid else None,
        )
    expected = {p.pk for p in DuesPayment.objects.all() if is_settled(paid=p.amount_paid, due=p.amount_due)}
    assert set(DuesPayment.objects.filter(settled_q()).values_list("pk", flat=True)) == expected
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id FROM branches_duespayment d WHERE {settled_sql('d')}")
        assert {row[0] for row in cursor.fetchall()} == expected
    assert len(expected) == 1  # issue 11: only 30 of 30 is 足额 (5 of 30 is partial, 0 of 0 a missing base)
