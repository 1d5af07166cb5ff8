"""Meeting pages: the access matrix of the cast, the one-screen record, the locked archive in the UI, query counts."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from branches import panels
from meetings import services
from meetings.attendance import QUORUM_RULES
from meetings.models import Attendance, Meeting, MeetingAmendment, MeetingAttachment
from tests.meetings.meeting_helpers import PAST, K, archived, complete, hold, plan

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def meeting(tree, members, cast):
    return plan(tree, K.BRANCH_COMMITTEE, topic="研究发展党员", user=cast.secretary)


def url(name, *args, query=""):
    return reverse(f"meetings:{name}", args=args) + query


def record_data(meeting, *, absent=(), **fields):
    data = {"date": meeting.date.isoformat(), "topic": meeting.topic, "content": "学习并讨论", **fields}
    for row in meeting.attendances.all():
        if row.member_id in absent:
            data[f"reason_{row.member_id}"] = absent[row.member_id]
        else:
            data[f"present_{row.member_id}"] = "on"
    return data


# ---- access matrix -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [("secretary", 200), ("committee", 200), ("sasac", 200), ("admin", 200), ("secretary2", 404)],
)
def test_meeting_page_access(client_for, meeting, who, status):
    assert client_for(who).get(url("meeting_detail", meeting.pk)).status_code == status


def test_anonymous_is_sent_to_login(client_for, meeting):
    for target in [
        url("meeting_list"),
        url("meeting_detail", meeting.pk),
        url("meeting_record", meeting.pk),
        url("calendar"),
        url("year_plan", query="?org=EA-B1"),
        url("meeting_create", query="?org=EA-B1"),
    ]:
        response = client_for(None).get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url, target


@pytest.mark.parametrize(
    "who,status", [("secretary", 200), ("committee", 200), ("admin", 200), ("sasac", 403), ("secretary2", 404)]
)
def test_record_screen_access(client_for, meeting, who, status):
    assert client_for(who).get(url("meeting_record", meeting.pk)).status_code == status


@pytest.mark.parametrize("who,status", [("sasac", 403), ("secretary2", 404)])
def test_writes_are_refused_to_reader_and_outsider(client_for, meeting, who, status):
    client = client_for(who)
    for target, data in [
        (url("meeting_record", meeting.pk), record_data(meeting)),
        (url("meeting_edit", meeting.pk), {"date": "2025-03-11", "topic": "x"}),
        (url("meeting_archive", meeting.pk), {}),
        (url("meeting_delete", meeting.pk), {}),
        (url("meeting_amend", meeting.pk), {"field": "place", "new_value": "x", "reason": "r"}),
        (url("attachment_upload", meeting.pk), {"kind": "photo", "file": SimpleUploadedFile("a.png", PNG)}),
    ]:
        assert client.post(target, data).status_code == status, target
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert fresh.status == Meeting.Status.PLANNED and fresh.topic == "研究发展党员"


@pytest.mark.parametrize("who,status", [("sasac", 403), ("secretary2", 404)])
def test_planning_is_refused_to_reader_and_outsider(client_for, tree, members, who, status):
    client = client_for(who)
    assert client.get(url("meeting_create", query="?org=EA-B1")).status_code == status
    data = {"org": "EA-B1", "kind": "theme_day", "period": "2025-03"}
    assert client.post(url("plan_quick"), data).status_code == status
    assert not Meeting.objects.exists()


def test_outsider_cannot_see_the_branch_in_list_calendar_or_plan(client_for, meeting):
    client = client_for("secretary2")
    assert meeting.topic not in client.get(url("meeting_list")).content.decode()
    month = f"?year={meeting.date.year}&month={meeting.date.month}"
    assert meeting.topic not in client.get(url("calendar", query=month)).content.decode()
    assert client.get(url("meeting_list", query="?org=EA-B1")).status_code == 404
    assert client.get(url("calendar", query="?org=EA-B1")).status_code == 404
    assert client.get(url("year_plan", query="?org=EA-B1")).status_code == 404


def test_secretary2_cannot_touch_secretarys_attachments(client_for, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = services.attachment_add(meeting=meeting, file=SimpleUploadedFile("a.png", PNG))
    assert client_for("secretary2").get(url("attachment_download", attachment.pk)).status_code == 404
    assert client_for("secretary2").post(url("attachment_delete", attachment.pk)).status_code == 404
    assert client_for("sasac").post(url("attachment_delete", attachment.pk)).status_code == 403
    response = client_for("sasac").get(url("attachment_download", attachment.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert MeetingAttachment.objects.filter(pk=attachment.pk).exists()


def test_reader_sees_no_write_buttons(client_for, meeting):
    body = client_for("sasac").get(url("meeting_detail", meeting.pk)).content.decode()
    assert "登记召开" not in body and "编辑计划" not in body


# ---- plan --------------------------------------------------------------------------------------------------


def test_secretary_plans_a_meeting_with_its_roll(client_for, tree, members):
    response = client_for("secretary").post(
        url("meeting_create", query="?org=EA-B1"),
        {"kind": "branch_assembly", "date": "2025-03-12", "topic": "季度党员大会", "first_topic": "学习讲话精神"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == url("meeting_detail", meeting.pk)
    assert meeting.attendances.count() == 7 and meeting.first_topic_flag


def test_plan_form_keeps_typed_values_on_error(client_for, tree, members):
    response = client_for("secretary2").post(
        url("meeting_create", query="?org=EA-B2"),
        {"kind": "branch_committee", "date": "2025-03-12", "topic": "我输入的主题", "place": "二楼会议室"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "未设立委员会" in body
    assert "我输入的主题" in body and "二楼会议室" in body


def test_officer_plans_in_a_branch_of_the_subtree(client_for, tree, members):
    response = client_for("committee").post(
        url("meeting_create", query="?org=EA-B2"), {"kind": "theme_day", "date": "2025-03-12", "topic": "主题党日"}
    )
    assert response.status_code == 302 and Meeting.objects.get().organization == tree.branch_b


def test_quick_plan_from_the_todo(client_for, tree, members):
    response = client_for("secretary").post(
        url("plan_quick"), {"org": "EA-B1", "kind": "group_meeting", "period": "2025-04", "group": tree.group_a.pk}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == url("meeting_detail", meeting.pk)
    assert (meeting.kind, meeting.group, meeting.date) == (K.GROUP_MEETING, tree.group_a, datetime.date(2025, 4, 30))
    assert meeting.topic == "2025年4月党小组会"


# ---- record (one screen) -----------------------------------------------------------------------------------


def test_record_screen_shows_the_roll_filled(client_for, meeting, members):
    body = client_for("secretary").get(url("meeting_record", meeting.pk)).content.decode()
    for m in members.a[:3]:
        assert m.name in body
    assert "请假" in body and "病假" in body and "无故" in body


def test_recording_holds_the_meeting_with_an_absentee(client_for, meeting, members):
    absentee = members.a[2]
    data = record_data(meeting, absent={absentee.pk: "official"}, resolutions="同意", place="党员活动室")
    response = client_for("secretary").post(url("meeting_record", meeting.pk), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and meeting.place == "党员活动室"
    assert Attendance.objects.get(meeting=meeting, member=absentee).absence_reason == "official"


def test_absentee_without_reason_keeps_the_typed_record(client_for, meeting, members):
    data = record_data(meeting, absent={members.a[2].pk: ""}, content="我写的会议内容")
    response = client_for("secretary").post(url("meeting_record", meeting.pk), data)
    body = response.content.decode()
    assert response.status_code == 200 and "缺席原因" in body and "我写的会议内容" in body
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_quorum_refusal_is_shown_on_the_form(client_for, meeting, members):
    committee = members.a[:3]
    data = record_data(meeting, absent={committee[0].pk: "leave", committee[1].pk: "sick"}, resolutions="决定事项")
    body = client_for("secretary").post(url("meeting_record", meeting.pk), data).content.decode()
    assert "到会支部委员未超过半数" in body and "决定事项" in body
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_record_page_carries_the_quorum_rule_of_the_service_as_data(client_for, meeting, members):
    """The page and static/js/meetings.js get the rule's thresholds and texts from the service, not a copy."""
    response = client_for("secretary").get(url("meeting_record", meeting.pk))
    body = response.content.decode()
    rule = QUORUM_RULES[meeting.kind]
    data = json.loads(body.split('<script id="quorum-rule-data" type="application/json">')[1].split("</script>")[0])
    assert data == {**rule.as_data()} and data["numerator"] == 1 and data["denominator"] == 2 and data["strict"]
    assert rule.refusal in body and f"{rule.rule}方能作出决议" in body
    voting = {m.pk for m in members.a[:3] if m.full_on and m.full_on <= meeting.date}
    assert body.count('data-voting="1"') == len(voting) and 'data-rule="' not in body
    assert "{#" not in body and "form.roll rows" not in body  # the shared roll snippet's comment stays a comment


