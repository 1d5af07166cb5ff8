"""Issue 14 point 7: the committee's and SASAC's 谈心谈话, 民主评议 and 党费 overviews: per branch, the coverage with
the worst first, filters, search, pagination and a link into the branch; linked from the old pick-a-branch pages."""

import pytest
from django.urls import reverse

from tests.assessments.test_dashboards import theme_days

pytestmark = pytest.mark.django_db

YEAR = 2025


def overview(subject, **params):
    query = "&".join(f"{k}={v}" for k, v in {"year": YEAR, **params}.items())
    return f"{reverse('assessments:coverage_overview', args=[subject])}?{query}"


@pytest.mark.parametrize("subject", ["talks", "reviews", "dues"])
def test_the_overview_lists_every_branch_worst_first_with_a_link_into_it(client_for, members, subject):
    response = client_for("sasac").get(overview(subject))
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert {r.organization.code for r in rows} == {"EA-B1", "EA-B2", "EB-B1"}
    rates = [r.result.rate for r in rows if r.result.rate is not None]
    assert rates == sorted(rates)
    html = response.content.decode()
    assert f'href="{rows[0].link}"' in html.replace("&amp;", "&")


def test_talk_coverage_counts_the_members_not_talked_to(client_for, members):
    rows = client_for("committee").get(overview("talks")).context["page"].object_list
    by_code = {r.organization.code: r for r in rows}
    assert set(by_code) == {"EA-B1", "EA-B2"}  # committee A's subtree only
    assert by_code["EA-B1"].missing == 7 and by_code["EA-B2"].missing == 3
    assert [r.organization.code for r in rows][0] in ("EA-B1", "EA-B2")


def test_filters_search_and_subtree(client_for, members):
    client = client_for("sasac")
    found = client.get(overview("talks", q="第二")).context["page"].object_list
    assert [r.organization.code for r in found] == ["EA-B2"]
    by_enterprise = client.get(overview("talks", enterprise="EB")).context["page"].object_list
    assert [r.organization.code for r in by_enterprise] == ["EB-B1"]
    subtree = client.get(overview("talks", org="EA")).context["page"].object_list
    assert {r.organization.code for r in subtree} == {"EA-B1", "EA-B2"}
    assert "没有符合条件的党支部" in client.get(overview("dues", q="不存在")).content.decode()


@pytest.mark.parametrize(
    ("user", "url", "status"),
    [
        ("secretary2", overview("talks", org="EA"), 404),  # outsider
        ("sasac", overview("nothing"), 404),
        ("secretary", overview("talks"), 302),  # one branch: its own page
    ],
)
def test_refusals(client_for, members, user, url, status):
    assert client_for(user).get(url).status_code == status


def test_anonymous_goes_to_login(client_for):
    response = client_for(None).get(overview("dues"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_old_pick_a_branch_pages_link_to_the_overviews(client_for, members):
    client = client_for("committee")
    assert (
        reverse("assessments:coverage_overview", args=["talks"])
        in client.get(reverse("meetings:talk_index")).content.decode()
    )
    assert (
        reverse("assessments:coverage_overview", args=["reviews"])
        in client.get(reverse("meetings:review_index")).content.decode()
    )
    assert (
        reverse("assessments:coverage_overview", args=["dues"])
        in client.get(reverse("branches:dues_index")).content.decode()
    )


@pytest.mark.parametrize("subject", ["talks", "dues"])
def test_the_overview_costs_a_fixed_number_of_queries(
    client_for, members, tree, django_assert_max_num_queries, subject
):
    from tests.assessments.test_dashboards import grow

    client = client_for("sasac")
    theme_days(tree.branch_a, range(1, 4))
    with django_assert_max_num_queries(20):
        assert client.get(overview(subject)).status_code == 200
    grow(tree, 8)
    with django_assert_max_num_queries(20):
        assert client.get(overview(subject)).status_code == 200
