"""Query counts of the branches pages that had no pin: each page costs a fixed number of queries, and the pages that
list rows cost the same with more rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import CommitteeTerm, Organization
from tests.factories import make_member, make_organization

pytestmark = pytest.mark.django_db

K = Organization.Kind


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def pages(tree, members):
    member = members.a[5]
    term = CommitteeTerm.objects.get(organization=tree.branch_a)
    code = tree.branch_a.code
    return {
        "dues_index": "/dues/",
        "member_detail": f"/members/{member.pk}/",
        "member_create": f"/members/new/?org={code}",
        "member_choose": "/members/new/",
        "member_edit": f"/members/{member.pk}/edit/",
        "member_transfer": f"/members/{member.pk}/transfer/",
        "member_leave": f"/members/{member.pk}/leave/",
        "term_detail": f"/terms/{term.pk}/",
        "term_extend": f"/terms/{term.pk}/extend/",
        "term_start": f"/orgs/{code}/terms/new/",
        "election_step_create": f"/orgs/{code}/election/new/",
        "org_create": f"/orgs/{tree.committee_a.code}/new/",
        "org_edit": f"/orgs/{code}/edit/",
        "roster_import": "/roster/import/",
        "roster_template": "/roster/template.xlsx",
    }


PINS = {
    "dues_index": 6,
    "election_step_create": 7,
    "member_choose": 5,
    "member_create": 7,
    "member_detail": 13,  # +2: the 党员星级 badge (points: the rules, and the records in one UNION query)
    "member_edit": 7,
    "member_leave": 6,
    "member_transfer": 7,
    "org_create": 6,
    "org_edit": 6,
    "roster_import": 4,
    "roster_template": 4,
    "term_detail": 11,
    "term_extend": 6,
    "term_start": 15,
}


@pytest.mark.parametrize("page", sorted(PINS))
def test_page_costs_a_pinned_number_of_queries(client_for, tree, members, page, django_assert_max_num_queries):
    client = client_for("committee")
    url = pages(tree, members)[page]
    client.get(url)  # warm the session and the per-user caches, as a second visit would
    with django_assert_max_num_queries(PINS[page]):
        assert client.get(url).status_code == 200


def test_pages_cost_the_same_with_more_branches_and_members(client_for, tree, members):
    client = client_for("committee")
    urls = pages(tree, members)
    before = {page: count(client, url) for page, url in urls.items()}
    for _ in range(25):
        branch = make_organization(tree.committee_a, K.BRANCH)
        make_member(branch)
        make_member(tree.branch_a)
    after = {page: count(client, url) for page, url in urls.items()}
    assert after == before
