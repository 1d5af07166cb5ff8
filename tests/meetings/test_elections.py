"""Elections use records, not typed numbers (DOMAIN.md "Votes and elections", "Terms and 换届"): the election is tied to
the held 党员大会, its 应到/实到 come from the attendance, votes per candidate are recorded, the procedure's steps
happen in order, a new term starts only from a recorded election, and 提前换届 needs an approval."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from branches import services as branch_services
from branches.models import CommitteePosition, CommitteeTerm, ElectionStep
from meetings.models import Election
from meetings.votes import services
from tests.factories import make_member, make_organization, record_election, start_term
from tests.meetings.meeting_helpers import hold, plan

pytestmark = pytest.mark.django_db
D = datetime.date
R = CommitteePosition.Role
ELECTION_DAY = D(2025, 3, 10)  # after the first term expired (2025-03-01): not an early election


@pytest.fixture
def branch(tree):
    """A branch of 10 正式党员 (and 2 预备党员) whose first term (2022-03-01, 3 years) has expired."""
    branch = make_organization(tree.committee_a, "branch")
    voters = [make_member(branch, name=f"乙{i:02d}") for i in range(10)]
    [make_member(branch, name=f"丙{i}", category="probationary") for i in range(2)]
    roles = [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA]
    start_term(organization=branch, started_on=D(2022, 3, 1), positions=list(zip(voters, roles, strict=False)))
    branch.voters = voters
    return branch


def _steps_before_election(branch, on=ELECTION_DAY):
    for i, step in enumerate(branch_services.STEP_ORDER[:5]):
        branch_services.election_step_record(
            organization=branch, step=step, done_on=on - datetime.timedelta(days=10 * (5 - i))
        )


def _assembly(tree, branch, absent=0, on=ELECTION_DAY):
    return hold(plan(tree, organization=branch, date=on), absentees=branch.voters[:absent])


def _candidates(branch, n=4, votes=(9, 8, 7, 1), elected=3):
    return [(m, votes[i], i < elected) for i, m in enumerate(branch.voters[:n])]


def test_election_counts_come_from_the_held_assembly_attendance(tree, members, branch):
    _steps_before_election(branch)
    # 8 of 10 voters present is not more than 4/5 (预备党员 have no vote and are not counted).
    with pytest.raises(ValidationError, match="五分之四.*应到 10 人,实到 8 人"):
        services.election_record(meeting=_assembly(tree, branch, absent=2), seats=3, candidates=_candidates(branch))
    meeting = _assembly(tree, branch, absent=1, on=ELECTION_DAY + datetime.timedelta(days=1))
    election = services.election_record(meeting=meeting, seats=3, candidates=_candidates(branch))
    step = election.step
    assert (step.step, step.eligible_voters, step.present_voters, step.seats, step.candidates) == (
        ElectionStep.Step.ELECTION,
        10,
        9,
        3,
        4,
    )
    assert step.done_on == meeting.date and step.outgoing_term.organization == branch
    assert [(c.member, c.votes, c.elected) for c in election.candidates.all()] == [
        (branch.voters[0], 9, True),
        (branch.voters[1], 8, True),
        (branch.voters[2], 7, True),
        (branch.voters[3], 1, False),
    ]


def test_elected_candidates_need_more_than_half_of_the_votes_of_those_present(tree, members, branch):
    _steps_before_election(branch)
    meeting = _assembly(tree, branch)  # 10 present
    with pytest.raises(ValidationError, match="未超过到会有选举权党员\\(10 人\\)的半数"):
        services.election_record(meeting=meeting, seats=3, candidates=_candidates(branch, votes=(9, 8, 5, 1)))
    services.election_record(meeting=meeting, seats=3, candidates=_candidates(branch, votes=(9, 8, 6, 1)))


def test_election_needs_twenty_percent_more_candidates_than_seats(tree, members, branch):
    _steps_before_election(branch)
    with pytest.raises(ValidationError, match="20%"):
        services.election_record(meeting=_assembly(tree, branch), seats=3, candidates=_candidates(branch, n=3))


def test_election_steps_happen_in_order(tree, members, branch):
    with pytest.raises(ValidationError, match="依次进行.*支委会研究决定换届"):
        branch_services.election_step_record(organization=branch, step="request", done_on=D(2025, 1, 1))
    branch_services.election_step_record(organization=branch, step="decision", done_on=D(2025, 1, 10))
    with pytest.raises(ValidationError, match="不能早于上一步骤"):
        branch_services.election_step_record(organization=branch, step="request", done_on=D(2025, 1, 5))
    # The election cannot come before the candidates were approved, nor be typed in as a plain step.
    with pytest.raises(ValidationError, match="依次进行"):
        services.election_record(meeting=_assembly(tree, branch), seats=3, candidates=_candidates(branch))
    with pytest.raises(ValidationError, match="党员大会会议记录中登记"):
        branch_services.election_step_record(organization=branch, step="election", done_on=D(2025, 3, 1))
    assert not Election.objects.exists()


def test_a_new_term_starts_on_or_after_its_recorded_election(tree, members, branch):
    positions = list(zip(branch.voters, [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA], strict=False))
    record_election(branch, ELECTION_DAY)
    with pytest.raises(ValidationError, match="不能早于党员大会选举日期"):
        branch_services.term_start(organization=branch, started_on=D(2025, 3, 1), positions=positions)
    term = branch_services.term_start(organization=branch, started_on=D(2025, 3, 20), positions=positions)
    assert CommitteeTerm.objects.current().get(organization=branch) == term


def test_the_first_term_of_a_new_organization_starts_without_an_election(tree, members):
    branch = make_organization(tree.committee_a, "branch")
    secretary = make_member(branch)
    term = branch_services.term_start(
        organization=branch,
        started_on=D(2025, 1, 1),
        positions=[(secretary, R.SECRETARY)],
        has_committee=False,
        approval_document="上级党委批复〔2024〕12号",
    )
    assert term.is_current


def test_an_early_election_needs_the_superiors_approval(tree, members, branch):
    # Re-elect the new (2025) committee early, in 2026, before it expires in 2028.
    record_election(branch, ELECTION_DAY)
    positions = list(zip(branch.voters, [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA], strict=False))
    term = branch_services.term_start(organization=branch, started_on=D(2025, 3, 20), positions=positions)
    day = D(2026, 6, 1)
    _steps_before_election(branch, on=day)
    with pytest.raises(ValidationError, match="提前换届须经上级党组织批准"):
        services.election_record(meeting=_assembly(tree, branch, on=day), seats=3, candidates=_candidates(branch))
    branch_services.term_early_election_approve(term=term, approved_on=D(2026, 5, 1), document="〔2026〕8号")
    with pytest.raises(ValidationError, match="不超过12个月"):
        services.election_record(meeting=_assembly(tree, branch, on=day), seats=3, candidates=_candidates(branch))


def test_election_page_takes_the_counts_from_the_attendance(tree, members, client_for):
    """Branch A (the secretary's): its term expires 2027-03-01, so an election now is early and needs approval."""
    term = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    branch_services.term_early_election_approve(term=term, approved_on=D(2026, 9, 1))
    day = D(2026, 11, 20)
    _steps_before_election(tree.branch_a, on=day)
    meeting = hold(plan(tree, date=day))
    client = client_for("secretary")
    page = client.get(f"/meetings/{meeting.pk}/election/")
    assert page.status_code == 200 and page.context["voters"].expected == 7
    body = {"seats": 3, "note": "", "cand-TOTAL_FORMS": 4, "cand-INITIAL_FORMS": 0}
    for i, m in enumerate(members.a[:4]):
        body |= {f"cand-{i}-member": m.pk, f"cand-{i}-votes": 7 if i < 3 else 0, f"cand-{i}-elected": i < 3 or ""}
    response = client.post(f"/meetings/{meeting.pk}/election/", body)
    assert response.status_code == 302
    election = Election.objects.get(meeting=meeting)
    assert (election.step.eligible_voters, election.step.present_voters) == (7, 7)
    assert client_for("sasac").post(f"/meetings/{meeting.pk}/election/", body).status_code == 403
