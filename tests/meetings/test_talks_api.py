"""/api/v1/talks/: visibility, filters, writes through the services, refusals for the whole cast."""

import datetime

import pytest

from meetings.models import Talk
from meetings.records.services import talk_create
from tests.factories import make_member

URL = "/api/v1/talks/"
D = datetime.date


def add_talk(branch, initiator, participants, held_on=datetime.date(2025, 3, 10), summary="交流思想"):
    return talk_create(
        organization=branch, held_on=held_on, initiator=initiator, participants=participants, summary=summary
    )


@pytest.fixture
def talks(tree, members):
    return {
        "a": add_talk(tree.branch_a, members.a[0], members.a[1:3]),
        "a_old": add_talk(tree.branch_a, members.a[3], [members.a[4]], held_on=D(2024, 6, 1), summary="去年的谈话"),
        "b": add_talk(tree.branch_b, members.b[0], [members.b[1]]),
        "c": add_talk(tree.branch_c, members.c[0], [make_c(tree)]),
    }


def make_c(tree):
    return make_member(tree.branch_c, name="丙1")


def payload(members, **extra):
    data = {
        "org": "EA-B1",
        "held_on": "2025-04-01",
        "initiator": members.a[0].pk,
        "participants": [members.a[5].pk, members.a[6].pk],
        "summary": "了解思想动态",
    }
    data.update(extra)
    return data


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("secretary", {"a", "a_old"}),
        ("secretary2", {"b"}),
        ("committee", {"a", "a_old", "b"}),
        ("sasac", {"a", "a_old", "b", "c"}),
        ("admin", {"a", "a_old", "b", "c"}),
    ],
)
def test_each_role_lists_exactly_its_subtree(client_for, talks, who, visible):
    assert ids(client_for(who).get(URL)) == {talks[k].pk for k in visible}


def test_anonymous_is_refused(client_for, talks):
    assert client_for(None).get(URL).status_code == 403


def test_outsider_gets_404_for_a_record_and_for_an_org_filter(client_for, talks):
    client = client_for("secretary2")
    assert client.get(f"{URL}{talks['a'].pk}/").status_code == 404
    assert client.get(URL, {"org": "EA-B1"}).status_code == 404
    assert client.patch(f"{URL}{talks['a'].pk}/", {"summary": "x"}, content_type="application/json").status_code == 404


def test_filters_by_org_under_year_date_range_and_member(client_for, talks, members):
    client = client_for("sasac")
    assert ids(client.get(URL, {"org": "EA-B1"})) == {talks["a"].pk, talks["a_old"].pk}
    assert ids(client.get(URL, {"under": "EA"})) == {talks["a"].pk, talks["a_old"].pk, talks["b"].pk}
    assert ids(client.get(URL, {"under": "EA", "year": 2024})) == {talks["a_old"].pk}
    assert ids(client.get(URL, {"date_from": "2025-01-01", "date_to": "2025-03-10", "org": "EA-B1"})) == {talks["a"].pk}
    assert ids(client.get(URL, {"member": members.a[2].pk})) == {talks["a"].pk}
    assert ids(client.get(URL, {"member": members.a[3].pk})) == {talks["a_old"].pk}


def test_retrieve_shows_names_and_participants(client_for, talks):
    data = client_for("secretary").get(f"{URL}{talks['a'].pk}/").json()
    assert data["org"] == "EA-B1"
    assert data["initiator"]["name"] == "甲0"
    assert [p["name"] for p in data["participants"]] == ["甲1", "甲2"]


def test_secretary_creates_a_talk(client_for, members, cast):
    response = client_for("secretary").post(URL, payload(members), content_type="application/json")
    assert response.status_code == 201, response.content
    talk = Talk.objects.get(pk=response.json()["id"])
    assert talk.created_by == cast.secretary
    assert {p["name"] for p in response.json()["participants"]} == {"甲5", "甲6"}


def test_reviewer_gets_403_on_writes(client_for, talks, members):
    client = client_for("sasac")
    assert client.post(URL, payload(members), content_type="application/json").status_code == 403
    response = client.patch(f"{URL}{talks['a'].pk}/", {"summary": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_outsider_cannot_create_in_another_branch(client_for, members):
    response = client_for("secretary2").post(URL, payload(members), content_type="application/json")
    assert response.status_code in (400, 404)
    assert not Talk.objects.exists()


def test_a_broken_rule_is_a_400_in_chinese(client_for, members):
    response = client_for("secretary").post(
        URL, payload(members, held_on="2999-01-01"), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "谈话日期不能晚于今天。"


def test_a_member_of_an_invisible_branch_is_just_an_invalid_id(client_for, tree, members):
    response = client_for("secretary").post(
        URL, payload(members, participants=[members.c[0].pk]), content_type="application/json"
    )
    assert response.status_code == 400
    assert "丙0" not in response.content.decode()


def test_committee_updates_a_talk(client_for, talks, members):
    response = client_for("committee").patch(
        f"{URL}{talks['a'].pk}/",
        {"summary": "补充", "participants": [members.a[4].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["summary"] == "补充"
    assert [p["name"] for p in response.json()["participants"]] == ["甲4"]


def test_list_costs_the_same_for_4_or_34_talks(client_for, tree, members, talks, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).status_code == 200
    baseline = len(small.captured_queries)
    for i in range(30):
        add_talk(tree.branch_a, members.a[i % 7], [members.a[(i + 1) % 7], members.a[(i + 3) % 7]])
    with django_assert_max_num_queries(baseline):
        assert len(client.get(URL).json()["results"]) == 34
