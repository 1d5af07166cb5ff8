"""党费 rules: the 中组部 brackets at their boundaries, who owes which months, bulk month entry, arrears."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from branches import services
from branches.dues import dues_amount, dues_arrears, dues_month_record, dues_month_rows, dues_rate, dues_year_grid
from branches.models import DuesPayment, Member
from tests.factories import make_member

D = Decimal
EMPLOYED, RETIRED, LOW = Member.DuesClass.EMPLOYED, Member.DuesClass.RETIRED, Member.DuesClass.LOW_INCOME
TODAY = datetime.date(2025, 7, 15)


# ---------------------------------------------------------------- brackets


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [
        ("0", "0.005", "0.00"),
        ("2999.99", "0.005", "15.00"),
        ("3000", "0.005", "15.00"),  # 3000元以下(含3000元)
        ("3000.01", "0.01", "30.00"),
        ("5000", "0.01", "50.00"),  # 3000元以上至5000元(含5000元)
        ("5000.01", "0.015", "75.00"),
        ("10000", "0.015", "150.00"),  # 5000元以上至10000元(含10000元)
        ("10000.01", "0.02", "200.00"),
        ("25000", "0.02", "500.00"),
    ],
)
def test_employed_member_pays_by_the_bracket_that_includes_its_upper_bound(base, rate, amount):
    assert dues_rate(EMPLOYED, D(base)) == D(rate)
    assert dues_amount(EMPLOYED, D(base)) == D(amount)


@pytest.mark.parametrize(
    ("base", "rate", "amount"),
    [("4000", "0.005", "20.00"), ("5000", "0.005", "25.00"), ("5000.01", "0.01", "50.00"), ("8000", "0.01", "80.00")],
)
def test_retired_member_pays_half_a_percent_up_to_5000_and_one_percent_above(base, rate, amount):
    assert dues_rate(RETIRED, D(base)) == D(rate)
    assert dues_amount(RETIRED, D(base)) == D(amount)


def test_low_income_member_pays_a_fixed_twenty_fen_whatever_the_base():
    assert dues_amount(LOW, D("0")) == D("0.20")
    assert dues_amount(LOW, D("9000")) == D("0.20")
    assert dues_rate(LOW, D("9000")) == D("0")


def test_amount_is_rounded_to_the_fen_half_up():
    assert dues_amount(EMPLOYED, D("3456.50")) == D("34.57")  # 34.565 -> 34.57
    assert dues_amount(EMPLOYED, D("1001")) == D("5.01")  # 5.005 -> 5.01


# ---------------------------------------------------------------- which months are due


def test_probationary_member_owes_nothing_before_the_assembly_accepted_them(tree):
    member = make_member(tree.branch_a, category="probationary", joined_on=datetime.date(2025, 5, 20))
    rows = {row.member.pk: row for row in dues_month_rows(tree.branch_a, datetime.date(2025, 4, 1))}
    assert member.pk not in rows  # not yet in the branch in April
    may = {row.member.pk: row for row in dues_month_rows(tree.branch_a, datetime.date(2025, 5, 1))}
    assert may[member.pk].due  # pays from the month they were accepted
    with pytest.raises(ValidationError, match="不属于"):
        dues_month_record(
            organization=tree.branch_a,
            month=datetime.date(2025, 4, 1),
            rows={member.pk: (D("1"), datetime.date(2025, 4, 2))},
            today=TODAY,
        )


def test_probationary_member_whose_relation_came_earlier_is_not_due_before_joining(tree):
    member = make_member(
        tree.branch_a,
        category="probationary",
        joined_on=datetime.date(2025, 5, 20),
        joined_branch_on=datetime.date(2025, 1, 1),
    )
    april = {row.member.pk: row for row in dues_month_rows(tree.branch_a, datetime.date(2025, 4, 1))}
    assert april[member.pk].due is False
    grid = {row.member.pk: row for row in dues_year_grid(tree.branch_a, 2025, today=TODAY)}
    states = [cell.state for cell in grid[member.pk].cells]
    assert states[:4] == ["not_due"] * 4
    assert states[4:6] == ["unpaid", "unpaid"]  # May and June elapsed without payment
    assert states[6:] == ["pending"] * 6
    with pytest.raises(ValidationError, match="2025-05-20入党,2025年04月无需交纳党费"):
        dues_month_record(
            organization=tree.branch_a,
            month=datetime.date(2025, 4, 1),
            rows={member.pk: (D("1"), datetime.date(2025, 4, 2))},
            today=TODAY,
        )


# ---------------------------------------------------------------- bulk month entry


def test_month_entry_records_the_whole_branch_with_amount_due_from_the_base(tree, members, cast):
    month = datetime.date(2025, 6, 1)
    services.member_update(member=members.a[1], dues_base=D("3000"))
    rows = {m.pk: (dues_amount(m.dues_class, m.dues_base), datetime.date(2025, 6, 10)) for m in members.a}
    rows[members.a[1].pk] = (D("15.00"), datetime.date(2025, 6, 10))
    saved = dues_month_record(organization=tree.branch_a, month=month, rows=rows, user=cast.secretary, today=TODAY)
    assert len(saved) == 7
    payment = DuesPayment.objects.get(member=members.a[1], month=month)
    assert (payment.base, payment.rate, payment.amount_due, payment.amount_paid) == (
        D("3000.00"),
        D("0.0050"),
        D("15.00"),
        D("15.00"),
    )
    assert payment.history.first().history_user == cast.secretary


def test_month_entry_updates_existing_rows_instead_of_duplicating(tree, members):
    month = datetime.date(2025, 6, 1)
    member = members.a[0]
    dues_month_record(organization=tree.branch_a, month=month, rows={member.pk: (None, None)}, today=TODAY)
    dues_month_record(
        organization=tree.branch_a, month=month, rows={member.pk: (D("90"), datetime.date(2025, 6, 3))}, today=TODAY
    )
    payment = DuesPayment.objects.get(member=member, month=month)
    assert payment.amount_paid == D("90.00")
    assert payment.history.count() == 2


def test_month_entry_is_all_or_nothing_and_names_every_problem(tree, members):
    month = datetime.date(2025, 6, 1)
    rows = {
        members.a[0].pk: (D("90"), datetime.date(2025, 6, 5)),  # fine
        members.a[1].pk: (D("-1"), datetime.date(2025, 6, 5)),  # negative
        members.a[2].pk: (D("90"), datetime.date(2025, 5, 31)),  # before the month
        members.a[3].pk: (D("90"), datetime.date(2025, 7, 16)),  # after today
        members.a[4].pk: (D("90"), None),  # paid without a date
        members.b[0].pk: (D("90"), datetime.date(2025, 6, 5)),  # another branch's member
    }
    with pytest.raises(ValidationError) as error:
        dues_month_record(organization=tree.branch_a, month=month, rows=rows, today=TODAY)
    text = "\n".join(error.value.messages)
    assert "甲1:实交金额不能为负数" in text
    assert "甲2:交纳日期2025-05-31早于所属月份" in text
    assert "甲3:交纳日期2025-07-16晚于今天" in text
    assert "甲4:已交纳的请填写交纳日期" in text
    assert "不属于甲集团第一党支部" in text
    assert "乙0" not in text  # another branch's member is not named
    assert not DuesPayment.objects.exists()


def test_month_entry_refuses_a_month_not_yet_begun(tree, members):
    with pytest.raises(ValidationError, match="尚未到来"):
        dues_month_record(
            organization=tree.branch_a,
            month=datetime.date(2025, 8, 1),
            rows={members.a[0].pk: (None, None)},
            today=TODAY,
        )


def test_a_member_transferred_out_can_still_be_recorded_for_months_they_belonged(tree, members):
    member = members.a[6]
    services.member_transfer(member=member, to_organization=tree.branch_b, on=datetime.date(2025, 6, 15))
    dues_month_record(
        organization=tree.branch_a,
        month=datetime.date(2025, 6, 1),
        rows={member.pk: (D("90"), datetime.date(2025, 6, 10))},
        today=TODAY,
    )
    with pytest.raises(ValidationError, match="不属于"):
        dues_month_record(
            organization=tree.branch_a,
            month=datetime.date(2025, 7, 1),
            rows={member.pk: (D("90"), datetime.date(2025, 7, 10))},
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="已在其他支部登记"):
        dues_month_record(
            organization=tree.branch_b,
            month=datetime.date(2025, 6, 1),
            rows={member.pk: (D("90"), datetime.date(2025, 6, 20))},
            today=TODAY,
        )


# ---------------------------------------------------------------- arrears


def _pay(branch, member, *months):
    for month in months:
        dues_month_record(
            organization=branch, month=month, rows={member.pk: (D("90"), month.replace(day=5))}, today=TODAY
        )


def test_three_consecutive_unpaid_months_are_flagged_and_two_are_not(tree, members):
    three, two = members.a[0], members.a[1]
    # July is the current month (pending): elapsed months run to June.
    _pay(tree.branch_a, three, datetime.date(2025, 1, 1), datetime.date(2025, 2, 1), datetime.date(2025, 3, 1))
    _pay(tree.branch_a, two, *(datetime.date(2025, m, 1) for m in range(1, 5)))
    arrears = {a.member.pk: a for a in dues_arrears(tree.branch_a, TODAY)}
    assert arrears[three.pk].months == 3
    assert arrears[three.pk].since == datetime.date(2025, 4, 1)
    assert two.pk not in arrears


def test_a_month_recorded_as_unpaid_still_counts_as_unpaid(tree, members):
    member = members.a[0]
    _pay(tree.branch_a, member, datetime.date(2025, 3, 1))
    for m in (4, 5, 6):
        dues_month_record(
            organization=tree.branch_a, month=datetime.date(2025, m, 1), rows={member.pk: (None, None)}, today=TODAY
        )
    assert [a.months for a in dues_arrears(tree.branch_a, TODAY) if a.member.pk == member.pk] == [3]


def test_months_before_the_branch_ledger_starts_are_unknown_not_unpaid(tree, members):
    assert dues_arrears(tree.branch_a, TODAY) == []
    # The ledger starts in May 2025: everyone unpaid since then is 2 months behind, not 15 years.
    _pay(tree.branch_a, members.a[0], datetime.date(2025, 5, 1), datetime.date(2025, 6, 1))
    assert dues_arrears(tree.branch_a, TODAY) == []
    assert {a.member.name for a in dues_arrears(tree.branch_a, datetime.date(2025, 8, 1))} == {
        f"甲{i}" for i in range(1, 7)
    }


def test_arrears_are_computed_in_a_bounded_number_of_queries(tree, members, django_assert_max_num_queries):
    for i in range(20):
        make_member(tree.branch_a, name=f"新{i}")
    _pay(tree.branch_a, members.a[0], datetime.date(2025, 1, 1))
    with django_assert_max_num_queries(3):
        arrears = dues_arrears(tree.branch_a, TODAY)
    assert len(arrears) == 27
