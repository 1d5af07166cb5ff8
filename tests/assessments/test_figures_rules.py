"""Issue 11: every figure right. One test per rule of DOMAIN.md "How an indicator is computed", "Standing of members"
and "党费", named like the rule, with the reproductions of the issue and thresholds tested at the boundary."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.indicators import rules
from branches import dues, services, standing
from branches.health import term_status
from branches.models import CommitteeTerm, DuesPayment, Member
from branches.roster import roster_import
from ledgers.selectors import dues_rows, ledger_records
from meetings import attendance, plan
from meetings.models import Meeting, MemberReview
from meetings.records import services as record_services
from tests.assessments.conftest import AFTER_2025, D, K, held, pay, result, talk
from tests.branches.fixtures_roster import roster_row, roster_upload
from tests.factories import make_member, make_organization

pytestmark = pytest.mark.django_db
MONTHS_2025 = [D(2025, m, 1) for m in range(1, 13)]


def row(member, branch, month, *, due, paid, base="4000"):
    return DuesPayment.objects.create(
        member=member,
        organization=branch,
        month=month,
        base=Decimal(base),
        rate=Decimal("0.01"),
        amount_due=Decimal(due),
        amount_paid=Decimal(paid),
        paid_on=month + datetime.timedelta(days=3) if Decimal(paid) > 0 else None,
    )


# ---------------------------------------------------------------- 1. 党费足额


def test_partial_payment_does_not_settle_a_month(tree, members):
    """The reproduction: 0.01 paid of 40.00 every month -> 未达标, the arrears warning, the grid and the ledger partial."""
    payer = members.b[2]
    for month in MONTHS_2025:
        row(payer, tree.branch_b, month, due="40.00", paid="0.01")
        for other in members.b[:2]:
            pay(other, tree.branch_b, month)
    r = result(tree.branch_b, "dues")
    assert (r.required, r.done, r.status) == (36, 24, rules.NOT_MET)
    arrears = dues.dues_arrears(tree.branch_b, AFTER_2025)
    assert [a.member for a in arrears] == [payer] and arrears[0].months == 12
    grid = {r.member.pk: r for r in dues.dues_year_grid(tree.branch_b, 2025, today=AFTER_2025)}
    assert {c.state for c in grid[payer.pk].cells} == {"partial"}
    ledger = ledger_records([tree.branch_b], 2025)[tree.branch_b.pk]
    ledger_row = next(r for r in dues_rows(ledger, today=AFTER_2025) if r.member.id == payer.pk)
    assert {state for state, _payment in ledger_row.cells} == {"partial"}


@pytest.mark.parametrize(("paid", "settled"), [("39.99", False), ("40.00", True), ("40.01", True)])
def test_a_month_is_settled_exactly_from_the_amount_due(paid, settled):
    assert dues.is_settled(paid=Decimal(paid), due=Decimal("40.00")) is settled


# ---------------------------------------------------------------- 2. 基数未填


def test_a_missing_dues_base_is_a_data_gap_not_a_settled_month(tree, members, client_for):
    gap = make_member(tree.branch_a, name="缺基数", dues_base=Decimal("0"))
    assert dues.base_missing(gap) and not dues.base_missing(members.a[0])
    row(gap, tree.branch_a, D(2025, 3, 1), due="0.00", paid="0.00", base="0")
    assert not dues.is_settled(paid=Decimal("0"), due=Decimal("0"))
    assert dues.dues_base_gaps(tree.branch_a) == [gap]
    page = client_for("secretary").get(reverse("branches:dues_year", args=[tree.branch_a.code]) + "?year=2025")
    assert "基数未填" in page.content.decode()


def test_a_missing_dues_base_is_on_the_secretary_s_to_do(tree, members, client_for):
    make_member(tree.branch_a, name="缺基数", dues_base=Decimal("0"))
    assert plan.todo(tree.branch_a, datetime.date.today())["base_gaps"] == 1
    assert "基数未填" in client_for("secretary").get("/").content.decode()


def test_the_member_form_warns_of_a_missing_base(tree, members, client_for):
    member = members.a[3]
    response = client_for("secretary").post(
        reverse("branches:member_edit", args=[member.pk]),
        {
            **{f: getattr(member, f) for f in ("name", "gender", "ethnicity", "birth_date", "education", "phone")},
            **{f: getattr(member, f) for f in ("joined_on", "full_on", "category", "position", "status")},
            "id_number": member.masked_id_number,
            "dues_class": member.dues_class,
            "dues_base": "0",
        },
        follow=True,
    )
    assert "基数未填" in response.content.decode()


def test_a_low_income_member_with_no_base_is_not_a_data_gap(tree):
    member = make_member(tree.branch_a, dues_class=Member.DuesClass.LOW_INCOME, dues_base=Decimal("0"))
    assert not dues.base_missing(member)


# ---------------------------------------------------------------- 4. standing


def test_suspended_member_is_not_on_the_roll(tree, members):
    suspended = members.a[6]
    services.member_update(member=suspended, status=Member.Status.SUSPENDED)
    today = datetime.date.today()
    roll = attendance.roll_members(organization=tree.branch_a, kind=K.BRANCH_ASSEMBLY, day=today)
    assert suspended not in roll and len(roll) == 6
    assert not standing.in_good_standing(Member.objects.get(pk=suspended.pk))


def test_suspended_member_is_not_in_the_quorum(tree, members):
    meeting = held(tree.branch_a, K.BRANCH_ASSEMBLY, D(2025, 5, 10))
    Member.objects.filter(pk=members.a[6].pk).update(status=Member.Status.SUSPENDED)
    counted = Meeting.objects.with_counts().get(pk=meeting.pk)
    assert counted.expected_count == 6 and counted.voting_expected_count == 6


def test_suspended_member_owes_no_dues_and_is_owed_no_talk(tree, members):
    Member.objects.filter(pk=members.b[2].pk).update(status=Member.Status.SUSPENDED)
    assert result(tree.branch_b, "dues").required == 2 * 12
    assert result(tree.branch_b, "talks").required == 2


def test_member_under_disciplinary_probation_has_no_vote(tree, members):
    meeting = held(tree.branch_a, K.BRANCH_ASSEMBLY, D(2025, 5, 10))
    Member.objects.filter(pk=members.a[6].pk).update(disciplinary_probation=True)
    member = Member.objects.get(pk=members.a[6].pk)
    assert not standing.has_vote(member, D(2025, 5, 10)) and standing.in_good_standing(member)
    counted = Meeting.objects.with_counts().get(pk=meeting.pk)
    assert counted.expected_count == 7 and counted.voting_expected_count == 6


def test_probationary_member_has_no_vote(tree):
    member = make_member(tree.branch_a, category="probationary", joined_on=D(2025, 3, 1))
    assert not standing.has_vote(member, D(2025, 6, 1))


def _review(branch, member, grade):
    return record_services.review_year_record(
        organization=branch, year=2025, decided_on=D(2025, 12, 20), grades={member.pk: (grade, "")}, today=AFTER_2025
    )


def test_probationary_member_takes_part_in_the_review_without_a_grade_by_default(tree, members):
    probationary = make_member(tree.branch_b, category="probationary", joined_on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="不评定等次"):
        _review(tree.branch_b, probationary, MemberReview.Grade.QUALIFIED)
    _review(tree.branch_b, probationary, MemberReview.Grade.NOT_GRADED)
    for member in members.b:
        _review(tree.branch_b, member, MemberReview.Grade.QUALIFIED)
    r = result(tree.branch_b, "member_review")
    assert (r.required, r.done, r.status) == (4, 4, rules.MET)  # 参加评议,不评定等次 counts as covered
    with pytest.raises(ValidationError, match="须评定等次"):
        _review(tree.branch_b, members.b[0], MemberReview.Grade.NOT_GRADED)


def test_probationary_member_is_never_excellent(tree, settings):
    settings.PROBATIONARY_REVIEW_GRADED = True
    probationary = make_member(tree.branch_b, category="probationary", joined_on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="不能评为优秀"):
        _review(tree.branch_b, probationary, MemberReview.Grade.EXCELLENT)
    _review(tree.branch_b, probationary, MemberReview.Grade.QUALIFIED)


# ---------------------------------------------------------------- 5. coverage on the period's last day


def test_member_who_died_in_february_is_not_owed_a_talk(tree, members):
    services.member_leave(member=members.b[2], status=Member.Status.DECEASED, on=D(2025, 2, 10))
    talk(tree.branch_b, D(2025, 3, 1), members.b[0], members.b[1])
    r = result(tree.branch_b, "talks")
    assert (r.required, r.done, r.status) == (2, 2, rules.MET)
    assert result(tree.branch_b, "member_review").required == 2


def test_coverage_while_the_year_runs_counts_the_members_on_as_of(tree, members):
    services.member_leave(member=members.b[2], status=Member.Status.LEFT, on=D(2025, 6, 1))
    talk(tree.branch_b, D(2025, 3, 1), members.b[0], members.b[1])
    r = result(tree.branch_b, "talks", as_of=D(2025, 7, 1))
    assert (r.required, r.done, r.status) == (2, 2, rules.MET)  # done before the year ends: counted (point 13)


# ---------------------------------------------------------------- 6. one half-open membership rule


def test_member_transferred_out_on_1_march_owes_march_to_the_new_branch(tree, members):
    mover = members.b[2]
    services.member_transfer(member=mover, to_organization=tree.branch_c, on=D(2025, 3, 1))
    march = D(2025, 3, 1)
    old = {r.member.pk: r for r in dues.dues_year_grid(tree.branch_b, 2025, today=AFTER_2025)}[mover.pk]
    new = {r.member.pk: r for r in dues.dues_year_grid(tree.branch_c, 2025, today=AFTER_2025)}[mover.pk]
    assert old.cells[1].state == "unpaid" and old.cells[2].state == "away"
    assert new.cells[2].state == "unpaid" and new.cells[1].state == "away"
    ledger = ledger_records([tree.branch_b, tree.branch_c], 2025)
    old_ledger = next(r for r in dues_rows(ledger[tree.branch_b.pk], today=AFTER_2025) if r.member.id == mover.pk)
    assert old_ledger.cells[2][0] == "away"

    def owed(branch):
        return next(p for p in result(branch, "dues").periods if p.label == "2025-03").required

    assert (owed(tree.branch_b), owed(tree.branch_c)) == (2, 2)
    assert dues.owes_month_in(D(2024, 1, 1), D(2025, 3, 1), march) is False
    assert dues.owes_month_in(D(2025, 3, 1), None, march) is True
    assert dues.owes_month_in(D(2024, 1, 1), D(2025, 4, 1), march) is True  # belonged on 31 March


# ---------------------------------------------------------------- 7. a past month keeps what was in force then


def test_correcting_a_past_dues_month_keeps_its_base_rate_and_amount_due(tree, members):
    member = members.b[0]
    dues.dues_month_record(
        organization=tree.branch_b, month=D(2025, 3, 1), rows={member.pk: (None, None)}, today=AFTER_2025
    )
    services.member_update(member=member, dues_base=Decimal("12000.00"))
    (payment,) = dues.dues_month_record(
        organization=tree.branch_b,
        month=D(2025, 3, 1),
        rows={member.pk: (Decimal("90.00"), D(2025, 3, 5))},
        today=AFTER_2025,
    )
    payment.refresh_from_db()
    assert (payment.base, payment.rate, payment.amount_due) == (Decimal("6000.00"), Decimal("0.015"), Decimal("90.00"))
    assert payment.amount_paid == Decimal("90.00")


# ---------------------------------------------------------------- 8. periods after establishment


def test_branch_founded_on_31_december_owes_nothing_that_year(tree):
    branch = make_organization(tree.committee_a, "branch", established_on=D(2025, 12, 31))
    make_member(branch)
    for code in ("theme_day", "three_meetings_one_lesson", "org_life", "talks", "dues"):
        assert result(branch, code).required == 0, code


@pytest.mark.parametrize(("founded", "owed"), [(D(2025, 6, 30), 1), (D(2025, 7, 1), 0)])
def test_yearly_items_are_owed_in_the_founding_year_only_if_founded_by_30_june(tree, founded, owed):
    branch = make_organization(tree.committee_a, "branch", established_on=founded)
    make_member(branch)
    assert result(branch, "org_life").required == owed


def test_the_mid_year_rule_is_a_setting(tree, settings):
    settings.YEARLY_ITEMS_FOUNDED_BY = "09-30"
    branch = make_organization(tree.committee_a, "branch", established_on=D(2025, 7, 1))
    make_member(branch)
    assert result(branch, "org_life").required == 1


# ---------------------------------------------------------------- 12. local practice from settings


def test_the_expiring_window_follows_term_reminder_months(tree, settings):
    term = CommitteeTerm(organization=tree.branch_a, started_on=D(2023, 1, 1), term_years=3)  # expires 2026-01-01
    assert term_status(term, D(2025, 7, 1)).state == "expiring"  # six months before, to the day
    assert term_status(term, D(2025, 6, 30)).state == "ok"
    settings.TERM_REMINDER_MONTHS = (3, 1)
    assert term_status(term, D(2025, 7, 1)).state == "ok"
    assert term_status(term, D(2025, 10, 1)).state == "expiring"


# ---------------------------------------------------------------- 13. a done item is not "待考核 0/0"


def test_a_yearly_item_already_done_counts_before_the_year_ends(tree, members):
    held(tree.branch_a, K.ORG_LIFE, D(2025, 3, 10))
    r = result(tree.branch_a, "org_life", as_of=D(2025, 6, 1))
    assert (r.required, r.done, r.status) == (1, 1, rules.MET)
    r = result(tree.branch_b, "org_life", as_of=D(2025, 6, 1))
    assert (r.required, r.done, r.status) == (0, 0, rules.PENDING)  # not done yet: pending, never a failure


def test_the_roster_import_warns_of_a_missing_base(tree, cast):
    rows = [roster_row(tree.branch_a.code, 1), roster_row(tree.branch_a.code, 2, dues_base=0)]
    result = roster_import(file=roster_upload(rows), user=cast.secretary)
    assert result.ok and result.imported == 2
    assert len(result.warnings) == 1 and result.warnings[0].column == "党费计算基数"
    assert "基数未填" in result.warnings[0].message and "导入党员2" in result.warnings[0].message