def test_archive_button_archives_a_held_meeting(client_for, meeting, members):
    hold(meeting, **complete(members))
    response = client_for("secretary").post(url("meeting_archive", meeting.pk))
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ARCHIVED


def test_the_meeting_page_names_what_an_incomplete_record_lacks_and_archiving_it_is_refused(client_for, meeting):
    """Every archive path checks completeness (meetings/completeness.py): the page lists the gaps in Chinese and offers
    补全记录 instead of 归档; a POST to the archive anyway is refused with the same words and archives nothing."""
    hold(meeting)  # no 记录人, no 议题
    client = client_for("secretary")
    body = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert 'id="archive-gaps"' in body and "请选择记录人。" in body and "支部委员会须写明议题(或第一议题)。" in body
    assert "补全记录" in body and url("meeting_archive", meeting.pk) not in body
    response = client.post(url("meeting_archive", meeting.pk), follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["还不能归档,请先补充:请选择记录人。支部委员会须写明议题(或第一议题)。"]
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_a_complete_record_offers_the_archive_behind_the_in_page_dialog(client_for, meeting, members):
    hold(meeting, **complete(members))
    body = client_for("secretary").get(url("meeting_detail", meeting.pk)).content.decode()
    assert 'id="archive-gaps"' not in body and url("meeting_archive", meeting.pk) in body
    assert 'data-confirm="归档后记录不能再编辑' in body and 'id="confirm-dialog"' in body


# ---- the locked archive in the UI --------------------------------------------------------------------------


def test_archived_meeting_cannot_be_edited_through_the_ui(client_for, tree, members):
    meeting = archived(tree, topic="原主题")
    client = client_for("secretary")
    body = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "编辑记录" not in body and "编辑计划" not in body and "添加更正" in body
    for name in ("meeting_edit", "meeting_record"):
        assert client.get(url(name, meeting.pk)).status_code == 409
        assert client.post(url(name, meeting.pk), record_data(meeting, topic="改了")).status_code == 409
    client.post(url("meeting_delete", meeting.pk))
    client.post(url("attachment_upload", meeting.pk), {"kind": "photo", "file": SimpleUploadedFile("a.png", PNG)})
    fresh = Meeting.objects.get(pk=meeting.pk)
    assert fresh.topic == "原主题" and fresh.status == Meeting.Status.ARCHIVED
    assert not fresh.attachments.exists()


def test_amendment_is_added_and_shown_under_the_record(client_for, tree, members):
    meeting = archived(tree)
    client = client_for("secretary")
    response = client.post(
        url("meeting_amend", meeting.pk), {"field": "place", "new_value": "三楼会议室", "reason": "地点记错"}
    )
    assert response.status_code == 302
    assert MeetingAmendment.objects.get(meeting=meeting).changes == {"place": ["", "三楼会议室"]}
    body = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert "地点记错" in body and "三楼会议室" in body


def test_an_attendance_amendment_is_made_on_the_page(client_for, tree, members):
    meeting = archived(tree)
    member = members.a[1]
    client = client_for("secretary")
    data = {"field": "attendance", "member": member.pk, "attendance": "unexcused", "reason": "核对签到表"}
    assert client.post(url("meeting_amend", meeting.pk), data).status_code == 302
    assert not Attendance.objects.get(meeting=meeting, member=member).present
    body = client.get(url("meeting_detail", meeting.pk)).content.decode()
    assert f"出席情况({member.name})" in body and "缺席(无故)" in body
    refused = client.post(url("meeting_amend", meeting.pk), {"field": "attendance", "reason": "r"}).content.decode()
    assert "请选择要更正出席情况的人员" in refused and "请选择更正后的出席情况" in refused


def test_amendment_form_keeps_values_on_error(client_for, tree, members):
    meeting = archived(tree)
    body = (
        client_for("secretary")
        .post(url("meeting_amend", meeting.pk), {"field": "place", "new_value": "新地点", "reason": ""})
        .content.decode()
    )
    assert "新地点" in body and not MeetingAmendment.objects.exists()


def test_attachment_upload_rejects_a_disguised_file(client_for, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("secretary")
    client.post(url("attachment_upload", meeting.pk), {"kind": "photo", "file": SimpleUploadedFile("a.png", b"MZ..")})
    assert not MeetingAttachment.objects.exists()
    client.post(url("attachment_upload", meeting.pk), {"kind": "photo", "file": SimpleUploadedFile("a.png", PNG)})
    assert MeetingAttachment.objects.count() == 1


# ---- list, calendar, plan ----------------------------------------------------------------------------------


def test_list_filters(client_for, tree, members):
    plan(tree, K.THEME_DAY, topic="三月主题党日", date=datetime.date(2025, 3, 5))
    plan(tree, K.BRANCH_ASSEMBLY, topic="一季度党员大会", date=datetime.date(2025, 3, 20))
    client = client_for("secretary")
    body = client.get(url("meeting_list", query="?kind=theme_day")).content.decode()
    assert "三月主题党日" in body and "一季度党员大会" not in body
    body = client.get(url("meeting_list", query="?date_from=2025-03-10")).content.decode()
    assert "三月主题党日" not in body and "一季度党员大会" in body
    body = client.get(url("meeting_list", query="?q=党员大会")).content.decode()
    assert "三月主题党日" not in body and "一季度党员大会" in body
    body = client.get(url("meeting_list", query="?status=archived")).content.decode()
    assert "没有符合条件的会议" in body


def test_calendar_shows_the_month(client_for, tree, members):
    plan(tree, K.THEME_DAY, topic="三月主题党日", date=datetime.date(2025, 3, 5))
    body = client_for("secretary").get(url("calendar", query="?org=EA-B1&year=2025&month=3")).content.decode()
    assert "三月主题党日" in body and "2025年3月" in body


def test_year_plan_shows_the_grid(client_for, tree, members):
    hold(plan(tree, K.THEME_DAY, date=datetime.date(2025, 3, 5)))
    body = client_for("secretary").get(url("year_plan", query="?org=EA-B1&year=2025")).content.decode()
    assert "主题党日" in body and "支部委员会" in body and "第一党小组" in body and "逾期" in body


def test_home_snippet_lists_the_todo_with_plan_buttons(cast, tree, members, rf):
    request = rf.get("/")
    request.user = cast.secretary
    (html,) = panels.home_sections(request, tree.branch_a)  # what branches' home view passes to its page
    assert "组织生活待办" in html and "本月" in html and 'name="kind" value="branch_committee"' in html


def test_org_panel_lists_recent_meetings(cast, tree, members, rf):
    plan(tree, K.THEME_DAY, topic="三月主题党日")
    request = rf.get("/")
    request.user = cast.sasac
    (html,) = panels.organization_panels(request, tree.branch_a)  # what the organization page is given
    assert "三月主题党日" in html and "安排会议" not in html


# ---- query counts ------------------------------------------------------------------------------------------


def _many(tree, n, start=datetime.date(2025, 1, 1)):
    for i in range(n):
        meeting = plan(tree, K.THEME_DAY, date=start + datetime.timedelta(days=i), topic=f"主题党日{i}")
        if i % 2:
            hold(meeting)


@pytest.mark.parametrize("n", [2, 12])
def test_list_query_count_is_flat(client_for, tree, members, django_assert_max_num_queries, n):
    _many(tree, n)
    client = client_for("secretary")
    with django_assert_max_num_queries(7):  # +1: the unread-notification badge on every page
        assert client.get(url("meeting_list")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_calendar_query_count_is_flat(client_for, tree, members, django_assert_max_num_queries, n):
    _many(tree, n)
    client = client_for("secretary")
    with django_assert_max_num_queries(6):  # +1: the unread-notification badge on every page
        assert client.get(url("calendar", query="?org=EA-B1&year=2025&month=1")).status_code == 200


@pytest.mark.parametrize("n", [2, 12])
def test_year_plan_query_count_is_flat(client_for, tree, members, django_assert_max_num_queries, n):
    _many(tree, n)
    client = client_for("secretary")
    with django_assert_max_num_queries(13):  # +1: the unread-notification badge on every page
        assert client.get(url("year_plan", query="?org=EA-B1&year=2025")).status_code == 200


@pytest.mark.parametrize("extra_absent", [0, 4])
def test_meeting_page_query_count_is_flat(client_for, tree, members, django_assert_max_num_queries, extra_absent):
    meeting = hold(plan(tree), absentees=members.a[:extra_absent])
    for i in range(extra_absent):
        services.meeting_update(meeting=meeting, place=f"地点{i}")
    client = client_for("secretary")
    with django_assert_max_num_queries(14):
        assert client.get(url("meeting_detail", meeting.pk)).status_code == 200


def test_today_used_by_the_tests_is_after_the_fixed_past_date():
    assert timezone.localdate() > PAST


def test_the_history_names_the_whole_roll_in_one_line(client_for, meeting, members):
    """The roll written when the meeting was planned is one 出席 line naming everyone, not one line per member."""
    history = client_for("secretary").get(url("meeting_detail", meeting.pk)).context["history"]
    roll = [e for e in history if e.subject == "出席"]
    expected = meeting.attendances.count()
    assert expected > 1 and len(roll) == 1
    assert len(roll[0].changes) == 1 and len(roll[0].changes[0].new.split("、")) == expected


def test_the_record_page_saves_and_archives_a_complete_record_in_one_step(client_for, meeting, members):
    data = record_data(
        meeting, host=members.a[0].pk, recorder=members.a[1].pk, first_topic="学习贯彻上级精神", archive="1"
    )
    response = client_for("secretary").post(url("meeting_record", meeting.pk), data)
    assert response.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ARCHIVED


def test_save_and_archive_of_an_incomplete_record_says_what_is_missing_and_writes_nothing(client_for, meeting):
    """The record page's 保存并归档 runs the same completeness check (in one transaction): nothing held, nothing
    archived, every gap named in Chinese on the form that keeps what was typed."""
    client = client_for("secretary")
    page = client.get(url("meeting_record", meeting.pk)).content.decode()
    assert 'id="record-archive"' in page and 'data-confirm="保存并归档' in page
    data = record_data(meeting, recorder="", archive="1", content="只写了内容")
    response = client.post(url("meeting_record", meeting.pk), data)
    body = response.content.decode()
    assert response.status_code == 200 and "还不能归档,没有保存" in body
    top = body.split('id="record-errors"')[1].split("</div></div>")[0]  # every gap at once, above the form
    assert "请选择记录人。" in top and "须写明议题(或第一议题)。" in top
    assert "请选择记录人。" in body and "须写明议题(或第一议题)。" in body and "只写了内容" in body
    assert "保存并登记召开" in body  # the page still shows the planned meeting it is
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
