"""Each gate and deadline of the path (recruitment.services.step_record + rules), named like the rule, with its
boundaries. The article is cited in every refusal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from branches.models import Member
from recruitment import rules, selectors, services
from recruitment.models import Person, Stage, Step

from .conftest import APPLIED, WALK, held_assembly

D = datetime.date
OPINIONS = "听取党小组、培养联系人、党员和群众意见,同意"
pytestmark = pytest.mark.django_db


def refused(fn, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return " ".join(info.value.messages)


def record(person, number, day, **data):
    return services.step_record(person=person, number=number, date=day, **data)


def test_the_whole_path_makes_a_full_member(recruit):
    person = recruit.walk(recruit(), 25)
    assert person.stage == Stage.FULL
    member = person.member
    assert member.category == Member.Category.FULL
    assert member.joined_on == WALK[15][0]
    assert member.full_on == D(2025, 5, 10)  # the day the 预备期 ended, a year after the 支部大会
    assert Step.objects.filter(person=person).count() == 26


def test_an_applicant_must_be_18_when_applying(recruit):
    message = refused(recruit, birth_date=D(2005, 1, 11), applied_on=D(2023, 1, 10))
    assert "第五条" in message and "18" in message
    assert not Person.objects.exists()


def test_an_applicant_who_turns_18_that_day_may_apply(recruit):
    assert recruit(birth_date=D(2005, 1, 10), applied_on=D(2023, 1, 10)).stage == Stage.APPLICANT


def test_a_step_cannot_be_recorded_before_those_it_depends_on(recruit):
    person = recruit()
    message = refused(record, person, 3, D(2023, 2, 1))
    assert "第八条" in message and "第2步" in message


def test_a_step_cannot_be_dated_before_the_step_it_depends_on(recruit):
    person = recruit()
    assert "不能早于第1步" in refused(record, person, 2, APPLIED - datetime.timedelta(days=1))


def test_the_talk_is_due_within_one_month_of_the_application(recruit):
    person = recruit()
    assert record(person, 2, D(2023, 2, 10)).number == 2  # exactly one month: in time


def test_a_talk_after_one_month_is_refused_without_a_reason(recruit):
    person = recruit()
    message = refused(record, person, 2, D(2023, 2, 11))
    assert "第七条" in message and "超期原因" in message


def test_a_late_talk_is_recorded_with_its_reason(recruit):
    step = record(recruit(), 2, D(2023, 3, 1), late_reason="申请人长期出差")
    assert step.late_reason == "申请人长期出差"


def test_an_activist_becomes_a_candidate_after_exactly_one_year(recruit):
    person = recruit.walk(recruit(), 6)
    assert record(person, 7, D(2024, 3, 1), notes=OPINIONS).number == 7  # step 3 was 2023-03-01


def test_an_activist_cannot_become_a_candidate_before_one_year(recruit):
    person = recruit.walk(recruit(), 6)
    assert "第十三条" in refused(record, person, 7, D(2024, 2, 29), notes=OPINIONS)


def test_an_activist_needs_a_written_review_every_six_months(recruit):
    person = recruit.walk(recruit(), 5)
    record(person, 6, D(2023, 8, 1))  # next due 2024-02-01; step 7 on 2024-03-05 leaves a gap
    message = refused(record, person, 7, D(2024, 3, 5), notes=OPINIONS)
    assert "第十一条" in message and "2023-08-01至2024-03-05" in message


def test_contacts_are_one_or_two_full_members(recruit, members, tree):
    person = recruit.walk(recruit(), 3)
    probationary = Member.objects.filter(pk=members.a[6].pk)
    probationary.update(category="probationary", full_on=None)
    message = refused(record, person, 5, D(2023, 3, 10), member_1=probationary.get())
    assert "第九条" in message


def test_a_candidate_needs_two_introducers(recruit, members):
    person = recruit.walk(recruit(), 8)
    assert "第十四条" in refused(record, person, 9, D(2024, 3, 10), member_1=members.a[0])
    assert "第十四条" in refused(record, person, 9, D(2024, 3, 10), member_1=members.a[0], member_2=members.a[0])


def test_introducers_are_full_members_in_good_standing(recruit, members):
    person = recruit.walk(recruit(), 8)
    Member.objects.filter(pk=members.a[1].pk).update(status=Member.Status.SUSPENDED)
    members.a[1].refresh_from_db()
    message = refused(record, person, 9, D(2024, 3, 10), member_1=members.a[0], member_2=members.a[1])
    assert "第十四条" in message and members.a[1].name in message


def test_a_member_under_probation_of_discipline_cannot_introduce(recruit, members):
    # 留党察看: no vote, cannot elect or be elected (DOMAIN.md "Standing of members"), so no 入党介绍人 either.
    person = recruit.walk(recruit(), 8)
    Member.objects.filter(pk=members.a[1].pk).update(disciplinary_probation=True)
    members.a[1].refresh_from_db()
    message = refused(record, person, 9, D(2024, 3, 10), member_1=members.a[0], member_2=members.a[1])
    assert "第十四条" in message and members.a[1].name in message


def test_a_probationary_member_cannot_introduce(recruit, members):
    person = recruit.walk(recruit(), 8)
    newer = Member.objects.get(pk=members.a[2].pk)
    newer.full_on = D(2024, 6, 1)  # 转正 after the day of the step: still 预备 then
    newer.save()
    assert "第十四条" in refused(record, person, 9, D(2024, 3, 10), member_1=members.a[0], member_2=newer)


@pytest.mark.parametrize(("days", "hours", "ok"), [(3, None, True), (None, 24, True), (2, 23, False)])
def test_training_is_at_least_three_days_or_24_hours(recruit, days, hours, ok):
    person = recruit.walk(recruit(), 10)
    if ok:
        assert record(person, 11, D(2024, 4, 1), training_days=days, training_hours=hours).number == 11
    else:
        assert "第十八条" in refused(record, person, 11, D(2024, 4, 1), training_days=days, training_hours=hours)


def test_the_application_form_comes_after_the_preview(recruit):
    person = recruit.walk(recruit(), 12)
    message = refused(record, person, 14, D(2024, 5, 6))
    assert "第十三步" not in message and "第13步" in message and "上级党委预审" in message


def _assembly_data(meeting, votes_for):
    return {
        "meeting": meeting,
        "votes_for": votes_for,
        "publicity_start": D(2024, 4, 22),
        "publicity_end": D(2024, 4, 26),
    }


def test_the_assembly_must_be_a_held_branch_assembly_of_the_branch(recruit, tree, members):
    person = recruit.walk(recruit(), 14)
    other = held_assembly(tree.branch_b, D(2024, 5, 10))
    assert "本支部已召开" in refused(record, person, 15, D(2024, 5, 10), **_assembly_data(other, 3))


def test_the_assembly_needs_more_than_half_of_the_voting_members_present(recruit, tree, members):
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10), absent=members.a[:4])  # 3 of 7 present
    assert "未超过半数" in refused(record, person, 15, D(2024, 5, 10), **_assembly_data(meeting, 3))


def test_an_admission_with_exactly_half_of_the_voting_members_in_favour_fails(recruit, tree, members, db):
    from tests.factories import make_member

    make_member(tree.branch_a, name="甲7")  # 8 voting members: an even count
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    message = refused(record, person, 15, D(2024, 5, 10), **_assembly_data(meeting, 4))
    assert "第二十四条" in message and "半数" in message
    assert record(person, 15, D(2024, 5, 10), **_assembly_data(meeting, 5)).voting_expected == 8


def test_the_vote_counts_the_members_who_should_attend_not_those_present(recruit, tree, members):
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10), absent=members.a[:2])  # 5 of 7 present
    assert "决议未通过" in refused(record, person, 15, D(2024, 5, 10), **_assembly_data(meeting, 3))  # 3 of 5 present
    assert record(person, 15, D(2024, 5, 10), **_assembly_data(meeting, 4)).votes_for == 4


def test_the_publicity_lasts_five_working_days_before_the_assembly(recruit, tree):
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    data = _assembly_data(meeting, 7) | {"publicity_end": D(2024, 4, 25)}
    assert "5个工作日" in refused(record, person, 15, D(2024, 5, 10), **data)


def test_the_approval_is_due_within_three_months_of_the_assembly_to_the_day(recruit):
    person = recruit.walk(recruit(), 16)
    assert record(person, 17, D(2024, 8, 10)).number == 17  # assembly 2024-05-10


def test_an_approval_one_day_after_three_months_needs_a_reason(recruit):
    person = recruit.walk(recruit(), 16)
    assert "第二十八条" in refused(record, person, 17, D(2024, 8, 11))
    assert record(person, 17, D(2024, 8, 11), late_reason="党委会延期").late_reason


def test_an_approval_after_six_months_is_refused_even_with_a_reason(recruit):
    person = recruit.walk(recruit(), 16)
    assert "六个月" in refused(record, person, 17, D(2024, 11, 11), late_reason="延期")


def test_the_approval_makes_a_probationary_member_of_the_branch(recruit, tree):
    person = recruit.walk(recruit(), 17)
    member = person.member
    assert member.category == Member.Category.PROBATIONARY
    assert member.joined_on == D(2024, 5, 10) and member.full_on is None
    assert member.organization == tree.branch_a and member.id_number == person.id_number
    assert person.stage == Stage.ADMISSION


def test_only_the_committee_records_the_committees_steps(recruit, cast, tree):
    person = recruit.walk(recruit(), 16)
    with pytest.raises(PermissionDenied):
        services.step_record(person=person, number=17, date=D(2024, 6, 1), user=cast.secretary)
    assert services.step_record(person=person, number=17, date=D(2024, 6, 1), user=cast.committee).number == 17


def test_conversion_is_discussed_when_the_probation_ends(recruit, tree):
    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 9))
    message = refused(record, person, 23, D(2025, 5, 9), meeting=meeting, votes_for=7, outcome="convert")
    assert "第三十三条" in message and "2025-05-10" in message


def test_conversion_approval_within_three_months(recruit):
    person = recruit.walk(recruit(), 23)
    assert "第三十四条" in refused(record, person, 24, D(2025, 8, 11))
    assert record(person, 24, D(2025, 8, 10)).number == 24


def test_the_probation_is_extended_once_by_6_to_12_months(recruit, tree):
    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 10))
    base = {"meeting": meeting, "votes_for": 7, "outcome": "extend"}
    assert "第三十三条" in refused(record, person, 23, D(2025, 5, 10), **base, extension_months=5)
    assert "第三十三条" in refused(record, person, 23, D(2025, 5, 10), **base, extension_months=13)
    record(person, 23, D(2025, 5, 10), **base, extension_months=6)
    record(person, 24, D(2025, 6, 1))  # 党章 第七条: the extension is in force once the superior approves it
    later = held_assembly(tree.branch_a, D(2025, 11, 10))
    again = {"meeting": later, "votes_for": 7, "outcome": "extend", "extension_months": 6}
    assert "只能延长一次" in refused(record, person, 23, D(2025, 11, 10), **again)
    record(person, 23, D(2025, 11, 10), meeting=later, votes_for=7, outcome="convert")
    record(person, 24, D(2025, 12, 1))
    person.refresh_from_db()
    assert person.member.full_on == D(2025, 11, 10)


def test_a_cancelled_probation_ends_the_path_and_the_membership(recruit, tree):
    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 10))
    record(person, 23, D(2025, 5, 10), meeting=meeting, votes_for=7, outcome="cancel")
    # 党章 第七条: 取消预备党员资格 also needs the superior's approval (step 24, within three months).
    person.refresh_from_db()
    assert person.status == Person.Status.ACTIVE and person.member.status == Member.Status.NORMAL
    assert rules.available(selectors.path_of(person)) == [24]
    record(person, 24, D(2025, 6, 1))
    person.refresh_from_db()
    assert person.status == Person.Status.LEFT and person.left_reason == "取消预备党员资格"
    assert person.member.status == Member.Status.CANCELLED  # not 出党 (Member.Status.LEFT)
    assert person.member.category == Member.Category.PROBATIONARY and person.member.full_on is None
    assert "已退出" in refused(record, person, 25, D(2025, 6, 10))


def test_the_approval_of_a_cancellation_is_due_within_three_months(recruit, tree):
    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 10))
    record(person, 23, D(2025, 5, 10), meeting=meeting, votes_for=7, outcome="cancel")
    due = {d.number: d for d in rules.next_steps(selectors.path_of(person))}
    assert due[24].due_on == D(2025, 8, 10)
    assert "第三十四条" in refused(record, person, 24, D(2025, 8, 11))


def test_a_cancelled_probation_is_its_own_status_on_the_roster_history(recruit, tree):
    from branches.dues.selectors import dues_month_rows
    from branches.models import Membership
    from branches.selectors import members_during

    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 10))
    record(person, 23, D(2025, 5, 10), meeting=meeting, votes_for=7, outcome="cancel")
    record(person, 24, D(2025, 6, 1))
    person.refresh_from_db()
    member = person.member
    assert member.get_status_display() == "取消预备党员资格"
    period = Membership.objects.get(member=member)
    assert period.ended_on == D(2025, 6, 1) and period.note == "取消预备党员资格"
    assert member not in members_during(tree.branch_a, D(2025, 6, 1), D(2025, 6, 1))  # off the roll that day
    assert member in members_during(tree.branch_a, D(2025, 5, 31), D(2025, 5, 31))
    assert member in [r.member for r in dues_month_rows(tree.branch_a, D(2025, 5, 1))]
    assert member not in [r.member for r in dues_month_rows(tree.branch_a, D(2025, 6, 1))]  # no dues from June


def test_only_a_probationary_member_can_have_the_probation_cancelled(members):
    from branches import services as branch_services

    message = refused(
        branch_services.member_leave, member=members.a[0], status=Member.Status.CANCELLED, on=D(2025, 1, 1)
    )
    assert "预备党员" in message


def test_a_person_moves_to_another_branch_with_their_history(recruit, tree):
    person = recruit.walk(recruit(), 17)
    services.person_transfer(person=person, to_branch=tree.branch_b, on=D(2024, 7, 1))
    person.refresh_from_db()
    assert person.branch == tree.branch_b and person.member.organization == tree.branch_b
    assert person.steps.count() == 18 and person.steps.filter(organization=tree.branch_a).count() == 18
    assert person.transfers.get().from_branch == tree.branch_a


def test_a_person_leaves_the_path_with_a_reason_and_nothing_is_deleted(recruit):
    person = recruit.walk(recruit(), 3)
    assert "退出原因" in refused(services.person_leave, person=person, on=D(2023, 4, 1), reason=" ")
    services.person_leave(person=person, on=D(2023, 4, 1), reason="本人放弃")
    person.refresh_from_db()
    assert person.status == Person.Status.LEFT and person.steps.count() == 3


def test_a_unique_step_is_recorded_once(recruit):
    person = recruit.walk(recruit(), 2)
    assert "现在不能记录" in refused(record, person, 2, D(2023, 1, 25))


def test_a_step_cannot_be_in_the_future(recruit):
    person = recruit()
    assert "晚于今天" in refused(record, person, 2, D(2023, 1, 20), today=D(2023, 1, 15))


def test_the_approval_deadline_runs_while_the_committees_talk_is_not_recorded(recruit):
    from recruitment.selectors import overdue_steps

    person = recruit.walk(recruit(), 15)
    due = {d.number: d for d in rules.next_steps(selectors.path_of(person))}
    assert due[17].due_on == D(2024, 8, 10) and not due[17].available and due[16].available
    assert [o.number for o in overdue_steps(today=D(2024, 8, 11), branch=person.branch)] == [17]


def test_the_conversion_is_due_when_the_probation_ends_even_before_the_application(recruit):
    person = recruit.walk(recruit(), 20)
    due = {d.number: d for d in rules.next_steps(selectors.path_of(person))}
    assert due[23].due_on == D(2025, 5, 10) and not due[23].available


def test_where_the_form_comes_after_the_publicity_it_is_checked_at_step_14(recruit, settings, tree):
    settings.RECRUITMENT_FORM_AFTER_PUBLICITY = True
    person = recruit.walk(recruit(), 13)  # 预审 2024-04-20
    assert "发放入党志愿书前须对发展对象公示" in refused(record, person, 14, D(2024, 5, 6))
    assert "不少于5个工作日" in refused(
        record, person, 14, D(2024, 5, 6), publicity_start=D(2024, 4, 22), publicity_end=D(2024, 4, 25)
    )
    record(person, 14, D(2024, 5, 6), publicity_start=D(2024, 4, 22), publicity_end=D(2024, 4, 26))
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    assert record(person, 15, D(2024, 5, 10), meeting=meeting, votes_for=7).number == 15


def test_the_publicity_can_be_switched_off(recruit, settings, tree):
    settings.RECRUITMENT_PUBLICITY_WORKING_DAYS = 0
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    assert record(person, 15, D(2024, 5, 10), meeting=meeting, votes_for=7).number == 15


# ------------------------------------------------------------------ 支部大会 discussed again (local practice)


def test_a_failed_assembly_is_recorded_as_not_passed_and_admits_nobody(recruit, tree):
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    step = record(person, 15, D(2024, 5, 10), **_assembly_data(meeting, 3), outcome="rejected")  # 3 of 7
    person.refresh_from_db()
    assert step.get_outcome_display() == "支部大会表决未通过" and person.member is None
    path = selectors.path_of(person)
    assert not path.has(15) and 16 not in rules.available(path, D(2024, 6, 1))


def test_a_passed_vote_cannot_be_recorded_as_not_passed(recruit, tree):
    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    assert "决议通过" in refused(record, person, 15, D(2024, 5, 10), **_assembly_data(meeting, 4), outcome="rejected")


def test_a_failed_assembly_is_discussed_again_after_six_months_exactly(recruit, tree):
    person = recruit.walk(recruit(), 14)
    first = held_assembly(tree.branch_a, D(2024, 5, 10))
    record(person, 15, D(2024, 5, 10), **_assembly_data(first, 2), outcome="rejected")
    early = held_assembly(tree.branch_a, D(2024, 11, 9))
    message = refused(record, person, 15, D(2024, 11, 9), **_assembly_data(early, 7))
    assert "第二十四条(本地规定)" in message and "2024-11-10" in message
    again = held_assembly(tree.branch_a, D(2024, 11, 10))
    assert record(person, 15, D(2024, 11, 10), **_assembly_data(again, 7)).number == 15
    record(person, 16, D(2024, 11, 20))
    record(person, 17, D(2024, 12, 1))
    person.refresh_from_db()
    assert person.member.joined_on == D(2024, 11, 10)  # the discussion that passed


def test_the_wait_after_a_failed_assembly_can_be_switched_off(recruit, tree, settings):
    settings.RECRUITMENT_REJECTED_WAIT_MONTHS = 0
    person = recruit.walk(recruit(), 14)
    first = held_assembly(tree.branch_a, D(2024, 5, 10))
    record(person, 15, D(2024, 5, 10), **_assembly_data(first, 2), outcome="rejected")
    again = held_assembly(tree.branch_a, D(2024, 6, 10))
    assert record(person, 15, D(2024, 6, 10), **_assembly_data(again, 7)).number == 15


def test_an_admission_not_approved_within_six_months_is_discussed_again(recruit, tree):
    person = recruit.walk(recruit(), 16)  # 支部大会 2024-05-10, not approved
    path = selectors.path_of(person)
    assert 15 not in rules.available(path, D(2024, 11, 10))  # six months to the day: the approval may still come
    assert 15 in rules.available(path, D(2024, 11, 11))
    early = held_assembly(tree.branch_a, D(2024, 11, 10))
    assert "待上级党委审批" in refused(record, person, 15, D(2024, 11, 10), **_assembly_data(early, 7))
    again = held_assembly(tree.branch_a, D(2024, 11, 11))
    record(person, 15, D(2024, 11, 11), **_assembly_data(again, 7))
    assert "第二十八条" in refused(record, person, 17, D(2024, 11, 10))
    record(person, 17, D(2025, 1, 5))  # within three months of the new discussion
    person.refresh_from_db()
    assert person.member.joined_on == D(2024, 11, 11)
    assert selectors.path_of(person).probation_ends() == D(2025, 11, 11)


def test_the_rediscussion_rule_can_be_switched_off(recruit, settings):
    settings.RECRUITMENT_REDISCUSS_AFTER_MONTHS = None
    person = recruit.walk(recruit(), 16)
    assert 15 not in rules.available(selectors.path_of(person), D(2025, 6, 1))


def test_a_political_review_is_valid_for_exactly_one_year_at_the_assembly(recruit, tree):
    person = recruit.walk(recruit(), 14)  # 政治审查 2024-03-20
    late = held_assembly(tree.branch_a, D(2025, 3, 21))
    message = refused(record, person, 15, D(2025, 3, 21), **_assembly_data(late, 7))
    assert "第十七条(本地规定)" in message and "有效期1年" in message
    in_time = held_assembly(tree.branch_a, D(2025, 3, 20))
    assert record(person, 15, D(2025, 3, 20), **_assembly_data(in_time, 7)).number == 15


def test_the_political_review_validity_can_be_switched_off(recruit, tree, settings):
    settings.RECRUITMENT_POLITICAL_REVIEW_VALID_YEARS = None
    person = recruit.walk(recruit(), 14)
    late = held_assembly(tree.branch_a, D(2025, 3, 21))
    assert record(person, 15, D(2025, 3, 21), **_assembly_data(late, 7)).number == 15


def test_where_configured_the_assembly_discusses_within_one_month_of_the_preview(recruit, tree, settings):
    settings.RECRUITMENT_ASSEMBLY_WITHIN_MONTHS_OF_PREVIEW = 1
    person = recruit.walk(recruit(), 14)  # 预审 2024-04-20
    late = held_assembly(tree.branch_a, D(2024, 5, 21))
    assert "预审后1个月内" in refused(record, person, 15, D(2024, 5, 21), **_assembly_data(late, 7))
    in_time = held_assembly(tree.branch_a, D(2024, 5, 20))
    assert record(person, 15, D(2024, 5, 20), **_assembly_data(in_time, 7)).number == 15


def test_a_review_every_six_months_is_met_to_the_day(recruit):
    person = recruit.walk(recruit(), 5)  # 积极分子 2023-03-01
    record(person, 6, D(2023, 9, 1))  # exactly six months
    record(person, 6, D(2024, 3, 1))  # exactly six months again
    assert record(person, 7, D(2024, 3, 1), notes=OPINIONS).number == 7


def test_a_review_one_day_after_six_months_leaves_a_gap(recruit):
    person = recruit.walk(recruit(), 5)
    record(person, 6, D(2023, 9, 2))
    record(person, 6, D(2024, 3, 1))
    assert "2023-03-01至2023-09-02" in refused(record, person, 7, D(2024, 3, 1), notes=OPINIONS)


def test_an_approval_at_exactly_six_months_is_recorded_with_its_reason(recruit):
    person = recruit.walk(recruit(), 16)  # 支部大会 2024-05-10
    assert record(person, 17, D(2024, 11, 10), late_reason="党委会延期").number == 17


def _held(branch, kind, day):
    from meetings import services as meeting_services

    meeting = meeting_services.meeting_plan(organization=branch, kind=kind, date=day, topic="研究发展党员工作")
    return meeting_services.meeting_hold(meeting=meeting, absent={})


def test_an_activist_is_decided_by_the_branch_committee(recruit, tree):
    from meetings.models import Meeting

    person = recruit.walk(recruit(), 2)  # branch A has a committee
    assembly = _held(tree.branch_a, Meeting.Kind.BRANCH_ASSEMBLY, D(2023, 3, 1))
    assert "第八条" in refused(record, person, 3, D(2023, 3, 1), meeting=assembly)
    other = _held(tree.branch_b, Meeting.Kind.BRANCH_ASSEMBLY, D(2023, 3, 1))
    assert "第八条" in refused(record, person, 3, D(2023, 3, 1), meeting=other)
    committee = _held(tree.branch_a, Meeting.Kind.BRANCH_COMMITTEE, D(2023, 3, 1))
    assert "会议日期" in refused(record, person, 3, D(2023, 3, 2), meeting=committee)
    assert record(person, 3, D(2023, 3, 1), meeting=committee).meeting == committee


def test_where_the_branch_has_no_committee_the_assembly_decides(recruit, tree):
    from branches.models import CommitteeTerm
    from meetings.models import Meeting

    person = recruit.walk(recruit(), 6)
    committee = _held(tree.branch_a, Meeting.Kind.BRANCH_COMMITTEE, D(2024, 3, 5))
    CommitteeTerm.objects.filter(organization=tree.branch_a).update(has_committee=False)
    assert "第十三条" in refused(record, person, 7, D(2024, 3, 5), meeting=committee, notes=OPINIONS)
    assembly = _held(tree.branch_a, Meeting.Kind.BRANCH_ASSEMBLY, D(2024, 3, 5))
    assert record(person, 7, D(2024, 3, 5), meeting=assembly, notes=OPINIONS).number == 7


def test_a_cancellation_is_not_typed_on_the_member_record(members):
    from branches import services as branch_services

    message = refused(branch_services.member_update, member=members.a[0], status=Member.Status.CANCELLED)
    assert "发展党员流程" in message
