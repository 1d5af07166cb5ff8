"""Issue 11, point 13: every figure the same on every page, over the demo.

The demo (seed_demo at scale 1, today's date) is seeded once for the module inside a transaction rolled back at the
end. For a sample of organizations (the branch with the demo's exceptions, the demo secretary's branch, the weakest
branches and branches spread over the tree: a sample, because each page costs a request under a loaded test machine),
the figures are read from the rendered pages, the API and the ledger workbook, never from the shared function:
- the scorecard's indicator cards (data-figure="indicator-<code>", data-done / data-required / data-status);
- the API's indicator results for the same organization;
- the year plan's cells (data-figure="plan-<kind>", data-done, data-covered / data-total for talks and reviews);
- the talks page's coverage badge (data-figure="talks-coverage");
- the dues page's grid (each cell's dues-cell-<state> class) and the ledger workbook's 党费收缴登记本;
- the committee dashboard's heat map, each cell of the branch's row (data-figure="heat-<code>"), on the dashboard of
  the branch's superior committee (the branch searched for by its code);
- the SASAC home's and the SASAC overview's overdue-term counts (data-figure="overdue-terms").
"""

import io
import re
from collections import Counter
from io import StringIO

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.models import Member, Organization, Role

pytestmark = pytest.mark.django_db
K = Organization.Kind
SAMPLE_SPREAD = 6


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", f"--today={timezone.localdate()}", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def admin(demo, db):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def sample_branches() -> list[Organization]:
    branches = list(Organization.objects.filter(kind=K.BRANCH, status=Organization.Status.ACTIVE).order_by("path"))
    exception = Member.objects.filter(status=Member.Status.SUSPENDED).first().organization
    secretary = Role.objects.filter(user__username="secretary").first().organization
    spread = branches[:: max(1, len(branches) // SAMPLE_SPREAD)]
    chosen = {b.pk: b for b in [exception, secretary, *spread]}
    return list(chosen.values())


def attrs(html: str, figure: str) -> list[dict]:
    """The attributes of every element with data-figure="<figure>" (a prefix when it ends with '-')."""
    found = []
    for tag in re.findall(r"<[^>]*data-figure=\"[^\"]*\"[^>]*>", html):
        values = dict(re.findall(r"data-([a-z-]+)=\"([^\"]*)\"", tag))
        name = values.get("figure", "")
        if name == figure or (figure.endswith("-") and name.startswith(figure)):
            found.append(values)
    return found


def scorecard(client, org, year) -> dict[str, tuple[int, int, str]]:
    html = client.get(reverse("assessments:scorecard", args=[org.code]), {"year": year}).content.decode()
    cards = {}
    for a in attrs(html, "indicator-"):
        cards[a["code"]] = (int(a["done"]), int(a["required"]), a["status"])
    assert cards, f"{org.code}: no indicator card"
    assert re.search(r"截至\d{4}年\d{1,2}月\d{1,2}日", html), "the scorecard says which day it is judged on"
    return cards


def test_scorecard_api_year_plan_talks_page_agree(admin):
    year = timezone.localdate().year
    for org in sample_branches():
        cards = scorecard(admin, org, year)
        api = admin.get("/api/v1/indicators/results/", {"org": org.code, "year": year}).json()
        assert {r["code"]: (r["done"], r["required"], r["status"]) for r in api} == cards, org.code

        html = admin.get(reverse("meetings:year_plan"), {"org": org.code, "year": year}).content.decode()
        plan = {a["figure"][len("plan-") :]: a for a in attrs(html, "plan-") if a.get("period") == str(year)}
        # 组织生活会: done in the plan <=> 达标 1/1 on the scorecard (never "待考核 0/0" once held)
        org_life_done = plan["org_life"]["done"] == "1"
        assert (cards["org_life"] == (1, 1, "met")) == org_life_done, org.code
        for kind, code in (("talk", "talks"), ("member_review", "member_review")):
            covered, total = int(plan[kind]["covered"]), int(plan[kind]["total"])
            done, required, status = cards[code]
            if required:
                assert (done, required) == (covered, total), (org.code, code)
            else:
                assert status == "pending" and covered < total or total == 0, (org.code, code)
            assert (plan[kind]["done"] == "1") == (total > 0 and covered >= total), (org.code, kind)

        talks = admin.get(reverse("meetings:talk_list", args=[org.code]), {"year": year}).content.decode()
        (badge,) = attrs(talks, "talks-coverage")
        assert (int(badge["covered"]), int(badge["total"])) == (
            int(plan["talk"]["covered"]),
            int(plan["talk"]["total"]),
        ), org.code
        reviews = admin.get(reverse("meetings:review_year", args=[org.code, year])).content.decode()
        (badge,) = attrs(reviews, "reviews-coverage")
        assert (int(badge["covered"]), int(badge["total"])) == (
            int(plan["member_review"]["covered"]),
            int(plan["member_review"]["total"]),
        ), org.code


def test_scorecard_and_committee_dashboard_agree(admin):
    year = timezone.localdate().year
    for org in sample_branches():
        cards = scorecard(admin, org, year)
        superior = Organization.objects.get(path=org.path[: -Organization.steplen])
        url = reverse("assessments:committee_dashboard", args=[superior.code])
        html = admin.get(url, {"year": year, "q": org.code}).content.decode()
        cells = {
            a["figure"][len("heat-") :]: (int(a["done"]), int(a["required"]), a["status"])
            for a in attrs(html, "heat-")
            if a["org"] == org.code
        }
        assert cells == cards, org.code


def dues_grid_states(client, org, year) -> list[list[str]]:
    """Each member row's 12 cell states, read from every page of the dues page's grid."""
    rows, page = [], 1
    while True:
        response = client.get(reverse("branches:dues_year", args=[org.code]), {"year": year, "page": page})
        html = response.content.decode()
        for tr in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
            states = re.findall(r"dues-cell-([a-z_]+)", tr)
            if len(states) == 12:
                rows.append(states)
        if f'page={page + 1}"' not in html and f"page={page + 1}&" not in html:
            return rows
        page += 1


def test_dues_page_ledger_and_indicator_agree(admin):
    today = timezone.localdate()
    year, current = today.year, today.month
    for org in sample_branches():
        cards = scorecard(admin, org, year)
        rows = dues_grid_states(admin, org, year)
        done = required = 0
        for m in range(12):
            column = Counter(states[m] for states in rows)
            owing = column["paid"] + column["partial"] + column["unpaid"] + column["pending"]
            if m + 1 < current or (m + 1 == current and owing and column["paid"] == owing):
                done += column["paid"]
                required += owing
        assert cards["dues"][:2] == (done, required), org.code

        response = admin.get(reverse("ledgers:branch_ledger", args=[org.code, year]))
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        sheet = workbook["党费收缴登记本"]
        unpaid_in_ledger = sum(1 for row in sheet.iter_rows(values_only=True) for value in row if value == "未交")
        assert unpaid_in_ledger == sum(states.count("unpaid") for states in rows), org.code


def test_the_exceptions_of_the_demo_show(admin):
    partial_branch = Member.objects.get(status=Member.Status.SUSPENDED).organization
    year = timezone.localdate().year
    rows = dues_grid_states(admin, partial_branch, year)
    assert any("partial" in states for states in rows)  # the partial payer: 未足额, never settled
    html = admin.get(reverse("branches:dues_year", args=[partial_branch.code]), {"year": year}).content.decode()
    assert "基数未填" in html


def test_overdue_terms_on_the_sasac_home_and_overview_follow_one_rule(demo, db):
    # One rule (branches/term_rules.py) and two questions, labelled as such: the home page counts the terms overdue
    # today (超期未换届); the overview counts the organizations whose year had an overdue day (按期换届未达标), which
    # also holds every term renewed late this year. So every term overdue today is in the overview's count.
    client = Client()
    client.force_login(get_user_model().objects.get(username="sasac"))
    (home,) = attrs(client.get("/").content.decode(), "overdue-terms")
    (overview,) = attrs(client.get(reverse("assessments:sasac_dashboard")).content.decode(), "term-on-time-not-met")
    assert 0 < int(home["value"]) <= int(overview["value"])
