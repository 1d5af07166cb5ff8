"""Star ratings (DOMAIN.md: 90+ with an innovation project ★★★★★, 80–90 ★★★★, 70–80 ★★★, 60–70 ★★, below 60 ★),
star counts for the SASAC dashboard, and a committee's ranking and classification of its branches."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.letters import ratings, selectors, services
from assessments.models import BranchClassification
from tests.factories import make_organization

from . import test_letter_helpers as helpers
from .test_letter_helpers import YEAR, final_with_score

# Fixtures shared with the other letter tests (pytest finds them by their module-level names).
indicator_set = helpers.indicator_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "innovation", "stars"),
    [
        (95, True, 5),
        (90, True, 5),
        (95, False, 4),  # no innovation project: 90+ stays ★★★★
        (89.99, True, 4),
        (80, False, 4),
        (79.5, False, 3),
        (70, False, 3),
        (69, False, 2),
        (60, False, 2),
        (59.99, False, 1),
        (0, False, 1),
    ],
)
def test_star_rating_follows_the_thresholds(score, innovation, stars):
    assert ratings.star_rating(Decimal(str(score)), innovation) == stars


def test_no_score_no_stars():
    assert ratings.star_rating(None) is None


def test_star_thresholds_are_configurable(settings):
    settings.STAR_RATING_THRESHOLDS = {5: 95, 4: 85, 3: 75, 2: 65}
    assert ratings.star_rating(Decimal(84)) == 3


def test_star_counts_count_branches_with_a_final_letter_in_one_query(tree, django_assert_num_queries):
    final_with_score(tree.committee_a, tree.branch_a, 92, innovation=True)
    final_with_score(tree.committee_a, tree.branch_b, 65)
    final_with_score(tree.committee_b, tree.branch_c, 81)
    final_with_score(tree.root, tree.committee_a, 99)  # a committee: not a branch, not counted
    final_with_score(tree.committee_a, tree.branch_a, 50, year=YEAR - 1)  # another year
    with django_assert_num_queries(1):
        counts = selectors.star_counts(tree.root, YEAR)
    assert counts == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert selectors.star_counts(tree.committee_a, YEAR) == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1}
    assert selectors.star_counts(tree.branch_c, YEAR) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 0}


def test_star_counts_stay_one_query_with_many_branches(tree, django_assert_num_queries):
    for n in range(8):
        branch = make_organization(tree.committee_b, "branch", code=f"EB-R{n}")
        final_with_score(tree.committee_b, branch, 55 + 5 * n)
    with django_assert_num_queries(1):
        counts = selectors.star_counts(tree.root, YEAR)
    assert sum(counts.values()) == 8


def test_letters_not_yet_final_do_not_count(tree, cast):
    from .test_letter_helpers import issue

    issue(tree.committee_a)
    assert sum(selectors.star_counts(tree.root, YEAR).values()) == 0


def test_ranking_orders_by_final_score_and_ties_share_a_rank(tree, django_assert_max_num_queries):
    extra = make_organization(tree.committee_a, "branch", code="EA-B9", name="甲集团第九党支部")
    final_with_score(tree.committee_a, tree.branch_a, 88)
    final_with_score(tree.committee_a, tree.branch_b, 93, innovation=True)
    final_with_score(tree.committee_a, extra, 88)
    final_with_score(tree.committee_b, tree.branch_c, 99)  # another committee's branch
    with django_assert_max_num_queries(2):
        rows = selectors.branch_ranking(tree.committee_a, YEAR)
    assert [(r.rank, r.organization.code, r.stars) for r in rows] == [(1, "EA-B2", 5), (2, "EA-B1", 4), (2, "EA-B9", 4)]
    assert [r.suggested for r in rows] == ["advanced", "good", "good"]
    # a search keeps the ranks of the whole list
    assert [(r.rank, r.organization.code) for r in selectors.branch_ranking(tree.committee_a, YEAR, search="第九")] == [
        (2, "EA-B9")
    ]


def test_the_committee_classifies_a_branch_and_the_ranking_shows_it(tree, cast):
    final_with_score(tree.committee_a, tree.branch_a, 58)
    services.branch_classify(
        committee=tree.committee_a, organization=tree.branch_a, year=YEAR, level="fair", user=cast.committee
    )
    row = selectors.branch_ranking(tree.committee_a, YEAR)[0]
    assert row.suggested == "lagging" and row.level == "fair" and row.level_label == "一般"
    services.branch_classify(committee=tree.committee_a, organization=tree.branch_a, year=YEAR, level="")
    assert not BranchClassification.objects.exists()


def test_a_branch_without_a_final_letter_or_outside_the_committee_cannot_be_classified(tree):
    with pytest.raises(ValidationError, match="尚未定档"):
        services.branch_classify(committee=tree.committee_a, organization=tree.branch_a, year=YEAR, level="good")
    final_with_score(tree.committee_b, tree.branch_c, 90)
    with pytest.raises(ValidationError, match="本党委所属"):
        services.branch_classify(committee=tree.committee_a, organization=tree.branch_c, year=YEAR, level="good")


def test_the_committee_classifies_many_branches_in_one_call_all_or_none(tree, cast):
    final_with_score(tree.committee_a, tree.branch_a, 92)
    final_with_score(tree.committee_a, tree.branch_b, 75)
    services.classification_set(
        committee=tree.committee_a,
        year=YEAR,
        levels={tree.branch_a: "advanced", tree.branch_b: "fair"},
        user=cast.committee,
    )
    assert dict(BranchClassification.objects.values_list("organization__code", "level")) == {
        "EA-B1": "advanced",
        "EA-B2": "fair",
    }
    # One branch is refused (another committee's): nothing of the call is kept, the earlier rows stay as they were.
    final_with_score(tree.committee_b, tree.branch_c, 90)
    with pytest.raises(ValidationError, match="本党委所属"):
        services.classification_set(
            committee=tree.committee_a,
            year=YEAR,
            levels={tree.branch_a: "good", tree.branch_b: "", tree.branch_c: "good"},
            user=cast.committee,
        )
    assert dict(BranchClassification.objects.values_list("organization__code", "level")) == {
        "EA-B1": "advanced",
        "EA-B2": "fair",
    }
