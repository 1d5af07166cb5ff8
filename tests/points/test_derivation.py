"""Points follow from the records (DOMAIN.md "积分 and 星级"): caps per month and per year, 无故缺席 deducted and
请假 not, corrections of the records change the points, manual items count once approved, a transfer keeps what was
earned in the old branch."""

import datetime
from decimal import Decimal

import pytest

from branches import services as branch_services
from meetings import services as meeting_services
from points import selectors, services
from points.models import ManualItem
from tests.factories import make_user

from .conftest import AS_OF, YEAR, held

D = Decimal
pytestmark = pytest.mark.django_db


def year_total(member):
    return selectors.ledger([member.pk], YEAR, as_of=AS_OF).year_totals().get(member.pk, D(0))


def test_a_month_cap_stops_exactly_at_the_cap(tree, members, rule_set, kinds):
    rule_set.add("attendance", 1, kind=kinds.THEME_DAY, cap_month=2)
    for day in (3, 10, 17):
        held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, day))
    points = selectors.ledger([members.a[4].pk], YEAR, as_of=AS_OF).of(members.a[4].pk)
    assert [p.points for p in points] == [D(1), D(1), D(0)]
    assert points[2].capped and points[2].url.startswith("/meetings/")
    assert year_total(members.a[4]) == D(2)


def test_a_year_cap_stops_exactly_at_the_cap(tree, members, rule_set, kinds):
    rule_set.add("attendance", 2, kind=kinds.BRANCH_ASSEMBLY, cap_year=6)
    for month in (1, 4, 7, 10):
        held(tree.branch_a, kinds.BRANCH_ASSEMBLY, datetime.date(YEAR, month, 5))
    points = selectors.ledger([members.a[4].pk], YEAR, as_of=AS_OF).of(members.a[4].pk)
    assert [p.points for p in points] == [D(2), D(2), D(2), D(0)]


def test_unexcused_absence_is_deducted_and_leave_is_not(tree, members, rule_set, kinds):
    rule_set.add("attendance", 2, kind=kinds.BRANCH_ASSEMBLY)
    rule_set.add("unexcused", -3, category="incentive")
    truant, on_leave = members.a[5], members.a[6]
    held(
        tree.branch_a,
        kinds.BRANCH_ASSEMBLY,
        datetime.date(YEAR, 3, 5),
        absent={truant.pk: ("unexcused", ""), on_leave.pk: ("leave", "出差")},
    )
    assert year_total(truant) == D(-3)
    assert year_total(on_leave) == D(0)
    assert year_total(members.a[4]) == D(2)


def test_a_correction_of_the_attendance_changes_the_points(tree, members, rule_set, kinds):
    rule_set.add("attendance", 2, kind=kinds.BRANCH_ASSEMBLY)
    rule_set.add("unexcused", -3, category="incentive")
    meeting = held(tree.branch_a, kinds.BRANCH_ASSEMBLY, datetime.date(YEAR, 3, 5))
    member = members.a[5]
    assert year_total(member) == D(2)
    meeting_services.attendance_record(meeting=meeting, absent={member.pk: ("unexcused", "")})
    assert year_total(member) == D(-3)  # nothing stored: the next read follows the record


def test_an_amendment_to_an_archived_meeting_changes_the_points(tree, members, rule_set, kinds):
    """Issue 18: an amendment of the attendance of an archived record changes the points; nothing is typed twice."""
    rule_set.add("attendance", 2, kind=kinds.BRANCH_ASSEMBLY)
    rule_set.add("unexcused", -3, category="incentive")
    meeting = held(tree.branch_a, kinds.BRANCH_ASSEMBLY, datetime.date(YEAR, 3, 5))
    member = members.a[5]
    meeting_services.meeting_update(meeting=meeting, content="学习讨论")
    meeting_services.meeting_archive(meeting=meeting)
    assert year_total(member) == D(2)
    meeting_services.meeting_amend(meeting=meeting, reason="签到表核对", attendance={member.pk: ("unexcused", "")})
    assert year_total(member) == D(-3)
    meeting_services.meeting_amend(meeting=meeting, reason="补交请假条", attendance={str(member.pk): ("leave", "")})
    assert year_total(member) == D(0)


