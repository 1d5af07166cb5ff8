"""考核细则: each scoring method at its boundaries, the roll-up of a tree, and the grade it leads to (pure)."""

from decimal import Decimal

import pytest

from assessments.letters.models import Letter
from assessments.rubrics import scoring

D = Decimal


def leaf(points, result, method=scoring.MANUAL):
    return scoring.Node(key=None, title="小项", points=D(points), method=method, result=result)


def test_rate_scores_points_times_rate_and_full_points_when_nothing_was_owed():
    assert scoring.rate_score(10, 0.5).score == D("5.00")
    assert scoring.rate_score(10, None).score == D(10)
    assert scoring.rate_score(10, 1.7).score == D("10.00")  # never above the points


@pytest.mark.parametrize(
    ("occurrences", "expected", "capped"),
    [(0, "5.00", False), (3, "3.50", False), (10, "0.00", False), (11, "0.00", True), (400, "0.00", True)],
)
def test_a_deduction_takes_its_unit_per_occurrence_and_stops_at_zero(occurrences, expected, capped):
    result = scoring.deduction_score(D(5), D("0.5"), occurrences)
    assert result.score == D(expected)
    assert result.capped is capped
    assert result.occurrences == occurrences
    assert ("扣完为止" in result.note) is capped


@pytest.mark.parametrize(
    ("granted", "expected", "capped"),
    [(0, "0", False), (3, "3", False), (5, "5", False), (8, "5", True), (-2, "0", False)],
)
def test_a_bonus_is_capped(granted, expected, capped):
    result = scoring.bonus_score(D(5), granted)
    assert result.score == D(expected)
    assert result.capped is capped


def test_manual_must_lie_between_zero_and_the_points():
    assert scoring.manual_score(8, "7.5").score == D("7.50")
    with pytest.raises(ValueError, match="0到8分"):
        scoring.manual_score(8, 9)
    with pytest.raises(ValueError):
        scoring.manual_score(8, -1)


def test_a_veto_forces_the_lowest_grade_one_star_and_the_lowest_class_whatever_the_score():
    roots = [leaf(100, scoring.manual_score(100, 100)), leaf(0, scoring.veto_score(0, failed=True), scoring.VETO)]
    outcome = scoring.outcome(roots, innovation=True)
    assert outcome.total == D(100)
    assert outcome.veto is True
    assert outcome.grade == Letter.Grade.FAILED
    assert outcome.stars == 1
    assert outcome.level == "lagging"
    passed = scoring.outcome([leaf(100, scoring.manual_score(100, 100)), leaf(0, scoring.veto_score(0, failed=False))])
    assert (passed.grade, passed.veto) == (Letter.Grade.EXCELLENT, False)


def test_scores_roll_up_the_tree_and_only_capped_bonuses_pass_the_full_points():
    big = scoring.Node(
        key=None,
        title="大项",
        points=D(60),
        children=[
            leaf(30, scoring.manual_score(30, 30)),
            leaf(30, scoring.deduction_score(30, 1, 2), scoring.DEDUCTION),
            leaf(5, scoring.bonus_score(5, 9), scoring.BONUS),
        ],
    )
    other = leaf(40, scoring.manual_score(40, 40))
    assert big.base() == D(58)
    assert big.bonus() == D(5)
    assert big.score() == D(63)
    outcome = scoring.outcome([big, other], innovation=True)
    assert (outcome.base, outcome.bonus, outcome.total) == (D(98), D(5), D(103))
    assert outcome.grade == Letter.Grade.EXCELLENT
    assert outcome.stars == 5
    assert outcome.level == "advanced"


def test_a_big_item_never_passes_its_own_points_without_bonus():
    big = scoring.Node(key=None, title="大项", points=D(10), children=[leaf(8, scoring.manual_score(8, 8))] * 2)
    assert big.base() == D(10)


def test_the_grade_follows_the_letters_thresholds():
    assert scoring.outcome([leaf(100, scoring.manual_score(100, 89))]).grade == Letter.Grade.PASSED
    assert scoring.outcome([leaf(100, scoring.manual_score(100, 75))]).grade == Letter.Grade.FAILED
    unscored = scoring.outcome([leaf(100, None)])
    assert unscored.total == D(0)
