"""按期换届 is judged on every day of the year (DOMAIN.md "How an indicator is computed", term_on_time): one rule,
branches.term_rules, read by the indicator and the organization's term status."""

import pytest

from assessments.indicators import rules
from branches import services, term_rules
from branches.health import term_status
from branches.models import CommitteePosition, CommitteeTerm
from tests.assessments.conftest import D, result
from tests.factories import start_term

pytestmark = pytest.mark.django_db


def _term(tree, members, started_on):
    return start_term(
        organization=tree.branch_c,
        started_on=started_on,
        positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
        has_committee=False,
    )


def test_term_on_time_a_term_expired_1_march_and_renewed_20_november_is_not_met(tree, members, figures):
    old = _term(tree, members, D(2022, 3, 1))  # 3 years: expired 2025-03-01
    _term(tree, members, D(2025, 11, 20))  # renewed late
    r = result(tree.branch_c, "term_on_time")
    assert figures(r) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert r.gaps[0].text == "届满(2025-03-01)后超期263天未换届" and r.gaps[0].link.endswith(f"/terms/{old.pk}/")
    # The next year is met: the new term was in force on every day of it.
    assert figures(result(tree.branch_c, "term_on_time", year=2026, as_of=D(2027, 1, 15))) == (1, 1, 1.0, rules.MET, ())


def test_term_on_time_an_extension_approved_before_expiry_covers_the_year(tree, members, figures):
    term = _term(tree, members, D(2022, 3, 1))
    services.term_extend(term=term, months=12, approved_on=D(2025, 3, 1))  # approved on the expiry date
    assert figures(result(tree.branch_c, "term_on_time")) == (1, 1, 1.0, rules.MET, ())


def test_term_on_time_an_extension_approved_after_expiry_leaves_the_days_before_it_overdue(tree, members, figures):
    term = _term(tree, members, D(2022, 3, 1))
    services.term_extend(term=term, months=12, approved_on=D(2025, 5, 10))
    term = CommitteeTerm.objects.get(pk=term.pk)
    r = result(tree.branch_c, "term_on_time")
    assert figures(r) == (1, 0, 0.0, rules.NOT_MET, ("2025",))
    assert term_rules.overdue_spans(term) == [(D(2025, 3, 2), D(2025, 5, 9)), (D(2026, 3, 2), None)]
    assert term_rules.is_overdue(term, D(2025, 5, 9)) and not term_rules.is_overdue(term, D(2025, 5, 10))
    # Before the expiry the year so far was met; the term's status today follows the same rule.
    assert result(tree.branch_c, "term_on_time", as_of=D(2025, 3, 1)).done == 1
    assert term_status(term, D(2025, 4, 1)).state == "overdue"
    assert term_status(term, D(2025, 6, 1)).state != "overdue"


def test_term_on_time_a_renewed_term_is_not_overdue_after_its_successor_starts(tree, members):
    old = _term(tree, members, D(2022, 3, 1))
    _term(tree, members, D(2025, 11, 20))
    old = CommitteeTerm.objects.get(pk=old.pk)
    assert term_rules.overdue_spans(old) == [(D(2025, 3, 2), D(2025, 11, 19))]
    assert not term_rules.is_overdue(old, D(2025, 11, 20))