def test_a_lecture_and_dues_in_full_and_on_time_count(tree, members, rule_set, kinds):
    from branches import dues

    rule_set.add("lecture", 5, category="duty")
    rule_set.add("dues", 1, cap_month=1)
    lecturer = members.a[0]
    held(tree.branch_a, kinds.PARTY_LECTURE, datetime.date(YEAR, 5, 5), lecturer=lecturer)
    dues.dues_month_record(
        organization=tree.branch_a,
        month=datetime.date(YEAR, 1, 1),
        rows={
            lecturer.pk: (D("90.00"), datetime.date(YEAR, 1, 15)),
            members.a[1].pk: (D("90.00"), datetime.date(YEAR, 2, 3)),
        },
    )
    assert year_total(lecturer) == D(6)
    assert year_total(members.a[1]) == D(0)  # paid in full, but after the month: not 按时


def test_committee_positions_count_per_month_of_the_term(tree, members, rule_set):
    rule_set.add("committee", 1, category="duty")
    assert year_total(members.a[1]) == D(12)  # 组织委员 since 2024
    assert year_total(members.a[4]) == D(0)


def test_a_manual_item_counts_only_once_approved(tree, members, cast, rule_set):
    award = rule_set.add("manual", 5, category="incentive", evidence="")
    other = make_user("weiyuan", tree.branch_a, "secretary")
    item = services.item_record(
        organization=tree.branch_a,
        member=members.a[3],
        rule=award,
        occurred_on=datetime.date(YEAR, 6, 1),
        reason="获评优秀志愿者",
        user=cast.secretary,
        today=AS_OF,
    )
    assert year_total(members.a[3]) == D(0)
    services.item_approve(item=item, user=other)
    assert year_total(members.a[3]) == D(5)
    point = selectors.ledger([members.a[3].pk], YEAR, as_of=AS_OF).of(members.a[3].pk)[0]
    assert point.url == f"/points/items/{item.pk}/"


def test_a_refused_item_never_counts(tree, members, cast, rule_set):
    award = rule_set.add("manual", 5, category="incentive")
    other = make_user("weiyuan", tree.branch_a, "secretary")
    item = services.item_record(
        organization=tree.branch_a,
        member=members.a[3],
        rule=award,
        occurred_on=datetime.date(YEAR, 6, 1),
        reason="好人好事",
        user=cast.secretary,
        today=AS_OF,
    )
    services.item_refuse(item=item, reason="证明材料不足", user=other)
    assert ManualItem.objects.get().state == "refused"
    assert year_total(members.a[3]) == D(0)


def test_a_transferred_member_keeps_the_old_branch_points_for_those_months(tree, members, rule_set, kinds):
    rule_set.add("attendance", 1, kind=kinds.THEME_DAY, cap_month=1)
    mover = members.a[6]
    held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, 10))
    held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 4, 10))
    branch_services.member_transfer(member=mover, to_organization=tree.branch_b, on=datetime.date(YEAR, 5, 1))
    held(tree.branch_b, kinds.THEME_DAY, datetime.date(YEAR, 6, 10))
    old = selectors.branch_table(tree.branch_a, YEAR, as_of=AS_OF)
    new = selectors.branch_table(tree.branch_b, YEAR, as_of=AS_OF)
    old_row = next(r for r in old.rows if r.member.pk == mover.pk)
    new_row = next(r for r in new.rows if r.member.pk == mover.pk)
    assert old_row.months[2:6] == [D(1), D(1), D(0), D(0)] and old_row.total == D(2) and old_row.transferred
    assert new_row.months[2:6] == [D(0), D(0), D(0), D(1)] and new_row.total == D(1)
    assert old_row.year_total == new_row.year_total == D(3)


def test_the_default_scheme_applies_where_the_committee_has_none(tree, members, kinds):
    held(tree.branch_c, kinds.THEME_DAY, datetime.date(YEAR, 3, 10))
    table = selectors.branch_table(tree.branch_c, YEAR, as_of=AS_OF)
    assert table.rule_set.is_default
    assert table.rows[0].total == D(1)  # 参加主题党日 1 分
