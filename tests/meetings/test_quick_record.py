"""记录会议: the one screen that records a held meeting (planned → held → archived), its defaults, its refusals."""

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Attendance, Meeting
from meetings.quick_record import quick_record_setup, usual_recorder
from tests.meetings.meeting_helpers import K, hold, plan

pytestmark = pytest.mark.django_db

URL = reverse("meetings:meeting_quick_record")


def post_data(setup, *, absent=None, **fields):
    data = {"org": setup.organization.code, "kind": setup.kind, "date": setup.date.isoformat(), "topic": setup.topic}
    data["agenda"] = setup.topic  # the form shows the 议题 filled with the topic
    if setup.host:
        data["host"] = setup.host.pk
    if setup.recorder:
        data["recorder"] = setup.recorder.pk
    for member in setup.roll:
        if absent and member.pk in absent:
            data[f"reason_{member.pk}"] = absent[member.pk]
        else:
            data[f"present_{member.pk}"] = "on"
    return {**data, **fields}


def setup_for(tree, kind=K.BRANCH_COMMITTEE, **kw):
    return quick_record_setup(tree.branch_a, kind=kind, today=timezone.localdate(), **kw)


def test_defaults_roll_host_and_recorder(tree, members):
    setup = setup_for(tree)
    assert setup.date == timezone.localdate()
    assert [m.pk for m in setup.roll] == sorted([m.pk for m in members.a[:3]], key=lambda pk: pk)
    assert setup.host == members.a[0]  # the 书记
    assert setup.recorder == members.a[1]  # no record yet: the 组织委员


def test_usual_recorder_is_who_recorded_most(tree, members):
    for _ in range(2):
        hold(plan(tree, K.BRANCH_ASSEMBLY, recorder=members.a[5]))
    hold(plan(tree, K.BRANCH_ASSEMBLY, recorder=members.a[4]))
    assert usual_recorder(tree.branch_a, None) == members.a[5]


def test_kind_defaults_to_what_is_owed_next(tree, members):
    setup = quick_record_setup(tree.branch_a, today=timezone.localdate())
    assert setup.kind in (K.BRANCH_COMMITTEE, K.THEME_DAY, K.GROUP_MEETING, K.BRANCH_ASSEMBLY, K.PARTY_LECTURE)
    assert setup.period is not None


def test_page_shows_only_the_fields_of_the_kind(client_for, tree, members, django_assert_max_num_queries):
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        body = client.get(URL, {"org": "EA-B1", "kind": K.BRANCH_COMMITTEE}).content.decode()
    assert "授课人" not in body and "记录会议" in body and "保存并归档" in body
    assert 'name="group"' not in body
    body = client.get(URL, {"org": "EA-B1", "kind": K.PARTY_LECTURE}).content.decode()
    assert "授课人" in body
    body = client.get(URL, {"org": "EA-B1", "kind": K.GROUP_MEETING}).content.decode()
    assert "选择党小组" in body and tree.group_a.name in body


def test_query_count_does_not_grow_with_the_roll(client_for, tree, members, django_assert_max_num_queries):
    from tests.factories import make_member

    for i in range(20):
        make_member(tree.branch_a, name=f"新{i}")
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"org": "EA-B1", "kind": K.BRANCH_ASSEMBLY})
    assert response.status_code == 200 and response.content.decode().count("roll-row") == 27


def test_everyone_present_saved_and_archived_in_one_post(client_for, tree, members, cast):
    setup = setup_for(tree)
    response = client_for("secretary").post(URL, post_data(setup, content="传达上级精神。", archive="1"))
    assert response.status_code == 302, response.content.decode()[response.content.decode().find("record-errors") :][
        :600
    ]
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:meeting_detail", args=[meeting.pk])
    assert meeting.status == Meeting.Status.ARCHIVED and meeting.archived_by == cast.secretary
    assert (meeting.host, meeting.recorder) == (members.a[0], members.a[1])
    assert meeting.agenda_items.count() == 1  # the 议题 defaults to the topic
    assert not Attendance.objects.filter(meeting=meeting, present=False).exists()


def test_one_absentee_with_a_reason_saved_as_held(client_for, tree, members):
    setup = setup_for(tree)
    absentee = members.a[2]
    response = client_for("secretary").post(URL, post_data(setup, absent={absentee.pk: "sick"}, content="讨论"))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.HELD
    row = Attendance.objects.get(meeting=meeting, member=absentee)
    assert (row.present, row.absence_reason) == (False, "sick")


def test_archive_says_everything_missing_at_once_and_keeps_nothing(client_for, tree, members):
    setup = setup_for(tree)
    data = post_data(setup, archive="1", agenda="")
    data.pop("recorder")
    response = client_for("secretary").post(URL, data)
    body = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    for message in ("请选择记录人", "请填写会议内容", "须写明议题", "还不能归档"):
        assert message in body


def test_absentee_without_reason_is_named(client_for, tree, members):
    setup = setup_for(tree)
    data = post_data(setup, content="讨论")
    data.pop(f"present_{members.a[2].pk}")
    body = client_for("secretary").post(URL, data).content.decode()
    assert f"请选择 {members.a[2].name} 的缺席原因" in body and not Meeting.objects.exists()


def test_record_held_service_refuses_a_future_date(tree, members):
    with pytest.raises(Exception, match="还没到"):
        services.meeting_record_held(
            organization=tree.branch_a,
            kind=K.BRANCH_ASSEMBLY,
            date=timezone.localdate().replace(year=timezone.localdate().year + 1),
            topic="x",
            content="y",
        )
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who,status", [("secretary", 200), ("committee", 200), ("secretary2", 404), ("sasac", 403)])
def test_refusals(client_for, tree, members, who, status):
    assert client_for(who).get(URL, {"org": "EA-B1"}).status_code == status
    if status != 200:
        assert client_for(who).post(URL, {"org": "EA-B1", "kind": K.BRANCH_ASSEMBLY}).status_code == status
        assert not Meeting.objects.exists()


def test_anonymous_goes_to_login(client_for, tree):
    response = client_for(None).get(URL, {"org": "EA-B1"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_home_and_list_offer_record_meeting(client_for, tree, members):
    client = client_for("secretary")
    home = client.get(reverse("branches:home")).content.decode()
    assert 'id="record-meeting"' in home and "kind=branch_committee" in home
    listing = client.get(reverse("meetings:meeting_list")).content.decode()
    assert "记录会议" in listing and "安排会议" in listing


@pytest.mark.parametrize("N", [0, 15])
def test_saving_and_archiving_costs_a_fixed_number_of_queries(
    client_for, tree, members, django_assert_max_num_queries, N
):
    from tests.factories import make_member

    for i in range(N):
        make_member(tree.branch_a, name=f"新{i}")
    setup = setup_for(tree, kind=K.BRANCH_ASSEMBLY)
    client = client_for("secretary")
    with django_assert_max_num_queries(35):  # plan + hold + archive in one request, whatever the roll's size
        response = client.post(URL, post_data(setup, content="学习", archive="1"))
    assert response.status_code == 302 and Meeting.objects.get().is_archived
