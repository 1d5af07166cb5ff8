"""Issue 14 points 5, 6, 9 and 11: ties, the drill-down to the gap page, and the 大屏 mode (server side; the browser
test is tests/browser/test_screen.py)."""

import datetime

import pytest
from django.urls import reverse

from assessments.dashboards import selectors as ds
from notifications.models import Notification
from tests.assessments.conftest import D, K, held
from tests.assessments.test_dashboards import YEAR, committee_url, sasac_url, scorecard_url, theme_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(tree, members):
    """As in test_dashboards: branch A holds its 主题党日 every month but December, B none, C every month."""
    theme_days(tree.branch_a, range(1, 12))
    theme_days(tree.branch_c, range(1, 13))
    return tree


def gap_url(code="EA-B1", indicator="theme_day", period="2025-12"):
    return reverse("assessments:gap", args=[code, indicator, period])


# ---------------------------------------------------------------- ties


def _row(code, overall):
    row = ds.OrgRow(ds.OrgBrief(1, code, 1, code, code, "branch", None, None, None), [])
    row.overall = overall
    return row


def test_the_same_shown_score_is_the_same_rank_and_the_next_rank_skips():
    rows = ds.ranked([_row("a", 0.9), _row("b", 0.955), _row("c", 0.951), _row("d", 0.5), _row("e", None)])
    assert [(r.organization.code, r.rank, r.tied) for r in rows] == [
        ("b", 1, True),  # 95% and 95%: 并列第1
        ("c", 1, True),
        ("a", 3, False),
        ("d", 4, False),
        ("e", None, False),
    ]


def test_the_ranking_shows_ties_as_ties(client_for, tree, members):
    # Nothing recorded: branches A and B have the same overall rate.
    response = client_for("committee").get(committee_url("EA", kind="branch"))
    ranks = [(r.rank, r.tied) for r in response.context["rank_page"].object_list]
    assert ranks[0] == ranks[1] and ranks[0][1]
    assert f"并列第{ranks[0][0]}" in response.content.decode()


# ---------------------------------------------------------------- heat map and charts


def test_heat_map_rows_are_indented_by_the_tree_and_cells_drill_down(client_for, records):
    response = client_for("sasac").get(committee_url("ROOT"))
    rows = {r.organization.code: r for r in response.context["heat_page"].object_list}
    assert (rows["ROOT"].indent, rows["EA"].indent, rows["EA-B1"].indent) == (0, 1, 2)
    html = response.content.decode()
    assert 'class="position-sticky start-0 bg-white text-nowrap heat-org heat-depth-2"' in html
    assert f"{scorecard_url('EA-B1')}#indicator-theme_day" in html.replace("&amp;", "&")


def test_every_chart_point_carries_the_page_it_opens(client_for, records):
    data = client_for("sasac").get(sasac_url()).context["chart_data"]
    assert data["enterprises"][0]["url"] == committee_url("EA")
    assert data["statuses"][0]["url"].endswith("status=met#heatmap")
    assert data["trend"][6]["url"].endswith("&quarter=3#heatmap")  # July
    committee = client_for("committee").get(committee_url("EA", enterprise="EA")).context["chart_data"]
    assert committee["statuses"][2]["url"] == committee_url("EA", enterprise="EA") + "&status=not_met#heatmap"


# ---------------------------------------------------------------- the gap page


def test_the_scorecard_gap_opens_the_gap_page_which_names_the_gap(client_for, records):
    client = client_for("sasac")
    html = client.get(scorecard_url("EA-B1")).content.decode()
    assert f'href="{gap_url()}"' in html
    response = client.get(gap_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025年12月 无主题党日" in body
    around = [(p.label, o.done if o else None) for p, o, _m in response.context["page"].around]
    assert around == [("2025-11", 1), ("2025-12", 0), ("2026-01", None)]
    assert [m.date for m in response.context["page"].meetings] == [D(YEAR, 11, 10)]
    assert "2025年11月10日" in body


def test_the_gap_page_shows_the_reminders_the_branch_was_sent(client_for, records, cast):
    for user in (cast.secretary, cast.committee):
        Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.RECORD_REMINDER,
            title="台账提醒:甲集团第一党支部2025年12月1项组织生活未见记录",
            organization=records.branch_a,
            dedupe_key="records:x:2025-12",
        )
    Notification.objects.filter(dedupe_key="records:x:2025-12").update(
        created_at=datetime.datetime(2026, 1, 2, 9, tzinfo=datetime.UTC)
    )
    body = client_for("committee").get(gap_url()).content.decode()
    assert body.count("台账提醒:甲集团第一党支部2025年12月") == 1  # one line per reminder, not per recipient
    assert "接收人:" in body


