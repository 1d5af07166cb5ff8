"""The meeting services: roll, quorum, lifecycle, the locked archive, amendments and attachments."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from branches import services as branch_services
from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAttachment
from tests.factories import make_member, make_organization, start_term
from tests.meetings.meeting_helpers import PAST, K, absent, archived, hold, plan

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def roll_ids(meeting):
    return set(meeting.attendances.values_list("member_id", flat=True))


# ---- the roll -------------------------------------------------------------------------------------------------


def test_assembly_roll_is_every_member_of_the_branch(tree, members):
    meeting = plan(tree)
    assert roll_ids(meeting) == {m.pk for m in members.a}
    assert all(meeting.attendances.values_list("present", flat=True))


def test_group_meeting_roll_is_the_groups_members(tree, members):
    meeting = plan(tree, K.GROUP_MEETING, group=tree.group_a)
    assert roll_ids(meeting) == {m.pk for m in members.a[:4]}


def test_committee_roll_is_the_committee_in_force(tree, members):
    meeting = plan(tree, K.BRANCH_COMMITTEE)
    assert roll_ids(meeting) == {m.pk for m in members.a[:3]}


def test_roll_is_as_of_the_meeting_date(tree, members):
    leaver, comer = members.a[6], members.b[2]
    branch_services.member_transfer(member=leaver, to_organization=tree.branch_b, on=datetime.date(2025, 2, 1))
    branch_services.member_transfer(member=comer, to_organization=tree.branch_a, on=datetime.date(2025, 3, 1))
    meeting = plan(tree, date=datetime.date(2025, 3, 10))
    assert leaver.pk not in roll_ids(meeting)
    assert comer.pk in roll_ids(meeting)
    earlier = plan(tree, date=datetime.date(2025, 1, 10))
    assert leaver.pk in roll_ids(earlier)
    assert comer.pk not in roll_ids(earlier)


def test_a_member_who_left_is_not_on_a_future_roll(tree, members):
    branch_services.member_leave(member=members.a[5], status="deceased", on=timezone.localdate())
    meeting = plan(tree, date=timezone.localdate() + datetime.timedelta(days=3))
    assert members.a[5].pk not in roll_ids(meeting)


# ---- planning rules -------------------------------------------------------------------------------------------


def test_branch_without_committee_cannot_plan_a_committee_meeting(tree, members):
    with pytest.raises(ValidationError, match="未设立委员会"):
        plan(tree, K.BRANCH_COMMITTEE, organization=tree.branch_b)


def test_group_meeting_needs_a_group_of_the_branch(tree, members):
    with pytest.raises(ValidationError, match="须选择党小组"):
        plan(tree, K.GROUP_MEETING)
    other_group = make_organization(tree.branch_b, "group")
    with pytest.raises(ValidationError, match="不属于本支部"):
        plan(tree, K.GROUP_MEETING, group=other_group)


def test_only_group_meetings_have_a_group(tree, members):
    with pytest.raises(ValidationError, match="只有党小组会"):
        plan(tree, K.THEME_DAY, group=tree.group_a)


def test_group_is_required_for_group_meetings_in_the_database(tree, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(organization=tree.branch_a, kind=K.GROUP_MEETING, date=PAST, topic="x")


def test_democratic_life_is_for_committees(tree, members):
    with pytest.raises(ValidationError, match="不召开民主生活会"):
        plan(tree, K.DEMOCRATIC_LIFE)


def test_meeting_before_the_branch_existed_is_refused(tree, members):
    with pytest.raises(ValidationError, match="早于组织成立日期"):
        plan(tree, date=datetime.date(2014, 5, 1))


def test_the_secretary_hosts_by_default(tree, members):
    meeting = plan(tree)
    assert (meeting.host, meeting.host_role) == (members.a[0], "书记")
    assert plan(tree, K.GROUP_MEETING, group=tree.group_a).host is None


def test_first_topic_becomes_the_flagged_first_agenda_item(tree, members):
    meeting = plan(tree, first_topic="学习习近平总书记重要讲话精神", agenda=["发展党员", "", "党费收缴"])
    items = list(meeting.agenda_items.order_by("order").values_list("order", "title", "is_first_topic"))
    assert items == [(1, "学习习近平总书记重要讲话精神", True), (2, "发展党员", False), (3, "党费收缴", False)]
    assert meeting.first_topic_flag


def test_only_one_first_topic_per_meeting_in_the_database(tree, members):
    meeting = plan(tree, first_topic="学习")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, order=9, title="又一个", is_first_topic=True)


# ---- holding and the quorum rules -----------------------------------------------------------------------------


def test_holding_records_absentees_and_everybody_else_present(tree, members):
    meeting = hold(plan(tree), absentees=[members.a[6]])
    counted = Meeting.objects.with_counts().get(pk=meeting.pk)
    assert (counted.expected_count, counted.present_count) == (7, 6)
    row = Attendance.objects.get(meeting=meeting, member=members.a[6])
    assert (row.present, row.absence_reason) == (False, "leave")
    assert meeting.status == Meeting.Status.HELD and meeting.held_at


def test_an_absentee_needs_a_reason(tree, members):
    meeting = plan(tree)
    with pytest.raises(ValidationError, match="缺席原因"):
        services.attendance_record(meeting=meeting, absent={members.a[6].pk: ("", "")})


def test_absentee_without_reason_is_refused_by_the_database(tree, members):
    meeting = plan(tree)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.filter(meeting=meeting, member=members.a[0]).update(present=False)


def test_absentee_must_be_on_the_roll(tree, members):
    meeting = plan(tree)
    with pytest.raises(ValidationError, match="不在本次会议"):
        services.attendance_record(meeting=meeting, absent=absent(members.b[0]))


def test_a_future_meeting_cannot_be_held(tree, members):
    meeting = plan(tree, date=timezone.localdate() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="还没到"):
        hold(meeting)


def test_a_lecture_needs_a_lecturer_when_held(tree, members):
    meeting = plan(tree, K.PARTY_LECTURE)
    with pytest.raises(ValidationError, match="授课人"):
        hold(meeting)
    hold(meeting, lecturer_name="市委党校 王老师")
    assert Meeting.objects.get(pk=meeting.pk).lecturer_display == "市委党校 王老师"


def _assembly_with(tree, branch, full, probationary):
    """A branch with `full` voting and `probationary` non-voting members."""
    del branch
    b = make_organization(tree.committee_a, "branch")
    voters = [make_member(b) for _ in range(full)]
    non_voters = [make_member(b, category="probationary") for _ in range(probationary)]
    return b, voters, non_voters


def test_assembly_with_exactly_half_of_voters_cannot_decide(tree, members):
    branch, voters, non_voters = _assembly_with(tree, None, 4, 3)
    meeting = plan(tree, organization=branch)
    # 2 of 4 voters present: exactly half is not more than half, even with every 预备党员 present.
    with pytest.raises(ValidationError, match="到会有表决权的党员未超过半数,不能作出决议"):
        hold(meeting, absentees=voters[:2], resolutions="同意接收张三为预备党员")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_assembly_without_quorum_may_still_be_held_without_resolutions(tree, members):
    branch, voters, _ = _assembly_with(tree, None, 4, 0)
    meeting = hold(plan(tree, organization=branch), absentees=voters[:2])
    assert meeting.status == Meeting.Status.HELD
    q = services.quorum(Meeting.objects.with_counts().get(pk=meeting.pk))
    assert not q.ok and (q.expected, q.present) == (4, 2)


def test_assembly_with_half_plus_one_voters_can_decide(tree, members):
    branch, voters, non_voters = _assembly_with(tree, None, 4, 3)
    meeting = hold(plan(tree, organization=branch), absentees=voters[:1] + non_voters, resolutions="同意")
    assert meeting.status == Meeting.Status.HELD
    q = services.quorum(Meeting.objects.with_counts().get(pk=meeting.pk))
    assert q.ok and (q.expected, q.present) == (4, 3)


def test_probationary_members_do_not_count_as_voters(tree, members):
    branch, voters, non_voters = _assembly_with(tree, None, 3, 4)
    meeting = plan(tree, organization=branch)
    with pytest.raises(ValidationError, match="未超过半数"):
        hold(meeting, absentees=voters[:2], resolutions="同意")


def test_changing_attendance_of_a_held_meeting_rechecks_the_quorum(tree, members):
    branch, voters, _ = _assembly_with(tree, None, 4, 0)
    meeting = hold(plan(tree, organization=branch), absentees=voters[:1], resolutions="同意")
    with pytest.raises(ValidationError, match="未超过半数"):
        services.attendance_record(meeting=meeting, absent=absent(*voters[:2]))


def test_committee_meeting_needs_more_than_half_of_the_committee(tree, members):
    committee = members.a[:3]
    meeting = plan(tree, K.BRANCH_COMMITTEE)
    with pytest.raises(ValidationError, match="到会支部委员未超过半数"):
        hold(meeting, absentees=committee[:2], resolutions="研究决定")
    hold(meeting, absentees=committee[:1], resolutions="研究决定")


def _committee_with_leaders(tree, n):
    """民主生活会 of committee A with a leadership team of `n` members."""
    leaders = [make_member(tree.branch_a) for _ in range(n)]
    start_term(
        organization=tree.committee_a,
        started_on=datetime.date(2023, 1, 1),
        positions=[(m, "secretary" if i == 0 else "member") for i, m in enumerate(leaders)],
    )
    return leaders


def test_democratic_life_needs_two_thirds_present_to_decide(tree, members):
    leaders = _committee_with_leaders(tree, 6)
    meeting = plan(tree, K.DEMOCRATIC_LIFE, organization=tree.committee_a)
    # 3 of 6 absent: half present is short of two thirds.
    with pytest.raises(ValidationError, match="三分之二"):
        hold(meeting, absentees=leaders[:3], resolutions="整改措施")
    # exactly two thirds (4 of 6) is enough
    held = hold(meeting, absentees=leaders[:2], resolutions="整改措施")
    assert held.status == Meeting.Status.HELD


def test_democratic_life_short_of_two_thirds_is_held_but_flagged(tree, members):
    leaders = _committee_with_leaders(tree, 6)
    meeting = hold(plan(tree, K.DEMOCRATIC_LIFE, organization=tree.committee_a), absentees=leaders[:3])
    q = services.quorum(Meeting.objects.with_counts().get(pk=meeting.pk))
    assert not q.ok and "另行召开" in q.message


# ---- the locked archive ---------------------------------------------------------------------------------------


def test_only_held_meetings_can_be_archived(tree, members):
    with pytest.raises(ValidationError, match="只有已召开"):
        services.meeting_archive(meeting=plan(tree))


def test_archiving_needs_the_record(tree, members):
    meeting = hold(plan(tree), content="")
    with pytest.raises(ValidationError, match="会议内容为空"):
        services.meeting_archive(meeting=meeting)


def test_archived_meeting_cannot_be_edited(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError) as err:
        services.meeting_update(meeting=meeting, topic="改过的主题")
    assert err.value.code == "archived"
    assert Meeting.objects.get(pk=meeting.pk).topic == "会议"


def test_archived_meeting_attendance_cannot_change(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError, match="已归档"):
        services.attendance_record(meeting=meeting, absent=absent(members.a[0]))


def test_archived_meeting_cannot_be_deleted(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError, match="已归档"):
        services.meeting_delete(meeting=meeting)
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_held_meeting_cannot_be_deleted_but_a_plan_can(tree, members):
    with pytest.raises(ValidationError, match="不能删除"):
        services.meeting_delete(meeting=hold(plan(tree)))
    meeting = plan(tree)
    services.meeting_delete(meeting=meeting)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_archived_meeting_takes_no_attachment(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError, match="已归档"):
        services.attachment_add(meeting=meeting, file=SimpleUploadedFile("a.png", PNG))


def test_archived_meeting_cannot_be_held_or_archived_again(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError, match="已归档"):
        services.meeting_archive(meeting=meeting)
    with pytest.raises(ValidationError, match="已归档"):
        hold(meeting)


def test_a_stale_copy_of_an_archived_meeting_cannot_be_edited(tree, members):
    meeting = hold(plan(tree))
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_archive(meeting=meeting)
    with pytest.raises(ValidationError, match="已归档"):
        services.meeting_update(meeting=stale, topic="x")


# ---- amendments ----------------------------------------------------------------------------------------------


def test_amendment_stores_old_and_new_and_leaves_the_record(tree, members):
    meeting = archived(tree)
    amendment = services.meeting_amend(
        meeting=meeting, reason="记录有误", changes={"place": "三楼会议室", "host": members.a[1].name}
    )
    assert amendment.changes == {"place": ["", "三楼会议室"], "host": [members.a[0].name, members.a[1].name]}
    assert Meeting.objects.get(pk=meeting.pk).place == ""


def test_amendment_needs_a_reason_and_a_change(tree, members):
    meeting = archived(tree)
    with pytest.raises(ValidationError, match="更正原因"):
        services.meeting_amend(meeting=meeting, reason=" ", changes={"place": "x"})
    with pytest.raises(ValidationError, match="相同"):
        services.meeting_amend(meeting=meeting, reason="r", changes={"topic": "会议"})
    with pytest.raises(ValidationError, match="不能更正"):
        services.meeting_amend(meeting=meeting, reason="r", changes={"status": "planned"})


def test_an_attendance_amendment_is_applied_to_the_roll_and_kept_beside_the_record(tree, members):
    meeting = archived(tree)
    member = members.a[1]
    amendment = services.meeting_amend(
        meeting=meeting, reason="签到表核对有误", attendance={member.pk: ("sick", "住院")}
    )
    assert amendment.changes == {f"attendance:{member.pk}:{member.name}": ["出席", "缺席(病假:住院)"]}
    assert amendment.change_rows == [(f"出席情况({member.name})", "出席", "缺席(病假:住院)")]
    row = Attendance.objects.get(meeting=meeting, member=member)
    assert (row.present, row.absence_reason, row.note) == (False, "sick", "住院")
    assert row.history.count() >= 2  # the archived entry stays in the roll's history
    with pytest.raises(ValidationError, match="相同"):
        services.meeting_amend(meeting=meeting, reason="r", attendance={member.pk: ("sick", "住院")})
    with pytest.raises(ValidationError, match="不在本次会议"):
        services.meeting_amend(meeting=meeting, reason="r", attendance={members.b[0].pk: None})
    with pytest.raises(ValidationError, match="缺席原因"):
        services.meeting_amend(meeting=meeting, reason="r", attendance={member.pk: ("nap", "")})


def test_amendment_is_only_for_archived_meetings(tree, members):
    with pytest.raises(ValidationError, match="直接编辑"):
        services.meeting_amend(meeting=hold(plan(tree)), reason="r", changes={"place": "x"})


# ---- attachments ---------------------------------------------------------------------------------------------


def test_attachment_is_stored_under_our_own_name(tree, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = plan(tree)
    attachment = services.attachment_add(meeting=meeting, file=SimpleUploadedFile("../../etc/签到表 1.PDF", PDF))
    assert attachment.original_name == "签到表_1.PDF"
    assert attachment.file.name.startswith("meetings/") and ".." not in attachment.file.name
    assert "签到表" not in attachment.file.name and attachment.file.name.endswith(".pdf")


def test_attachment_type_is_checked_by_extension_and_content(tree, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = plan(tree)
    with pytest.raises(ValidationError, match="只能上传"):
        services.attachment_add(meeting=meeting, file=SimpleUploadedFile("a.exe", PNG))
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.attachment_add(meeting=meeting, file=SimpleUploadedFile("a.png", b"MZ\x90\x00 not a png"))
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.attachment_add(meeting=meeting, file=SimpleUploadedFile("a.jpg", PDF))
    assert not MeetingAttachment.objects.exists()


def test_attachment_size_is_limited(tree, members, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEETING_ATTACHMENT_MAX_BYTES = 50
    with pytest.raises(ValidationError, match="文件过大"):
        services.attachment_add(meeting=plan(tree), file=SimpleUploadedFile("a.png", PNG))


# ---- history -------------------------------------------------------------------------------------------------


def test_every_change_is_in_the_history(tree, members, cast):
    meeting = plan(tree, user=cast.secretary)
    services.meeting_update(meeting=meeting, topic="新主题", user=cast.secretary)
    hold(meeting, user=cast.secretary, absentees=[members.a[6]])
    services.meeting_archive(meeting=meeting, user=cast.secretary)
    statuses = list(meeting.history.order_by("history_date").values_list("status", "history_user__username"))
    assert statuses[0] == ("planned", "secretary")
    assert statuses[-1] == ("archived", "secretary")
    assert Attendance.history.filter(meeting_id=meeting.pk, present=False).exists()
