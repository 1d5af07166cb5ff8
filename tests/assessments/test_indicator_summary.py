"""indicator_summary: the same figures as indicator_results for every organization, in a fixed number of queries."""

import pytest

from assessments.indicators import selectors
from branches import services
from branches.models import CommitteePosition, Organization
from tests.assessments.conftest import AFTER_2025, D, K, held, pay, review, talk
from tests.factories import make_member, make_organization, start_term

pytestmark = pytest.mark.django_db


def records(tree, members):
    """A mixed year over the cast tree: some met, some gaps, a transfer."""
    held(tree.branch_a, K.BRANCH_COMMITTEE, D(2025, 3, 5))
    held(tree.branch_a, K.GROUP_MEETING, D(2025, 3, 6), group=tree.group_a)
    held(tree.branch_a, K.PARTY_LECTURE, D(2025, 5, 6), lecturer=members.a[0])
    held(tree.branch_b, K.THEME_DAY, D(2025, 4, 1))
    held(tree.branch_b, K.ORG_LIFE, D(2025, 12, 1))
    talk(tree.branch_a, D(2025, 6, 1), members.a[0], *members.a[1:3])
    review(members.b[0], tree.branch_b)
    pay(members.b[1], tree.branch_b, D(2025, 2, 1))
    services.member_transfer(member=members.a[6], to_organization=tree.branch_c, on=D(2025, 8, 1))


def more_branches(tree, n):
    for i in range(n):
        branch = make_organization(tree.committee_b, Organization.Kind.BRANCH)
        group = make_organization(branch, Organization.Kind.GROUP)
        people = [make_member(branch, group=group) for _ in range(3)]
        start_term(
            organization=branch,
            started_on=D(2024, 1, 1),
            has_committee=False,
            positions=[(people[0], CommitteePosition.Role.SECRETARY)],
        )
        held(branch, K.THEME_DAY, D(2025, 1 + i % 12, 3))
        held(branch, K.GROUP_MEETING, D(2025, 2, 3), group=group)
        held(branch, K.PARTY_LECTURE, D(2025, 3, 3), lecturer=people[0])
        talk(branch, D(2025, 3, 3), people[0], people[1])
        pay(people[2], branch, D(2025, 3, 1))


@pytest.mark.parametrize("as_of", [AFTER_2025, D(2025, 6, 15), D(2025, 3, 31)])
def test_the_summary_gives_the_same_results_as_each_organization_alone(tree, members, as_of):
    records(tree, members)
    more_branches(tree, 2)
    summary = selectors.indicator_summary(tree.root, 2025, as_of)
    expected = Organization.objects.under(tree.root).active().exclude(kind=Organization.Kind.GROUP)
    assert list(summary) == [org.pk for org in expected]  # tree order, no 党小组
    for organization in expected:
        assert summary[organization.pk] == selectors.indicator_results(organization, 2025, as_of), organization.code


def test_a_subtree_summary_covers_only_that_subtree(tree, members):
    summary = selectors.indicator_summary(tree.committee_a, 2025, AFTER_2025)
    assert set(summary) == {tree.committee_a.pk, tree.branch_a.pk, tree.branch_b.pk}


def test_dissolved_organizations_are_left_out(tree, members):
    tree.branch_b.status = Organization.Status.DISSOLVED
    tree.branch_b.save()
    assert tree.branch_b.pk not in selectors.indicator_summary(tree.root, 2025, AFTER_2025)


@pytest.mark.parametrize("extra", [0, 6])
def test_the_summary_costs_a_fixed_number_of_queries(tree, members, django_assert_max_num_queries, extra):
    records(tree, members)
    more_branches(tree, extra)
    with django_assert_max_num_queries(10):
        summary = selectors.indicator_summary(tree.root, 2025, AFTER_2025)
    assert len(summary) == 6 + extra


def test_one_organization_costs_a_fixed_number_of_queries(tree, members, django_assert_max_num_queries):
    records(tree, members)
    with django_assert_max_num_queries(10):
        selectors.indicator_results(tree.branch_a, 2025, AFTER_2025)