def test_a_gap_that_was_recorded_since_says_so(client_for, records):
    held(records.branch_a, K.THEME_DAY, D(YEAR, 12, 20))
    response = client_for("secretary").get(gap_url())
    assert response.context["page"].gaps == []
    assert "没有缺项" in response.content.decode()


@pytest.mark.parametrize(("user", "may_record"), [("sasac", False), ("committee", True), ("secretary", True)])
def test_the_gap_page_offers_recording_only_to_those_who_may_write(client_for, records, user, may_record):
    response = client_for(user).get(gap_url())
    body = response.content.decode()
    assert response.context["can_write"] is may_record
    assert ("查看或补录2025年12月的记录" in body) is may_record
    assert ('id="gap-record"' in body) is may_record
    assert ("查看2025年12月的记录" in body) is not may_record
    assert ('id="gap-view"' in body) is not may_record


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("secretary2", gap_url(), 404),  # outsider
        ("secretary", gap_url(indicator="no_such"), 404),
        ("secretary", gap_url(period="2025-13"), 404),
        ("secretary", gap_url(period="2999"), 404),
        ("sasac", gap_url(), 200),
    ],
)
def test_the_gap_page_is_refused_like_the_scorecard(client_for, records, user, url, status):
    assert client_for(user).get(url).status_code == status


def test_the_gap_page_costs_a_fixed_number_of_queries(client_for, records, django_assert_max_num_queries):
    client = client_for("sasac")
    with django_assert_max_num_queries(16):
        assert client.get(gap_url()).status_code == 200
    for month in (10, 11):
        held(records.branch_a, K.THEME_DAY, D(YEAR, month, 25))
    with django_assert_max_num_queries(16):
        assert client.get(gap_url()).status_code == 200


# ---------------------------------------------------------------- 大屏


def test_the_screens_show_the_dashboards_figures(client_for, records):
    client = client_for("sasac")
    dashboard = client.get(sasac_url()).context
    screen = client.get(reverse("assessments:sasac_screen") + f"?year={YEAR}")
    assert screen.status_code == 200
    for key in ("enterprise_count", "branch_count", "red_count", "totals", "chart_data"):
        assert screen.context[key] == dashboard[key]
    html = screen.content.decode()
    assert 'data-bs-theme="dark"' in html and 'data-refresh="300"' in html and "<script>" not in html
    assert "js/screen.js" in html
    committee = client.get(committee_url("EA")).context
    screen = client.get(reverse("assessments:committee_screen", args=["EA"]) + f"?year={YEAR}").context
    for key in ("branch_count", "red_count", "totals", "term_count"):
        assert screen[key] == committee[key]


@pytest.mark.parametrize(
    ("user", "name", "args", "status"),
    [
        ("secretary", "assessments:sasac_screen", [], 403),
        ("committee", "assessments:sasac_screen", [], 403),
        ("secretary2", "assessments:committee_screen", ["EA"], 404),
        ("secretary", "assessments:committee_screen", ["EA-B1"], 302),
        ("committee", "assessments:committee_screen", ["EA"], 200),
        (None, "assessments:sasac_screen", [], 302),
    ],
)
def test_the_screens_are_refused_like_the_dashboards(client_for, members, user, name, args, status):
    response = client_for(user).get(reverse(name, args=args))
    assert response.status_code == status
    if user is None:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name,args", [("assessments:sasac_screen", []), ("assessments:committee_screen", ["ROOT"])])
def test_the_screens_cost_a_fixed_number_of_queries(client_for, records, django_assert_max_num_queries, name, args):
    from tests.assessments.test_dashboards import grow

    client = client_for("sasac")
    with django_assert_max_num_queries(18):
        assert client.get(reverse(name, args=args)).status_code == 200
    grow(records, 6)
    with django_assert_max_num_queries(18):
        assert client.get(reverse(name, args=args)).status_code == 200
