"""谈心谈话 pages for the whole cast: list with coverage, create, detail with history, edit, delete."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from meetings.models import Talk
from meetings.records.services import talk_create
from tests.factories import make_member

D = datetime.date


@pytest.fixture
def a_talk(tree, members, cast):
    return talk_create(
        organization=tree.branch_a,
        held_on=D(2025, 3, 10),
        initiator=members.a[0],
        participants=members.a[1:3],
        summary="交流思想",
        user=cast.secretary,
    )


def list_url(code="EA-B1"):
    return reverse("meetings:talk_list", args=[code])


def detail_url(talk):
    return reverse("meetings:talk_detail", args=[talk.organization.code, talk.pk])


def new_post(members, **extra):
    data = {
        "held_on": "2025-04-01",
        "initiator": members.a[0].pk,
        "participants": [members.a[3].pk, members.a[4].pk],
        "summary": "了解思想动态",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretary", 200), ("committee", 200), ("sasac", 200), ("admin", 200), ("secretary2", 404)],
)
def test_talk_list_and_detail_are_readable_by_the_branch_and_its_superiors_only(client_for, a_talk, who, status):
    client = client_for(who)
    assert client.get(list_url()).status_code == status
    assert client.get(detail_url(a_talk)).status_code == status


@pytest.mark.parametrize(("who", "status"), [("secretary2", 404), ("sasac", 403)])
def test_outsiders_and_readers_cannot_create_edit_or_delete_talks(client_for, members, a_talk, who, status):
    client = client_for(who)
    code = "EA-B1"
    assert client.get(reverse("meetings:talk_new", args=[code])).status_code == status
    assert client.post(reverse("meetings:talk_new", args=[code]), new_post(members)).status_code == status
    assert client.post(reverse("meetings:talk_edit", args=[code, a_talk.pk]), new_post(members)).status_code == status
    assert client.post(reverse("meetings:talk_delete", args=[code, a_talk.pk])).status_code == status
    assert Talk.objects.count() == 1
    assert Talk.objects.get().summary == "交流思想"


def test_anonymous_visitor_is_sent_to_login(client_for, a_talk):
    for url in (
        list_url(),
        detail_url(a_talk),
        reverse("meetings:talk_new", args=["EA-B1"]),
        reverse("meetings:talk_index"),
    ):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_a_talk_is_not_found_under_another_branch_code(client_for, a_talk):
    assert client_for("committee").get(reverse("meetings:talk_detail", args=["EA-B2", a_talk.pk])).status_code == 404


def test_secretary_goes_straight_to_their_branch_and_committee_picks_one(client_for, members):
    response = client_for("secretary").get(reverse("meetings:talk_index"))
    assert response.status_code == 302 and response.url == list_url()
    body = client_for("committee").get(reverse("meetings:talk_index")).content.decode()
    assert "甲集团第一党支部" in body and "甲集团第二党支部" in body


# ---------------------------------------------------------------- list


def test_talk_list_shows_who_has_not_been_talked_with_this_year(client_for, a_talk):
    body = client_for("secretary").get(list_url(), {"year": 2025}).content.decode()
    assert "谁还没谈过" in body
    assert "3/7" in body
    for name in ("甲3", "甲4", "甲5", "甲6"):
        assert f"<span>{name}</span>" in body


def test_talk_list_has_an_empty_state_with_what_to_do(client_for, members):
    body = client_for("secretary").get(list_url(), {"year": 2024}).content.decode()
    assert "empty-state" in body and "现在记录一次" in body
    body = client_for("sasac").get(list_url(), {"year": 2024}).content.decode()
    assert "现在记录一次" not in body


def test_talk_list_search_filters_rows(client_for, a_talk):
    body = client_for("secretary").get(list_url(), {"year": 2025, "q": "不存在的词"}).content.decode()
    assert "empty-state" in body
    body = client_for("secretary").get(list_url(), {"year": 2025, "q": "甲2"}).content.decode()
    assert "交流思想" in body


def test_talk_list_costs_the_same_for_1_or_25_talks(client_for, tree, members, cast, django_assert_max_num_queries):
    client = client_for("secretary")

    def add(n):
        for i in range(n):
            talk_create(
                organization=tree.branch_a,
                held_on=D(2025, 5, 1),
                initiator=members.a[i % 7],
                participants=[members.a[(i + 1) % 7], members.a[(i + 2) % 7]],
                summary=f"第{i}次",
            )

    add(1)
    with django_assert_max_num_queries(15) as small:
        assert client.get(list_url(), {"year": 2025}).status_code == 200
    baseline = len(small.captured_queries)  # read now: each request resets the query log
    add(24)
    for i in range(10):
        make_member(tree.branch_a, name=f"新{i}")
    with django_assert_max_num_queries(baseline):
        assert client.get(list_url(), {"year": 2025}).status_code == 200


# ---------------------------------------------------------------- create / edit / delete


def test_new_talk_form_lists_the_branch_roster_as_checkboxes(client_for, members):
    body = client_for("secretary").get(reverse("meetings:talk_new", args=["EA-B1"])).content.decode()
    assert body.count('name="participants"') == 7
    assert "乙0" not in body


def test_secretary_records_a_talk(client_for, members):
    response = client_for("secretary").post(reverse("meetings:talk_new", args=["EA-B1"]), new_post(members))
    talk = Talk.objects.get()
    assert response.status_code == 302 and response.url == detail_url(talk)
    assert set(talk.participants.all()) == {members.a[3], members.a[4]}


def test_a_refused_talk_keeps_what_was_typed(client_for, members):
    response = client_for("secretary").post(
        reverse("meetings:talk_new", args=["EA-B1"]), new_post(members, held_on="2999-01-01", summary="保留这段文字")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "谈话日期不能晚于今天" in body and "保留这段文字" in body
    assert not Talk.objects.exists()


def test_a_member_of_another_branch_cannot_be_posted_as_participant(client_for, members):
    data = new_post(members, participants=[members.b[0].pk])
    response = client_for("secretary").post(reverse("meetings:talk_new", args=["EA-B1"]), data)
    assert response.status_code == 200
    assert not Talk.objects.exists()


def test_detail_shows_the_history(client_for, a_talk, members):
    client = client_for("secretary")
    client.post(reverse("meetings:talk_edit", args=["EA-B1", a_talk.pk]), new_post(members, summary="改后的摘要"))
    body = client.get(detail_url(a_talk)).content.decode()
    assert "修改历史" in body and "改后的摘要" in body and "交流思想" in body and "secretary" in body


def test_committee_officer_can_delete_a_talk(client_for, a_talk):
    response = client_for("committee").post(reverse("meetings:talk_delete", args=["EA-B1", a_talk.pk]))
    assert response.status_code == 302
    assert not Talk.objects.exists()


def test_delete_needs_post(client_for, a_talk):
    assert client_for("secretary").get(reverse("meetings:talk_delete", args=["EA-B1", a_talk.pk])).status_code == 405


def test_the_talk_page_and_api_name_the_recorder_as_a_person(client_for, cast, a_talk):
    """记录人 is 周兴文 (Chinese order, branches/people.py), never the login, on the page and in the API."""
    cast.secretary.last_name, cast.secretary.first_name = "周", "兴文"
    cast.secretary.save(update_fields=["last_name", "first_name"])
    body = client_for("committee").get(detail_url(a_talk)).content.decode()
    assert "周兴文" in body and ">secretary" not in body and "兴文 周" not in body
    api = APIClient()
    api.force_authenticate(cast.committee)
    row = api.get(f"/api/v1/talks/{a_talk.pk}/").json()
    assert (row["created_by"], row["created_by_id"]) == ("周兴文", cast.secretary.pk)
