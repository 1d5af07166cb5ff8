"""Threshold → status, one rule for the indicators and the letters' scoring (DOMAIN.md: 达标 at 100%, 基本达标 at 80%
or more, 未达标 below 80%; nothing required is 待考核), decided exactly: 4/5 is 80%, not 0.7999…"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.indicators import rules
from assessments.indicators.models import Indicator
from assessments.letters import scoring
from branches.models import Organization


@pytest.mark.parametrize(
    ("done", "required", "status"),
    [
        (5, 5, rules.MET),  # exactly 100%
        (100, 100, rules.MET),
        (99, 100, rules.PARTLY_MET),
        (4, 5, rules.PARTLY_MET),  # exactly 80%
        (80, 100, rules.PARTLY_MET),
        (8, 10, rules.PARTLY_MET),
        (79, 100, rules.NOT_MET),  # just below 80%
        (799, 1000, rules.NOT_MET),
        (3, 5, rules.NOT_MET),
        (0, 5, rules.NOT_MET),
        (0, 0, rules.PENDING),
    ],
)
def test_the_default_thresholds_decide_exactly_at_80_and_100_percent(done, required, status):
    assert rules.status_of(done, required) == status


def test_a_years_own_thresholds_are_exact_too():
    thresholds = rules.Thresholds.of(Decimal("0.90"), Decimal("0.70"))
    assert thresholds.status(9, 10) == rules.MET  # equal to the 达标 line
    assert thresholds.status(89, 100) == rules.PARTLY_MET
    assert thresholds.status(7, 10) == rules.PARTLY_MET  # equal to the 基本达标 line
    assert thresholds.status(69, 100) == rules.NOT_MET
    assert thresholds.status(1, 3) == rules.NOT_MET


def test_the_default_thresholds_are_the_models_defaults():
    row = Indicator(code=Indicator.Code.DUES)
    assert rules.Thresholds.for_indicator(row) == rules.DEFAULT_THRESHOLDS == rules.Thresholds.of("1", "0.8")


@pytest.mark.parametrize(
    ("done", "required", "status"),
    [(5, 5, rules.MET), (4, 5, rules.PARTLY_MET), (79, 100, rules.NOT_MET), (0, 0, rules.PENDING)],
)
def test_a_committees_letter_uses_the_same_rule_on_its_subtree_sums(monkeypatch, done, required, status):
    # Two branches' results summed: (done, required) split over them.
    results = {
        1: [SimpleNamespace(code="theme_day", done=done // 2, required=required // 2)],
        2: [SimpleNamespace(code="theme_day", done=done - done // 2, required=required - required // 2)],
    }
    monkeypatch.setattr(scoring.indicators, "indicator_summary", lambda *args: results)
    monkeypatch.setattr(
        scoring.indicators, "indicators_for", lambda year: [Indicator(code="theme_day", met_threshold=Decimal("1.00"))]
    )
    letter = SimpleNamespace(year=2025, recipient=SimpleNamespace(kind=Organization.Kind.COMMITTEE))
    rate, got = scoring._recipient_rates(letter, None)["theme_day"]
    assert got == status
    assert rate == (done / required if required else None)
