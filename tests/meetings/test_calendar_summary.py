"""Issue 14 point 8: a committee's or SASAC's calendar counts per day the meetings held, by kind, names the branches on
demand (a <details>), and is filtered by subtree with a select; a secretary's calendar still lists the meetings."""

import datetime

import pytest

from meetings import selectors
from tests.meetings.test_meeting_views import K, _many, hold, plan, url

pytestmark = pytest.mark.django_db

MARCH = "year=2025&month=3"


def test_a_committee_sees_counts_by_kind_with_the_branches_on_demand(client_for, tree, members):
    hold(plan(tree, K.THEME_DAY, topic="三月主题党日", date=datetime.date(2025, 3, 5)))
    plan(tree, K.THEME_DAY, topic="另一个主题党日", date=datetime.date(2025, 3, 5))
    response = client_for("committee").get(url("calendar", query=f"?org=EA&{MARCH}"))
    assert response.context["summary"] is True
    days = {day: items for day, _weekday, items in response.context["days"]}
    ((label, held, planned, meetings),) = days[datetime.date(2025, 3, 5)]
    assert (label, held, planned, len(meetings)) == ("主题党日", 1, 1, 2)
    body = response.content.decode()
    assert "<details" in body and tree.branch_a.name in body
    assert ">三月主题党日<" not in body and "主题党日 · 三月" not in body  # topics only in the title
    assert "EA" in [code for code, _name in response.context["subtrees"]]
    assert 'name="org"' in body and "<select" in body


def test_the_sasac_calendar_is_a_summary_by_default_and_a_secretary_keeps_the_list(client_for, tree, members):
    plan(tree, K.THEME_DAY, topic="三月主题党日", date=datetime.date(2025, 3, 5))
    assert client_for("sasac").get(url("calendar", query=f"?{MARCH}")).context["summary"] is True
    response = client_for("secretary").get(url("calendar", query=f"?{MARCH}"))
    assert response.context["summary"] is False and "三月主题党日" in response.content.decode()


def test_a_branch_chosen_by_a_committee_shows_its_meetings(client_for, tree, members):
    plan(tree, K.THEME_DAY, topic="三月主题党日", date=datetime.date(2025, 3, 5))
    response = client_for("committee").get(url("calendar", query=f"?org=EA-B1&{MARCH}"))
    assert response.context["summary"] is False and "三月主题党日" in response.content.decode()


def test_day_counts_count_held_and_planned_by_kind(tree, members):
    a = hold(plan(tree, K.THEME_DAY, date=datetime.date(2025, 3, 5)))
    b = plan(tree, K.THEME_DAY, date=datetime.date(2025, 3, 5))
    counts = selectors.calendar_day_counts([a, b])
    assert [(label, held, planned) for label, held, planned, _m in counts[datetime.date(2025, 3, 5)]] == [
        ("主题党日", 1, 1)
    ]


@pytest.mark.parametrize("n", [2, 12])
def test_the_summary_calendar_query_count_is_flat(client_for, tree, members, django_assert_max_num_queries, n):
    _many(tree, n)
    client = client_for("committee")
    with django_assert_max_num_queries(8):
        assert client.get(url("calendar", query="?year=2025&month=1")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url("calendar", query="?org=EA&year=2025&month=1")).status_code == 200


@pytest.mark.parametrize("user", ["secretary2"])
def test_an_outsider_cannot_choose_another_subtree(client_for, tree, members, user):
    assert client_for(user).get(url("calendar", query=f"?org=EA&{MARCH}")).status_code == 404
